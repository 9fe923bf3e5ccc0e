/**
 * What the evaluation shows: the member line its commands answer with, the view its query
 * returns, the read-model row with its open steps, and the workflow's result. Each reads the state
 * when called; none changes it.
 */
import type { EvaluationRow, OpenStep } from '../../contracts/snapshots';
import type { EvaluationResult, EvaluationView, MemberLine } from '../../contracts/messages';
import type { Evaluation } from './state';

/** The person's line, as the cycle lists members and as the submit commands reply. */
export function memberLine(ev: Evaluation): MemberLine {
  return {
    personId: ev.input.personId,
    status: ev.status,
    reviewerId: ev.reviewerId,
    selfScores: ev.selfScores,
    reviewScores: ev.reviewScores,
    total: ev.total,
    proposedGrade: ev.proposedGrade,
    finalGrade: null,
    caps: [],
  };
}

/** The `getEvaluation` query. */
export function evaluationView(ev: Evaluation): EvaluationView {
  return {
    ...memberLine(ev),
    period: ev.input.period,
    unitId: ev.input.unitId,
    plan: ev.plan,
    selfComment: ev.selfComment,
    reviewComment: ev.reviewComment,
    deadlines: { ...ev.deadlines },
    missed: [...ev.missed],
    history: [...ev.history],
    escalations: ev.escalations.items,
  };
}

/** Who owes what now, for the read model's to-do lists. */
export function openSteps(ev: Evaluation): OpenStep[] {
  const { personId } = ev.input;
  const { phase, deadlines, link, reviewerId } = ev;
  const steps: OpenStep[] = [];
  if (phase === 'plan') steps.push({ stepKey: 'plan', ownerId: personId, kind: 'plan', dueAt: deadlines.plan, link });
  if (phase === 'self-assessment' && !ev.openEscalation('self-assessment')) {
    steps.push({
      stepKey: 'self-assessment',
      ownerId: personId,
      kind: 'self-assessment',
      dueAt: deadlines.selfAssessment,
      link,
    });
  }
  if (reviewerId && (phase === 'review' || (phase === 'self-assessment' && ev.openEscalation('self-assessment')))) {
    steps.push({ stepKey: 'review', ownerId: reviewerId, kind: 'review', dueAt: deadlines.review, link });
  }
  steps.push(...ev.escalations.openSteps());
  return steps;
}

/** The evaluation's row in the read model. */
export function evaluationRow(ev: Evaluation): EvaluationRow {
  return {
    period: ev.input.period,
    personId: ev.input.personId,
    unitId: ev.input.unitId,
    reviewerId: ev.reviewerId,
    status: ev.status,
    plan: ev.plan,
    selfScores: ev.selfScores,
    selfComment: ev.selfComment,
    reviewScores: ev.reviewScores,
    reviewComment: ev.reviewComment,
    total: ev.total,
    proposedGrade: ev.proposedGrade,
    missed: [...ev.missed],
    history: [...ev.history],
    deadlines: { ...ev.deadlines },
  };
}

/** What the workflow returns when it completes. */
export function evaluationResult(ev: Evaluation): EvaluationResult {
  return {
    personId: ev.input.personId,
    selfScores: ev.selfScores,
    reviewScores: ev.reviewScores,
    total: ev.total,
    proposedGrade: ev.proposedGrade,
    reviewerId: ev.reviewerId,
  };
}
