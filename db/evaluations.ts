/** The evaluations' read model as the API reads it: one member's month, a cycle's, a year's settled months. */
import type { EvaluationResult } from '../contracts/messages';
import type { ClosingWrite, EvaluationRow, SaveEvaluationInput } from '../contracts/snapshots';
import type { Cap } from '../domain/caps';
import type { Grade } from '../domain/types';
import { writeSideRecords } from './side-records';
import type { Sql } from './sql';

/** Separates these per-unit locks from the migrations' single-key advisory lock. */
const CLOSING_LOCK_SPACE = 7272;

/** The evaluation row as stored: what the workflow writes, plus what the cycle settles. */
export interface StoredEvaluation extends EvaluationRow {
  workflowId: string;
  finalGrade: Grade | null;
  caps: Cap[];
}

export async function findEvaluation(
  sql: Sql,
  period: string,
  personId: string,
): Promise<StoredEvaluation | undefined> {
  const [row] = await sql<StoredEvaluation[]>`
    select period, person_id, unit_id, workflow_id, reviewer_id, status, plan, self_scores, self_comment, review_scores,
           review_comment, total, proposed_grade, final_grade, caps, missed, history, deadlines
    from evaluations where period = ${period} and person_id = ${personId}`;
  return row;
}

/** Every evaluation of a unit's month. */
export async function evaluationsOfCycle(sql: Sql, unitId: string, period: string): Promise<StoredEvaluation[]> {
  return sql<StoredEvaluation[]>`
    select period, person_id, unit_id, workflow_id, reviewer_id, status, plan, self_scores, self_comment, review_scores,
           review_comment, total, proposed_grade, final_grade, caps, missed, history, deadlines
    from evaluations where unit_id = ${unitId} and period = ${period}`;
}

/** The snapshot version the read model holds for the evaluation, if it holds one. */
export async function evaluationVersionOf(sql: Sql, period: string, personId: string): Promise<number | undefined> {
  const [row] = await sql<
    { version: number }[]
  >`select version from evaluations where period = ${period} and person_id = ${personId}`;
  return row?.version;
}

export interface SettledMonth {
  personId: string;
  period: string;
  total: number | null;
  finalGrade: Grade | null;
  caps: { rule: string }[];
}

/**
 * The months of `year` settled (published or locked) for the people whose latest month of the
 * year was evaluated in `unitId`: months travel with the person. By person, then period.
 */
export async function settledMonthsOfYear(sql: Sql, unitId: string, year: string): Promise<SettledMonth[]> {
  return sql<SettledMonth[]>`
    select e.person_id, e.period, e.total, e.final_grade, e.caps from evaluations e
    join cycles cy on cy.unit_id = e.unit_id and cy.period = e.period and cy.phase in ('published', 'locked')
    where e.period like ${`${year}-%`}
      -- Months travel with the person: those whose latest month of the year was settled here.
      and e.person_id in (
        select person_id from (
          select distinct on (person_id) person_id, unit_id from evaluations
          where period like ${`${year}-%`} order by person_id, period desc
        ) latest where latest.unit_id = ${unitId})
    order by e.person_id, e.period`;
}

/** One person's months of `year` settled (published or locked), wherever they were evaluated, by period. */
export async function settledMonthsOfPerson(sql: Sql, personId: string, year: string): Promise<SettledMonth[]> {
  return sql<SettledMonth[]>`
    select e.person_id, e.period, e.total, e.final_grade, e.caps from evaluations e
    join cycles cy on cy.unit_id = e.unit_id and cy.period = e.period and cy.phase in ('published', 'locked')
    where e.person_id = ${personId} and e.period like ${`${year}-%`}
    order by e.period`;
}

/**
 * Upserts the evaluation row (never with an older version) and its side records, in one
 * transaction. A closing write also marks the row closed and returns how many of the unit's
 * evaluations are still open; closings of one unit take turns, so exactly the last one sees
 * none left, and a retry of it sees the same.
 */
export async function saveEvaluationSnapshot(sql: Sql, input: SaveEvaluationInput): Promise<ClosingWrite | null> {
  const r = input.row;
  return await sql.begin(async (tx) => {
    await tx`
      insert into evaluations (period, person_id, unit_id, workflow_id, reviewer_id, status, plan, self_scores, self_comment,
                               review_scores, review_comment, total, proposed_grade, missed, history, deadlines, version)
      values (${r.period}, ${r.personId}, ${r.unitId}, ${input.workflowId}, ${r.reviewerId}, ${r.status},
              ${r.plan ? tx.json(r.plan as never) : null}, ${r.selfScores ? tx.json(r.selfScores) : null}, ${r.selfComment},
              ${r.reviewScores ? tx.json(r.reviewScores) : null}, ${r.reviewComment}, ${r.total}, ${r.proposedGrade},
              ${r.missed}, ${tx.json(r.history as never)}, ${tx.json(r.deadlines)}, ${input.version})
      on conflict (period, person_id) do update set
        unit_id = excluded.unit_id, reviewer_id = excluded.reviewer_id,
        status = case when evaluations.status = 'decided' then evaluations.status else excluded.status end,
        plan = excluded.plan, self_scores = excluded.self_scores, self_comment = excluded.self_comment,
        review_scores = excluded.review_scores, review_comment = excluded.review_comment, total = excluded.total,
        proposed_grade = excluded.proposed_grade, missed = excluded.missed, history = excluded.history,
        deadlines = excluded.deadlines, version = excluded.version, updated_at = now()
      where evaluations.version < excluded.version`;
    let closing: ClosingWrite | null = null;
    if (input.closing) {
      await tx`select pg_advisory_xact_lock(${CLOSING_LOCK_SPACE}, hashtext(${`${r.unitId}/${r.period}`}))`;
      await tx`update evaluations set closed_at = now() where period = ${r.period} and person_id = ${r.personId} and closed_at is null`;
      const [{ open }] = await tx<{ open: number }[]>`
        select count(*)::int as open from evaluations where unit_id = ${r.unitId} and period = ${r.period} and closed_at is null`;
      closing = { openInUnit: open };
    }
    // Last, so the audit chain's lock is held for the commit alone.
    await writeSideRecords(tx, input);
    return closing;
  });
}

/** The reviewed results of those of `memberIds` whose evaluations of the unit's month have closed. */
export async function closedResults(
  sql: Sql,
  unitId: string,
  period: string,
  memberIds: string[],
): Promise<EvaluationResult[]> {
  if (memberIds.length === 0) return [];
  return await sql<EvaluationResult[]>`
    select person_id, self_scores, review_scores, total, proposed_grade, reviewer_id from evaluations
    where unit_id = ${unitId} and period = ${period} and closed_at is not null and person_id in ${sql(memberIds)}`;
}

/** The people graded D this month (final grade, else the proposed one), with the unit they are in now. */
export async function gradedDIn(sql: Sql, period: string): Promise<{ unitId: string; personId: string }[]> {
  return sql<{ unitId: string; personId: string }[]>`
    select p.unit_id, e.person_id from evaluations e join people p on p.id = e.person_id
    where e.period = ${period} and coalesce(e.final_grade, e.proposed_grade) = 'D'`;
}

/**
 * The open evaluations of cycles still running that owe a review and concern `personId`, as the
 * one evaluated or as their reviewer.
 */
export async function openEvaluationsTouching(
  sql: Sql,
  personId: string,
): Promise<{ workflowId: string; personId: string }[]> {
  return sql<{ workflowId: string; personId: string }[]>`
    select e.workflow_id, e.person_id from evaluations e
    join cycles c on c.unit_id = e.unit_id and c.period = e.period
    where c.phase in ('starting', 'open') and e.status in ('pending', 'planned', 'self-assessed')
      and (e.person_id = ${personId} or e.reviewer_id = ${personId})`;
}
