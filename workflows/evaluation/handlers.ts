/**
 * The evaluation's messages: its query, the three filings with their validators, escalation
 * decisions, the reroute when a case moves someone, and the admin's deadline override. Handlers
 * change the state synchronously (no waiting on I/O), so an update completes in the activation
 * that accepted it; validators leave no trace in history.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { ADMIN_ACTOR } from '../../domain/actors';
import type { Scores } from '../../domain/types';
import { toMs, type Deadlines } from '../../domain/calendar';
import { ErrorType } from '../../domain/errors';
import { gradeFor, totalOf } from '../../domain/scoring';
import {
  deadlinesChanged,
  decideEscalation,
  getEvaluation,
  rerouteEvaluation,
  submitPlan,
  submitReview,
  submitSelfAssessment,
  type Actor,
  type MemberLine,
  type PlanTask,
} from '../../contracts/messages';
import { actsAs, refuse } from '../steps';
import { auditEntry } from './documents';
import type { Evaluation } from './state';
import { evaluationView, memberLine } from './views';

type Filed = MemberLine & { readModelVersion: number };
type Scored = { actor: Actor; scores: Scores; comment?: string };
type Route = { caseId: string; reviewerId: string | null; chain: Record<string, string | null>; collective: string[] };

/** Sets every handler of the evaluation, in the order the workflow always set them. */
export function setEvaluationHandlers(ev: Evaluation): void {
  setHandler(getEvaluation, () => evaluationView(ev));
  setHandler(submitPlan, (args) => filePlan(ev, args), { validator: (args) => planAllowed(ev, args) });
  setHandler(submitSelfAssessment, (args) => fileSelfAssessment(ev, args), {
    validator: (args) => selfAssessmentAllowed(ev, args),
  });
  setHandler(submitReview, (args) => fileReview(ev, args), { validator: (args) => reviewAllowed(ev, args) });
  setHandler(decideEscalation, (args) => ({ ...ev.escalations.decide(args), readModelVersion: ev.writes.latest() }), {
    validator: (args) => ev.escalations.validate(args),
  });
  setHandler(rerouteEvaluation, (route) => reroute(ev, route));
  setHandler(deadlinesChanged, (args) => overrideDeadlines(ev, args));
}

async function filePlan(ev: Evaluation, { actor, tasks }: { actor: Actor; tasks: PlanTask[] }): Promise<Filed> {
  ev.plan = tasks;
  ev.status = 'planned';
  const reply = memberLine(ev);
  return { ...reply, readModelVersion: ev.persist([ev.recordStep('plan', actor, { tasks })]) };
}

function planAllowed(ev: Evaluation, { actor, tasks }: { actor: Actor; tasks: PlanTask[] }): void {
  const { phase, status } = ev;
  if (actor.id !== ev.input.personId) refuse(ErrorType.Forbidden, 'Only the person files their own plan.');
  if (phase !== 'plan' || Date.now() >= toMs(ev.deadlines.plan))
    refuse(ErrorType.WrongPhase, 'The plan step is closed.', { phase, status });
  if (!Array.isArray(tasks) || tasks.length === 0)
    refuse(ErrorType.BadInput, 'A plan needs at least one task.', { field: 'tasks' });
}

async function fileSelfAssessment(ev: Evaluation, { actor, scores, comment }: Scored): Promise<Filed> {
  ev.selfScores = scores;
  ev.selfComment = comment ?? null;
  ev.status = 'self-assessed';
  // Filed after an admin moved the deadline during its escalation: nothing is left to decide.
  ev.closeOpen('self-assessment');
  const reply = memberLine(ev);
  return { ...reply, readModelVersion: ev.persist([ev.recordStep('self-assessment', actor, { scores, comment })]) };
}

function selfAssessmentAllowed(ev: Evaluation, { actor, scores }: Scored): void {
  const { phase, status } = ev;
  if (actor.id !== ev.input.personId) refuse(ErrorType.Forbidden, 'Only the person files their own self-assessment.');
  // Judged by the clock, not by `phase`: the timer that opens the step may fire in the same activation as this update.
  const t = Date.now();
  const planOver = phase !== 'plan' || t >= toMs(ev.deadlines.plan);
  if (!planOver || t < toMs(ev.selfOpensAt())) {
    refuse(ErrorType.WrongPhase, `Self-assessment opens at ${ev.selfOpensAt()}.`, {
      phase,
      status,
      opensAt: ev.selfOpensAt(),
    });
  }
  if (ev.selfScores !== null || phase === 'review' || phase === 'done' || t >= toMs(ev.deadlines.selfAssessment)) {
    refuse(ErrorType.WrongPhase, 'The self-assessment step is closed.', { phase, status });
  }
  ev.checkScores(scores);
}

async function fileReview(ev: Evaluation, { actor, scores, comment }: Scored): Promise<Filed> {
  ev.reviewScores = scores;
  ev.reviewComment = comment ?? null;
  ev.total = totalOf(ev.profile, scores);
  ev.proposedGrade = gradeFor(ev.total, ev.profile);
  ev.status = 'reviewed';
  ev.closeOpen('review');
  // Reviewing without the missed self-assessment is the step's default: it settles that escalation too.
  ev.closeOpen('self-assessment');
  const reply = memberLine(ev);
  const { total, proposedGrade } = ev;
  return {
    ...reply,
    readModelVersion: ev.persist([ev.recordStep('review', actor, { scores, comment, total, proposedGrade })]),
  };
}

function reviewAllowed(ev: Evaluation, { actor, scores }: Scored): void {
  const { phase, status, reviewerId } = ev;
  if (actor.id === ev.input.personId) refuse(ErrorType.Forbidden, 'Nobody reviews their own evaluation.');
  if (!reviewerId || !actsAs(actor, reviewerId)) {
    refuse(ErrorType.Forbidden, `Only the assigned reviewer (${reviewerId ?? 'none'}) reviews this evaluation.`);
  }
  // The review opens on the self-assessment, or on its miss (while that escalation is still open).
  // A self-assessment in hand opens it even before the main routine has moved `phase` on: the
  // timer that ends the plan step may fire in the same activation as this update.
  const selfAssessed = ev.selfScores !== null && phase !== 'done';
  if (phase !== 'review' && !selfAssessed && !(phase === 'self-assessment' && ev.openEscalation('self-assessment'))) {
    refuse(ErrorType.WrongPhase, 'The review step is not open.', { phase, status });
  }
  // `phase` only moves on once the main routine runs, after every update of the activation:
  // a second review delivered beside the first would pass the test above and overwrite it.
  // No patch: validators do not run on replay, and a refusal leaves nothing in history.
  if (ev.reviewScores !== null)
    refuse(ErrorType.WrongPhase, 'The evaluation has already been reviewed.', { phase, status });
  ev.checkScores(scores);
}

/** A case moved the person or their reviewer: the review still owed, and any open escalation of it, go to the new reviewer. */
function reroute(ev: Evaluation, route: Route): void {
  if (!patched('reroute-on-move')) return;
  ev.chain = route.chain;
  ev.collective = route.collective;
  const owed = ev.reviewScores === null && ev.phase !== 'done';
  const from = ev.reviewerId;
  if (owed) ev.reviewerId = route.reviewerId;
  // An escalation of the review now climbs from the new reviewer: the open one goes to them.
  for (const e of ev.escalations.items) {
    if (e.status === 'open' && owed && route.reviewerId && e.targetId === from) e.targetId = route.reviewerId;
  }
  ev.persist([
    auditEntry(ev, 'evaluation.rerouted', { payload: { caseId: route.caseId, from, to: ev.reviewerId, owed } }),
  ]);
}

async function overrideDeadlines(
  ev: Evaluation,
  { deadlines: changed }: { deadlines: Partial<Deadlines> },
): Promise<void> {
  // An evaluation that stays open after its steps has no deadline left to move.
  if (ev.input.closesWithCycle && ev.phase === 'done') return;
  if (changed.plan) ev.deadlines.plan = changed.plan;
  if (changed.selfAssessment) ev.deadlines.selfAssessment = changed.selfAssessment;
  if (changed.review) ev.deadlines.review = changed.review;
  ev.persist([auditEntry(ev, 'evaluation.deadlines-overridden', { actor: ADMIN_ACTOR, payload: { changed } })]);
}
