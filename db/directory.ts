/** Writes of the directory (units, people) and of the records HR keeps beside it. */
import type { Sql } from './sql';
import type { Directory, Role } from '../domain/types';

/**
 * Upserts every unit and person of `dir` in one transaction (foreign keys are deferred, so
 * order does not matter). Callers validate first with `validateDirectory`.
 */
export async function upsertDirectory(sql: Sql, dir: Directory): Promise<{ units: number; people: number }> {
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

