/**
 * Units' targets for a month or a year, and their completion share (computed by the caller with
 * domain/targets.ts and stored beside them). A write that changes nothing writes nothing, so a
 * repeated PUT or import leaves the table and the audit trail as they were.
 */
import { randomUUID } from 'node:crypto';
import type { UnitTarget } from '../domain/targets';
import { writeAudit } from './audit';
import type { Sql, Tx } from './sql';

export interface UnitTargetsRow {
  unitId: string;
  period: string;
  targets: UnitTarget[];
  completion: number | null;
  updatedBy: string;
  updatedAt: Date;
}

export interface TargetsWrite {
  unitId: string;
  period: string;
  targets: UnitTarget[];
  completion: number | null;
}

/** Stores one unit's targets for the period and audits the change; returns whether anything changed. */
async function putOne(tx: Tx, w: TargetsWrite, by: string): Promise<boolean> {
  const changed = await tx`
    insert into unit_targets (unit_id, period, targets, completion, updated_by)
    values (${w.unitId}, ${w.period}, ${tx.json(w.targets as never)}, ${w.completion}, ${by})
    on conflict (unit_id, period) do update set targets = excluded.targets, completion = excluded.completion,
      updated_by = excluded.updated_by, updated_at = now()
    where unit_targets.targets is distinct from excluded.targets
    returning unit_id`;
  if (changed.length === 0) return false;
  await writeAudit(tx, {
    dedupeKey: `unit-targets:${w.unitId}:${w.period}:${randomUUID()}`,
    actor: by,
    action: 'unit.targets',
    subject: `unit:${w.unitId}`,
    payload: { period: w.period, targets: w.targets, completion: w.completion },
  });
  return true;
}

/** Stores every unit's targets in one transaction (all or none); returns how many changed. */
export async function putUnitTargets(sql: Sql, writes: TargetsWrite[], by: string): Promise<number> {
  return sql.begin(async (tx) => {
    let changed = 0;
    // One order for every writer, so two imports touching the same units never wait on each other in a cycle.
    const ordered = [...writes].sort((a, b) =>
      a.unitId === b.unitId ? (a.period < b.period ? -1 : 1) : a.unitId < b.unitId ? -1 : 1,
    );
    for (const w of ordered) if (await putOne(tx, w, by)) changed += 1;
    return changed;
  });
}

export async function findUnitTargets(sql: Sql, unitId: string, period: string): Promise<UnitTargetsRow | undefined> {
  const [row] = await sql<UnitTargetsRow[]>`
    select unit_id, period, targets, completion, updated_by, updated_at from unit_targets
    where unit_id = ${unitId} and period = ${period}`;
  return row;
}

/** Which of `unitIds` the directory does not hold. */
export async function unknownUnits(sql: Sql, unitIds: string[]): Promise<string[]> {
  if (unitIds.length === 0) return [];
  const rows = await sql<{ id: string }[]>`select id from units where id in ${sql(unitIds)}`;
  const known = new Set(rows.map((r) => r.id));
  return unitIds.filter((id) => !known.has(id));
}

/** Whether the person is the head of the unit. */
export async function headsUnit(sql: Sql, unitId: string, personId: string): Promise<boolean> {
  const rows = await sql`select 1 from people where id = ${personId} and unit_id = ${unitId} and role = 'head'`;
  return rows.length > 0;
}
