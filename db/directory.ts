/** Writes of the directory (units, people) and of the records HR keeps beside it. */
import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { writeAudit } from './audit';
import type { Sql, Tx } from './sql';
import type { ConfidenceVote, Deferral, DisciplineRecord, PersonRecord } from '../domain/cases';
import { mergeDirectory } from '../domain/scope';
import { roleOneLevelLower } from '../domain/triggers';
import type { Directory, Issue, Person, Role, Unit } from '../domain/types';

/** The case fields a person may carry in `PUT /v1/org`; an omitted field keeps what is stored. */
export interface PersonCaseFields {
  retirementDate?: string | null;
  positionSince?: string | null;
  sensitivePosition?: boolean;
  deferrals?: Deferral[];
}

/** How a person signs in to the web pages: the subject their OpenID provider gives them (else their e-mail is matched). */
export interface PersonSignInFields {
  oidcSubject?: string | null;
}

/** A directory upsert whose people may carry {@link PersonCaseFields} and {@link PersonSignInFields}. */
export interface DirectoryWithCaseFields extends Directory {
  people: (Person & PersonCaseFields & PersonSignInFields)[];
}

/** Every write of units or people takes this lock first, so a check of the whole directory holds until its write commits. */
const DIRECTORY_LOCK = 727_2027;
/** Rows per statement: one JSON parameter each, bounded for a city-sized upload. */
const CHUNK = 5000;

/** The whole directory as it stands, for a preview of an upload (nothing locked, nothing written). */
export function readDirectory(sql: Sql): Promise<Directory> {
  return loadDirectory(sql);
}

/** Serializes directory writes until the end of `tx`. */
export async function lockDirectory(tx: Tx): Promise<void> {
  await tx`select pg_advisory_xact_lock(${DIRECTORY_LOCK})`;
}

/** The whole directory as validation needs it. */
async function loadDirectory(tx: Tx | Sql): Promise<Directory> {
  const units = await tx<Unit[]>`select id, name, parent_id, active from units`;
  const people = await tx<Person[]>`select id, full_name, unit_id, role, email, reviewer_id from people`;
  return { units: [...units], people: [...people] };
}

/**
 * Writes every unit and person of `dir` (foreign keys are deferred, so order does not matter).
 * A row that exists takes only the fields it names: an omitted (undefined) field keeps what is
 * stored, null clears it. A new row takes the defaults for the rest. Bulk: a few statements per
 * {@link CHUNK} rows, the named keys told apart with `?` on each row's JSON.
 */
async function writeDirectory(tx: Tx, dir: DirectoryWithCaseFields, actor: string): Promise<void> {
  for (let i = 0; i < dir.units.length; i += CHUNK) {
    const rows = tx.json(dir.units.slice(i, i + CHUNK) as never);
    await tx`
      update units u set
        name = case when f ? 'name' then f->>'name' else u.name end,
        parent_id = case when f ? 'parentId' then f->>'parentId' else u.parent_id end,
        active = case when f ? 'active' then (f->>'active')::boolean else u.active end,
        updated_at = now()
      from jsonb_array_elements(${rows}::jsonb) as f
      where u.id = f->>'id'`;
    await tx`
      insert into units (id, name, parent_id, active)
      select f->>'id', f->>'name', f->>'parentId', coalesce((f->>'active')::boolean, true)
      from jsonb_array_elements(${rows}::jsonb) as f
      on conflict (id) do nothing`;
  }
  for (let i = 0; i < dir.people.length; i += CHUNK) {
    const rows = tx.json(dir.people.slice(i, i + CHUNK) as never);
    await tx`
      update people p set
        full_name = case when f ? 'fullName' then f->>'fullName' else p.full_name end,
        unit_id = case when f ? 'unitId' then f->>'unitId' else p.unit_id end,
        role = case when f ? 'role' then f->>'role' else p.role end,
        email = case when f ? 'email' then f->>'email' else p.email end,
        reviewer_id = case when f ? 'reviewerId' then f->>'reviewerId' else p.reviewer_id end,
        retirement_date = case when f ? 'retirementDate' then (f->>'retirementDate')::date else p.retirement_date end,
        position_since = case when f ? 'positionSince' then (f->>'positionSince')::date else p.position_since end,
        sensitive_position = case when f ? 'sensitivePosition' then (f->>'sensitivePosition')::boolean else p.sensitive_position end,
        deferrals = case when f ? 'deferrals' then f->'deferrals' else p.deferrals end,
        oidc_subject = case when f ? 'oidcSubject' then f->>'oidcSubject' else p.oidc_subject end,
        updated_at = now()
      from jsonb_array_elements(${rows}::jsonb) as f
      where p.id = f->>'id'`;
    await tx`
      insert into people (id, full_name, unit_id, role, email, reviewer_id, retirement_date, position_since, sensitive_position, deferrals, oidc_subject)
      select f->>'id', f->>'fullName', f->>'unitId', f->>'role', f->>'email', f->>'reviewerId', (f->>'retirementDate')::date,
             (f->>'positionSince')::date, coalesce((f->>'sensitivePosition')::boolean, false), coalesce(f->'deferrals', '[]'::jsonb),
             f->>'oidcSubject'
      from jsonb_array_elements(${rows}::jsonb) as f
      on conflict (id) do nothing`;
  }
  await writeAudit(tx, {
    dedupeKey: `directory:${randomUUID()}`,
    actor,
    action: 'directory.upserted',
    subject: 'directory',
    // The ids written, not the rows: a city's upload would otherwise be copied whole into the trail.
    payload: { units: dir.units.map((u) => u.id), people: dir.people.map((p) => p.id) },
  });
}

/** Upserts `dir` in one transaction, unchecked: for loading a directory known to be sound (scripts, tests). */
export async function upsertDirectory(
  sql: Sql,
  dir: DirectoryWithCaseFields,
  actor = 'system',
): Promise<{ units: number; people: number }> {
  await sql.begin(async (tx) => {
    await lockDirectory(tx);
    await writeDirectory(tx, dir, actor);
  });
  return { units: dir.units.length, people: dir.people.length };
}

/**
 * Upserts `dir` if `check` finds no issue in the directory as it would be afterwards (see
 * `mergeDirectory`). The read, the check and the write are one transaction under the directory
 * lock, so two uploads are checked one after the other, each against what the other wrote.
 */
export async function upsertCheckedDirectory(
  sql: Sql,
  dir: DirectoryWithCaseFields,
  check: (after: Directory) => Issue[],
  actor: string,
): Promise<{ issues: Issue[] } | { counts: { units: number; people: number } }> {
  try {
    return await sql.begin(async (tx) => {
      await lockDirectory(tx);
      const issues = check(mergeDirectory(await loadDirectory(tx), dir));
      if (issues.length > 0) return { issues };
      await writeDirectory(tx, dir, actor);
      return { counts: { units: dir.units.length, people: dir.people.length } };
    });
  } catch (err) {
    // Only a writer that skipped the lock can get here: the constraint still keeps one head per unit.
    if (err instanceof postgres.PostgresError && err.constraint_name === 'people_one_head_per_unit') {
      return {
        issues: [{ field: 'people', rule: 'two-heads', message: `${err.detail ?? 'a unit would have two heads'}` }],
      };
    }
    if (err instanceof postgres.PostgresError && err.constraint_name === 'people_oidc_subject') {
      return {
        issues: [
          { field: 'people.oidcSubject', rule: 'unique', message: `${err.detail ?? 'two people share a subject'}` },
        ],
      };
    }
    throw err;
  }
}

/**
 * The part of the directory a unit's cycle can touch: the unit, its direct subordinates, its
 * ancestors, and everyone in them. Reading only that keeps a cycle's start cheap at city scale.
 */
export async function loadNeighbourhood(sql: Sql, unitId: string): Promise<Directory> {
  const units = await sql<{ id: string; name: string; parentId: string | null; active: boolean }[]>`
    with recursive up as (
      select id, name, parent_id, active from units where id = ${unitId}
      union
      select u.id, u.name, u.parent_id, u.active from units u join up on u.id = up.parent_id
    )
    select id, name, parent_id, active from up
    union
    select id, name, parent_id, active from units where parent_id = ${unitId}`;
  const ids = units.map((u) => u.id);
  const people = await sql<
    { id: string; fullName: string; unitId: string; role: Role; email: string | null; reviewerId: string | null }[]
  >`
    select id, full_name, unit_id, role, email, reviewer_id from people where unit_id in ${sql(ids)}`;
  return { units: [...units], people: [...people] };
}

/**
 * A unit, the units above it and everyone in them: all that decides who reviews a person of the
 * unit and who heads it, without the subtrees below that a city unit's neighbourhood would bring.
 */
export async function loadUnitAndAbove(sql: Sql, unitId: string): Promise<Directory> {
  const units = await sql<{ id: string; name: string; parentId: string | null; active: boolean }[]>`
    with recursive up as (
      select id, name, parent_id, active from units where id = ${unitId}
      union
      select u.id, u.name, u.parent_id, u.active from units u join up on u.id = up.parent_id
    )
    select id, name, parent_id, active from up`;
  const people = await sql<
    { id: string; fullName: string; unitId: string; role: Role; email: string | null; reviewerId: string | null }[]
  >`
    select id, full_name, unit_id, role, email, reviewer_id from people where unit_id in ${sql(units.map((u) => u.id))}`;
  return { units: [...units], people: [...people] };
}

/** Whether the directory holds a person with this id. */
export async function personExists(sql: Sql, id: string): Promise<boolean> {
  const rows = await sql`select 1 from people where id = ${id}`;
  return rows.length > 0;
}

/** A person as `GET /v1/people/{id}` shows them: the directory entry, the case fields and HR's records. */
export interface PersonDetails extends PersonRecord {
  fullName: string;
  email: string | null;
  reviewerId: string | null;
  oidcSubject: string | null;
  discipline: DisciplineRecord[];
  confidenceVotes: ConfidenceVote[];
}

export async function findPerson(sql: Sql, id: string): Promise<PersonDetails | undefined> {
  const [p] = await sql<Omit<PersonDetails, 'discipline' | 'confidenceVotes'>[]>`
    select id, full_name, unit_id, role, email, reviewer_id, to_char(retirement_date, 'YYYY-MM-DD') as retirement_date,
           to_char(position_since, 'YYYY-MM-DD') as position_since, sensitive_position, deferrals, oidc_subject
    from people where id = ${id}`;
  if (!p) return undefined;
  const discipline = await sql<DisciplineRecord[]>`
    select to_char(date, 'YYYY-MM-DD') as date, level, note from discipline where person_id = ${id} order by date, id`;
  const confidenceVotes = await sql<ConfidenceVote[]>`
    select to_char(date, 'YYYY-MM-DD') as date, low, total from confidence_votes where person_id = ${id} order by date, id`;
  return {
    ...p,
    discipline: discipline.map((d) => ({ date: d.date, level: d.level, ...(d.note ? { note: d.note } : {}) })),
    confidenceVotes: [...confidenceVotes],
  };
}

/** The unit a person is in now, if the directory holds them. */
export async function unitOfPerson(sql: Sql, id: string): Promise<string | undefined> {
  const [row] = await sql<{ unitId: string }[]>`select unit_id from people where id = ${id}`;
  return row?.unitId;
}

/** A move decided by a case, as it reaches the directory on its effective date. */
export interface MoveInput {
  caseId: string;
  personId: string;
  toUnitId: string;
  toRole: Role;
  effectiveDate: string;
}

/**
 * Moves the person to the new unit and role, in the position since the effective date, reviewed
 * by the new unit's default, and audits it as `person.moved`, in one transaction. Idempotent: a
 * retry writes the same and finds its audit row.
 */
export async function movePerson(sql: Sql, input: MoveInput): Promise<void> {
  await sql.begin(async (tx) => {
    await lockDirectory(tx);
    const [before] = await tx<
      { unitId: string; role: Role }[]
    >`select unit_id, role from people where id = ${input.personId} for update`;
    await tx`
      update people set unit_id = ${input.toUnitId}, role = ${input.toRole}, position_since = ${input.effectiveDate},
        reviewer_id = null, updated_at = now()
      where id = ${input.personId}`;
    // Staff who named the leaver as their reviewer fall back to their unit's default.
    await tx`update people set reviewer_id = null, updated_at = now() where reviewer_id = ${input.personId} and unit_id <> ${input.toUnitId}`;
    await writeAudit(tx, {
      dedupeKey: `case:${input.caseId}:moved`,
      actor: 'system',
      action: 'person.moved',
      subject: `person:${input.personId}`,
      payload: {
        caseId: input.caseId,
        from: before ?? null,
        toUnitId: input.toUnitId,
        toRole: input.toRole,
        effectiveDate: input.effectiveDate,
      },
      onDuplicate: 'skip',
    });
  });
}

/** A replacement decided "replace", as it reaches the directory. */
export interface ReplacementInput {
  caseId: string;
  personId: string;
  actingPersonId: string;
  placementUnitId: string;
  effectiveDate: string;
}

/**
 * The acting holder takes the post, the person drops one role in the placement unit, audited as
 * `person.replaced`, in one transaction. Idempotent: a retry finds the audit row and repeats
 * nothing. Returns the roles the change gave and vacated.
 */
export async function replacePerson(sql: Sql, input: ReplacementInput): Promise<{ newRole: Role; vacatedRole: Role }> {
  return sql.begin(async (tx) => {
    const [done] = await tx<{ payload: { newRole: Role; vacatedRole: Role } }[]>`
      select payload from audit where dedupe_key = ${`case:${input.caseId}:replaced`}`;
    if (done) return done.payload;
    await lockDirectory(tx);
    const [person] = await tx<
      { unitId: string; role: Role }[]
    >`select unit_id, role from people where id = ${input.personId} for update`;
    const newRole = roleOneLevelLower(person.role) ?? 'staff';
    await tx`
      update people set unit_id = ${input.placementUnitId}, role = ${newRole}, position_since = ${input.effectiveDate}, reviewer_id = null, updated_at = now()
      where id = ${input.personId}`;
    await tx`
      update people set unit_id = ${person.unitId}, role = ${person.role}, position_since = ${input.effectiveDate}, reviewer_id = null, updated_at = now()
      where id = ${input.actingPersonId}`;
    const payload = {
      caseId: input.caseId,
      newRole,
      vacatedRole: person.role,
      unitId: person.unitId,
      actingPersonId: input.actingPersonId,
      placementUnitId: input.placementUnitId,
    };
    await writeAudit(tx, {
      dedupeKey: `case:${input.caseId}:replaced`,
      actor: 'system',
      action: 'person.replaced',
      subject: `person:${input.personId}`,
      payload,
    });
    return payload;
  });
}

/** Everyone active and every active unit, by name: the choices of a page's selects (HR's case form). */
export async function directoryChoices(sql: Sql): Promise<{
  people: { id: string; fullName: string; unitId: string; role: Role }[];
  units: { id: string; name: string }[];
}> {
  const [people, units] = await Promise.all([
    sql<{ id: string; fullName: string; unitId: string; role: Role }[]>`
      select p.id, p.full_name, p.unit_id, p.role from people p join units u on u.id = p.unit_id
      where u.active order by p.full_name, p.id`,
    sql<{ id: string; name: string }[]>`select id, name from units where active order by name, id`,
  ]);
  return { people: [...people], units: [...units] };
}
