/** Writes of the directory (units, people) and of the records HR keeps beside it. */
import type { Sql } from './sql';
import type { ConfidenceVote, Deferral, DisciplineRecord, PersonRecord } from '../domain/cases';
import type { Directory, Person, Role } from '../domain/types';

/** The case fields a person may carry in `PUT /v1/org`; an omitted field keeps what is stored. */
export interface PersonCaseFields {
  retirementDate?: string | null;
  positionSince?: string | null;
  sensitivePosition?: boolean;
  deferrals?: Deferral[];
}

/** A directory upsert whose people may carry {@link PersonCaseFields}. */
export interface DirectoryWithCaseFields extends Directory {
  people: (Person & PersonCaseFields)[];
}

const CASE_FIELDS = ['retirementDate', 'positionSince', 'sensitivePosition', 'deferrals'] as const;

/**
 * Upserts every unit and person of `dir` in one transaction (foreign keys are deferred, so
 * order does not matter). Callers validate first with `validateDirectory`.
 */
export async function upsertDirectory(sql: Sql, dir: DirectoryWithCaseFields): Promise<{ units: number; people: number }> {
  await sql.begin(async (tx) => {
    for (const u of dir.units) {
      await tx`
        insert into units (id, name, parent_id, active) values (${u.id}, ${u.name}, ${u.parentId}, ${u.active ?? true})
        on conflict (id) do update set name = excluded.name, parent_id = excluded.parent_id, active = excluded.active, updated_at = now()`;
    }
    if (dir.people.length > 0) {
      const rows = dir.people.map((p) => ({
        id: p.id,
        fullName: p.fullName,
        unitId: p.unitId,
        role: p.role,
        email: p.email ?? null,
        reviewerId: p.reviewerId ?? null,
      }));
      for (let i = 0; i < rows.length; i += 1000) {
        await tx`
          insert into people ${tx(rows.slice(i, i + 1000), 'id', 'fullName', 'unitId', 'role', 'email', 'reviewerId')}
          on conflict (id) do update set full_name = excluded.full_name, unit_id = excluded.unit_id, role = excluded.role,
            email = excluded.email, reviewer_id = excluded.reviewer_id, updated_at = now()`;
      }
      const withFields = dir.people
        .filter((p) => CASE_FIELDS.some((f) => p[f] !== undefined))
        .map((p) => ({ id: p.id, ...Object.fromEntries(CASE_FIELDS.filter((f) => p[f] !== undefined).map((f) => [f, p[f]])) }));
      if (withFields.length > 0) {
        // Only the keys present are written: `?` tells "omitted" (keep) from null (clear).
        await tx`
          update people p set
            retirement_date = case when f ? 'retirementDate' then (f->>'retirementDate')::date else p.retirement_date end,
            position_since = case when f ? 'positionSince' then (f->>'positionSince')::date else p.position_since end,
            sensitive_position = case when f ? 'sensitivePosition' then (f->>'sensitivePosition')::boolean else p.sensitive_position end,
            deferrals = case when f ? 'deferrals' then f->'deferrals' else p.deferrals end
          from jsonb_array_elements(${tx.json(withFields as never)}::jsonb) as f
          where p.id = f->>'id'`;
      }
    }
  });
  return { units: dir.units.length, people: dir.people.length };
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
  const people = await sql<{ id: string; fullName: string; unitId: string; role: Role; email: string | null; reviewerId: string | null }[]>`
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
  const people = await sql<{ id: string; fullName: string; unitId: string; role: Role; email: string | null; reviewerId: string | null }[]>`
    select id, full_name, unit_id, role, email, reviewer_id from people where unit_id in ${sql(units.map((u) => u.id))}`;
  return { units: [...units], people: [...people] };
}

/** A person as `GET /v1/people/{id}` shows them: the directory entry, the case fields and HR's records. */
export interface PersonDetails extends PersonRecord {
  fullName: string;
  email: string | null;
  reviewerId: string | null;
  discipline: DisciplineRecord[];
  confidenceVotes: ConfidenceVote[];
}

export async function findPerson(sql: Sql, id: string): Promise<PersonDetails | undefined> {
  const [p] = await sql<Omit<PersonDetails, 'discipline' | 'confidenceVotes'>[]>`
    select id, full_name, unit_id, role, email, reviewer_id, to_char(retirement_date, 'YYYY-MM-DD') as retirement_date,
           to_char(position_since, 'YYYY-MM-DD') as position_since, sensitive_position, deferrals
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
