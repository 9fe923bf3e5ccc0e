/**
 * One person's month: plan → self-assessment → review, each with its deadline, reminders and,
 * when missed, the notice or escalation that domain.md prescribes. The unit's cycle, which settles
 * the final grade, reads the reviewed scores from the read model once the last evaluation of the
 * unit has closed and signalled it; the evaluation stays open until the cycle completes.
 *
 * This function only wires the parts: the state (state.ts), its handlers (handlers.ts), its steps
 * (plan.ts, self-assessment.ts, review.ts, closing.ts), what it shows (views.ts) and writes
 * (documents.ts). The steps hand back the promises this routine waits on instead of awaiting them
 * in functions of their own: the order of a workflow's commands within an activation follows the
 * microtask turns its routines take, so it waits on exactly what it waited on as one function.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  patched,
  workflowInfo,
} from '@temporalio/workflow';
import { evaluationsClosed, type EvaluationResult } from '../../contracts/messages';
import { closedByCycle, closeSteps } from './closing';
import { auditEntry } from './documents';
import { setEvaluationHandlers } from './handlers';
import { planDue, planOver } from './plan';
import {
  applyReviewDecision,
  openReview,
  proposeFromSelfAssessment,
  reviewDue,
  reviewMissed,
  reviewOwed,
} from './review';
import {
  applySelfAssessmentDecision,
  openSelfAssessment,
  selfAssessmentDue,
  selfAssessmentMissed,
  selfAssessmentOpening,
} from './self-assessment';
import { Evaluation, type EvaluationInput } from './state';
import { evaluationResult } from './views';

export type { EvaluationInput } from './state';

/** The evaluation of `input.personId` for `input.period`. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const ev = new Evaluation(input, workflowInfo().workflowId);
  // Not cancellable: when the cycle closes this evaluation (or is stopped), a cancellation must not
  // reject the writer's own wait, which would fail every workflow task as an unhandled rejection.
  void CancellationScope.nonCancellable(() => ev.writes.run());
  setEvaluationHandlers(ev);
  ev.announce({ phaseSearchable: !patched('evaluation-phase-in-read-model-only') });
  ev.persist([auditEntry(ev, 'evaluation.opened', { payload: { deadlines: ev.deadlines } })]);

  planOver(ev, await planDue(ev));

  for (let opening = selfAssessmentOpening(ev); opening; opening = selfAssessmentOpening(ev)) await opening;
  openSelfAssessment(ev);
  for (;;) {
    if ((await selfAssessmentDue(ev)) === 'done') break;
    const esc = await selfAssessmentMissed(ev);
    if (applySelfAssessmentDecision(ev, esc) === 'over') break;
  }

  if (reviewOwed(ev)) {
    openReview(ev);
    for (;;) {
      if ((await reviewDue(ev)) === 'done') break;
      const esc = await reviewMissed(ev);
      if (applyReviewDecision(ev, esc) === 'reviewed') break;
    }
  } else {
    proposeFromSelfAssessment(ev);
  }

  closeSteps(ev);
  await ev.writes.settled();
  if (input.closesWithCycle) {
    const parent = workflowInfo().parent;
    if (ev.lastOfUnit && parent)
      await getExternalWorkflowHandle(parent.workflowId).signal(evaluationsClosed, { personId: input.personId });
    await closedByCycle();
  }
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
  return evaluationResult(ev);
}
