/**
 * The oversight reads: a subtree's units with their month's counts (kept per unit and month by
 * the triggers of migration 009), the same over a range of months, and the lines an export files.
 */
import type { RulesConfig } from '../domain/config';
import type { Grade } from '../domain/types';
import type { MonthCounts } from '../domain/reports';
import { rulesFromSetting } from './settings';
import type { Sql } from './sql';

/** A unit of the subtree, depth first from its root, with its month's cycle facts and counts. */
export interface SubtreeUnitMonth {
  unitId: string;
  name: string;
  parentId: string | null;
  phase: string | null;
  outstanding: boolean;
  deliberationDue: string | null;
  publishedAt: Date | null;
  /** The unit's target completion share for the month (migration 011), null without targets. */
  targetCompletion: number | null;
  counts: MonthCounts;
}

interface CountsRow {
  members: number;
  planDone: number;
  selfDone: number;
  reviewDone: number;
  planMissed: number;
  selfMissed: number;
  reviewMissed: number;
  planOverdue: number;
  selfOverdue: number;
  reviewOverdue: number;
  gradeA: number;
  gradeB: number;
  gradeC: number;
  gradeD: number;
  escalations: number;
  escalationsOpen: number;
}

const countsOf = (r: CountsRow): MonthCounts => ({
  members: r.members,
  done: { plan: r.planDone, selfAssessment: r.selfDone, review: r.reviewDone },
  missed: { plan: r.planMissed, selfAssessment: r.selfMissed, review: r.reviewMissed },
  overdue: { plan: r.planOverdue, selfAssessment: r.selfOverdue, review: r.reviewOverdue },
  grades: { A: r.gradeA, B: r.gradeB, C: r.gradeC, D: r.gradeD },
  escalations: r.escalations,
  escalationsOpen: r.escalationsOpen,
});

const COUNT_COLUMNS = [
  'members',
  'plan_done',
  'self_done',
  'review_done',
  'plan_missed',
  'self_missed',
  'review_missed',
  'plan_overdue',
  'self_overdue',
  'review_overdue',
  'grade_a',
  'grade_b',
  'grade_c',
  'grade_d',
  'escalations',
  'escalations_open',
];

/**
 * The unit and every unit below it (depth first), each with its month (empty when the unit is
 * unknown); whether `readerId` is the head or a deputy of the unit or of a unit above it; and the
 * rules in force. One statement, so a report waits on one backend, not three.
 */
export async function subtreeMonth(
  sql: Sql,
  unitId: string,
  period: string,
  readerId: string,
): Promise<{ units: SubtreeUnitMonth[]; readerLeads: boolean; rules: RulesConfig }> {
  const rows = await sql<(CountsRow & Omit<SubtreeUnitMonth, 'counts'> & { readerLeads: boolean; rules: unknown })[]>`
    with recursive up as (
      select id, parent_id, 1 as depth from units where id = ${unitId}
      union all
      select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id where up.depth < 100
    ),
    sub as (
      select id, name, parent_id, array[id] as path from units where id = ${unitId}
      union all
      -- The directory refuses a loop of units; the walk stops at one all the same rather than run forever.
      select u.id, u.name, u.parent_id, sub.path || u.id from units u join sub on u.parent_id = sub.id
      where u.id <> all (sub.path)
    )
    select s.id as unit_id, s.name, s.parent_id, c.phase, coalesce(c.outstanding, false) as outstanding,
           c.deadlines->>'deliberation' as deliberation_due, c.published_at, t.completion as target_completion,
           -- Asked on the root's row only: the same answer for every unit of the walk.
           case when s.id = ${unitId} then exists (
             select 1 from people p join up on p.unit_id = up.id where p.id = ${readerId} and p.role in ('head', 'deputy')
           ) end as reader_leads,
           case when s.id = ${unitId} then (select value from settings where key = 'rules') end as rules,
           ${sql.unsafe(COUNT_COLUMNS.map((k) => `coalesce(n.${k}, 0)::int as ${k}`).join(', '))}
    from sub s
    left join cycles c on c.unit_id = s.id and c.period = ${period}
    left join unit_month_counts n on n.unit_id = s.id and n.period = ${period}
    left join unit_targets t on t.unit_id = s.id and t.period = ${period}
    order by s.path`;
  return {
    units: rows.map((r) => ({
      unitId: r.unitId,
      name: r.name,
      parentId: r.parentId,
      phase: r.phase,
      outstanding: r.outstanding,
      deliberationDue: r.deliberationDue,
      publishedAt: r.publishedAt,
      targetCompletion: r.targetCompletion,
      counts: countsOf(r),
    })),
    readerLeads: rows[0]?.readerLeads ?? false,
    rules: rulesFromSetting(rows[0]?.rules),
  };
}

/** One month of a subtree, summed over its units, with each unit's cycle facts for the deliberation's lateness. */
export interface SubtreeMonthSum {
  period: string;
  counts: MonthCounts;
  complaints: number;
  cycles: { phase: string; deliberationDue: string | null; publishedAt: Date | null }[];
}

/** The subtree's months from `from` to `to` (only those with anything counted). */
export async function subtreeTrend(sql: Sql, unitId: string, from: string, to: string): Promise<SubtreeMonthSum[]> {
  const sub = sql`
    with recursive sub as (
      select id from units where id = ${unitId}
      union
      select u.id from units u join sub on u.parent_id = sub.id
    ) select id from sub`;
  const [counts, complaints, cycles] = await Promise.all([
    sql<(CountsRow & { period: string })[]>`
      select period, ${sql.unsafe(COUNT_COLUMNS.map((k) => `sum(${k})::int as ${k}`).join(', '))}
      from unit_month_counts where unit_id in (${sub}) and period between ${from} and ${to}
      group by period`,
    sql<{ period: string; n: number }[]>`
      select period, count(*)::int as n from complaints
      where unit_id in (${sub}) and period between ${from} and ${to} group by period`,
    sql<{ period: string; phase: string; deliberationDue: string | null; publishedAt: Date | null }[]>`
      select period, phase, deadlines->>'deliberation' as deliberation_due, published_at from cycles
      where unit_id in (${sub}) and period between ${from} and ${to}`,
  ]);
  const byPeriod = new Map<string, SubtreeMonthSum>();
  const month = (period: string): SubtreeMonthSum => {
    let m = byPeriod.get(period);
    if (!m) {
      m = { period, counts: countsOf(ZERO), complaints: 0, cycles: [] };
      byPeriod.set(period, m);
    }
    return m;
  };
  for (const r of counts) month(r.period).counts = countsOf(r);
  for (const r of complaints) month(r.period).complaints = r.n;
  for (const r of cycles) month(r.period).cycles.push(r);
  return [...byPeriod.values()];
}

const ZERO: CountsRow = {
  members: 0,
  planDone: 0,
  selfDone: 0,
  reviewDone: 0,
  planMissed: 0,
  selfMissed: 0,
  reviewMissed: 0,
  planOverdue: 0,
  selfOverdue: 0,
  reviewOverdue: 0,
  gradeA: 0,
  gradeB: 0,
  gradeC: 0,
  gradeD: 0,
  escalations: 0,
  escalationsOpen: 0,
};

/** A member's line of a published month, as a unit files it. */
export interface ResultLine {
  personId: string;
  fullName: string | null;
  reviewScores: Record<string, number> | null;
  total: number | null;
  proposedGrade: Grade | null;
  finalGrade: Grade | null;
}

/** Every evaluated member of the unit's month with their name, in name order. */
export async function resultLines(sql: Sql, unitId: string, period: string): Promise<ResultLine[]> {
  return sql<ResultLine[]>`
    select e.person_id, p.full_name, e.review_scores, e.total::float8 as total, e.proposed_grade, e.final_grade
    from evaluations e left join people p on p.id = e.person_id
    where e.unit_id = ${unitId} and e.period = ${period}
    order by p.full_name collate "C", e.person_id`;
}

/** The unit's name, if the unit exists. */
export async function unitName(sql: Sql, unitId: string): Promise<string | undefined> {
  const [row] = await sql<{ name: string }[]>`select name from units where id = ${unitId}`;
  return row?.name;
}

/** The person's full name, if the directory holds them. */
export async function personName(sql: Sql, personId: string): Promise<string | undefined> {
  const [row] = await sql<{ fullName: string }[]>`select full_name from people where id = ${personId}`;
  return row?.fullName;
}

/** Whether the person is the head or a deputy of the unit or of any unit above it. */
export async function leadsUnitOrAbove(sql: Sql, unitId: string, personId: string): Promise<boolean> {
  const rows = await sql`
    with recursive up as (
      select id, parent_id, 1 as depth from units where id = ${unitId}
      union all
      select u.id, u.parent_id, up.depth + 1 from units u join up on u.id = up.parent_id where up.depth < 100
    )
    select 1 from people p join up on p.unit_id = up.id where p.id = ${personId} and p.role in ('head', 'deputy') limit 1`;
  return rows.length > 0;
}

/** Full names of the people the directory holds, by id. */
export async function peopleNames(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; fullName: string }[]>`select id, full_name from people where id in ${sql(ids)}`;
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
