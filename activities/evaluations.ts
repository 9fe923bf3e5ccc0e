/** Activities of the evaluation workflow: its snapshot in the read model. */
import { saveEvaluationSnapshot } from '../db/evaluations';
import type { Sql } from '../db/sql';
import type { ClosingWrite, SaveEvaluationInput } from '../contracts/snapshots';

export function evaluationActivities(sql: Sql) {
  return {
    /** The evaluation's snapshot and side records in one transaction (db/evaluations.ts saveEvaluationSnapshot). */
    saveEvaluation: (input: SaveEvaluationInput): Promise<ClosingWrite | null> => saveEvaluationSnapshot(sql, input),
  };
}
