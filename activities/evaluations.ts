/** Activities of the evaluation workflow: its snapshot in the read model. */
import type { Sql } from '../db/sql';
import { writeSideRecords } from './records';
import type { ClosingWrite, SaveEvaluationInput } from '../contracts/snapshots';

/** Separates these per-unit locks from the migrations' single-key advisory lock. */
const CLOSING_LOCK_SPACE = 7272;

export function evaluationActivities(sql: Sql) {
  return {
    /**
     * Upserts the evaluation row (never with an older version) and its side records, in one
     * transaction. A closing write also marks the row closed and returns how many of the unit's
     * evaluations are still open; closings of one unit take turns, so exactly the last one sees
     * none left, and a retry of it sees the same.
     */
    async saveEvaluation(input: SaveEvaluationInput): Promise<ClosingWrite | null> {
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
        await writeSideRecords(tx, input);
        if (!input.closing) return null;
        await tx`select pg_advisory_xact_lock(${CLOSING_LOCK_SPACE}, hashtext(${`${r.unitId}/${r.period}`}))`;
        await tx`update evaluations set closed_at = now() where period = ${r.period} and person_id = ${r.personId} and closed_at is null`;
        const [{ open }] = await tx<{ open: number }[]>`
          select count(*)::int as open from evaluations where unit_id = ${r.unitId} and period = ${r.period} and closed_at is null`;
        return { openInUnit: open };
      });
    },
  };
}
