/** Reads of the directory and configuration that activities share. */
import type { Sql } from '../db/sql';
import { rulesWith, type RulesConfig } from '../domain/config';
import { DEFAULT_PROFILE_SCHEDULE, type ProfileSchedule } from '../domain/scoring';
import type { Directory, Role } from '../domain/types';

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

/** Admin-added holidays (Tết, compensatory days) as YYYY-MM-DD. */
export async function loadHolidays(sql: Sql): Promise<string[]> {
  const rows = await sql<{ date: string }[]>`select to_char(date, 'YYYY-MM-DD') as date from holidays order by date`;
  return rows.map((r) => r.date);
}

/** The rules in force: defaults with the admin's overrides from `settings`. */
export async function loadRules(sql: Sql): Promise<RulesConfig> {
  const [row] = await sql<{ value: Record<string, unknown> }[]>`select value from settings where key = 'rules'`;
  return rulesWith((row?.value ?? {}) as Parameters<typeof rulesWith>[0]);
}

export async function loadProfileSchedule(sql: Sql): Promise<ProfileSchedule> {
  const [row] = await sql<{ value: ProfileSchedule }[]>`select value from settings where key = 'profiles'`;
  return row?.value ?? DEFAULT_PROFILE_SCHEDULE;
}
