/** The evaluations' read model as the API reads it: one member's month, a cycle's, a year's settled months. */
import type { EvaluationRow } from '../contracts/snapshots';
import type { Cap } from '../domain/caps';
import type { Grade } from '../domain/types';
import type { Sql } from './sql';

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
