/**
 * What a directory upload would change, field by field: the upload is an upsert (a row takes only
 * the fields it names), so a unit or person missing from it is kept, never removed; a unit is
 * closed by setting `active` to false.
 */
import type { Directory, Person, Unit } from './types';

export interface FieldChange {
  field: string;
  before: string | boolean | null;
  after: string | boolean | null;
}

export interface RowChange {
  id: string;
  kind: 'added' | 'changed';
  fields: FieldChange[];
}

export interface DirectoryDiff {
  units: RowChange[];
  people: RowChange[];
  /** Ids stored but absent from the upload: kept as they are. */
  untouched: { units: number; people: number };
}

const UNIT_FIELDS = ['name', 'parentId', 'active'] as const;
const PERSON_FIELDS = ['fullName', 'unitId', 'role', 'email', 'reviewerId'] as const;

type Value = string | boolean | null;

function diffRows<Row extends { id: string }>(
  stored: Row[],
  upload: Row[],
  fields: readonly (keyof Row & string)[],
  defaults: Partial<Record<keyof Row & string, Value>>,
): RowChange[] {
  const byId = new Map(stored.map((r) => [r.id, r]));
  const changes: RowChange[] = [];
  for (const row of upload) {
    const before = byId.get(row.id);
    const named = fields.filter((f) => row[f] !== undefined);
    const value = (r: Row | undefined, f: keyof Row & string): Value =>
      (r?.[f] as Value | undefined) ?? defaults[f] ?? null;
    const fieldChanges = named
      .map((f) => ({ field: f, before: before ? value(before, f) : null, after: value(row, f) }))
      .filter((c) => !before || c.before !== c.after);
    if (!before) changes.push({ id: row.id, kind: 'added', fields: fieldChanges });
    else if (fieldChanges.length > 0) changes.push({ id: row.id, kind: 'changed', fields: fieldChanges });
  }
  return changes;
}

export function diffDirectory(stored: Directory, upload: Directory): DirectoryDiff {
  const inUpload = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
  const units = inUpload(upload.units);
  const people = inUpload(upload.people);
  return {
    units: diffRows<Unit>(stored.units, upload.units, UNIT_FIELDS, { active: true }),
    people: diffRows<Person>(stored.people, upload.people, PERSON_FIELDS, {}),
    untouched: {
      units: stored.units.filter((u) => !units.has(u.id)).length,
      people: stored.people.filter((p) => !people.has(p.id)).length,
    },
  };
}
