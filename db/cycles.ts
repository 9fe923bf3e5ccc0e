/** The cycles' read model as the API reads it: a unit's month, its version, its published results. */
import type { Sql } from './sql';

export interface CycleRow {
  unitId: string;
  period: string;
  workflowId: string;
  phase: string;
  profileId: string;
  deadlines: Record<string, string>;
  headId: string | null;
  collective: string[];
  members: { personId: string; reviewerId: string | null }[];
  outstanding: boolean;
  deliberation: unknown;
  publishedAt: Date | null;
  complaintWindowEndsAt: Date | null;
  lockedAt: Date | null;
}

export async function findCycle(sql: Sql, unitId: string, period: string): Promise<CycleRow | undefined> {
  const [row] = await sql<CycleRow[]>`
    select unit_id, period, workflow_id, phase, profile_id, deadlines, head_id, collective, members, outstanding, deliberation,
           published_at, complaint_window_ends_at, locked_at
    from cycles where unit_id = ${unitId} and period = ${period}`;
  return row;
}

/** The snapshot version the read model holds for the cycle, if it holds one. */
export async function cycleVersionOf(sql: Sql, unitId: string, period: string): Promise<number | undefined> {
  const [row] = await sql<
    { version: number }[]
  >`select version from cycles where unit_id = ${unitId} and period = ${period}`;
  return row?.version;
}

export interface CycleResult {
  personId: string;
  fullName: string;
  finalGrade: string | null;
  total: number | null;
}

/** Each evaluated member's grade and total for the month, by person id. */
export async function cycleResults(sql: Sql, unitId: string, period: string): Promise<CycleResult[]> {
  return sql<CycleResult[]>`
    select e.person_id, p.full_name, e.final_grade, e.total
    from evaluations e left join people p on p.id = e.person_id
    where e.unit_id = ${unitId} and e.period = ${period} order by e.person_id`;
}

/** The latest month a unit has a cycle for, if any (optionally only in one of `phases`). */
export async function latestPeriodOf(sql: Sql, unitId: string, phases?: string[]): Promise<string | undefined> {
  const [row] = await sql<{ period: string }[]>`
    select period from cycles
    where unit_id = ${unitId} ${phases ? sql`and phase = any(${phases})` : sql``}
    order by period desc limit 1`;
  return row?.period;
}

/** Full names of `ids` (those the directory knows). */
export async function namesOf(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; fullName: string }[]>`select id, full_name from people where id = any(${ids})`;
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
