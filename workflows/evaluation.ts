/**
 * One person's month: plan → self-assessment → review, each with its deadline, reminders and,
 * when missed, the notice or escalation that domain.md prescribes. The unit's cycle, which settles
 * the final grade, reads the reviewed scores from the read model once the last evaluation of the
 * unit has closed and signalled it; the evaluation stays open until the cycle completes.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  getExternalWorkflowHandle,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AuditEntry, EvaluationRow, Notification, OpenStep } from '../contracts/snapshots';
import { reminderTimes, reviewFloorAfterExtension, selfAssessmentOpensAt, toMs, workingDaysAfter, type Deadlines } from '../domain/calendar';
import type { RulesConfig } from '../domain/config';
import { ErrorType } from '../domain/errors';
import { gradeFor, profileFor, PROFILES, totalOf, validateScores } from '../domain/scoring';
import type { Grade, Role, Scores } from '../domain/types';
import {
  deadlinesChanged,
  decideEscalation,
  evaluationsClosed,
  getEvaluation,
  rerouteEvaluation,
  submitPlan,
  submitReview,
  submitSelfAssessment,
  type Actor,
  type EvaluationResult,
  type EvaluationView,
  type HistoryEntry,
  type MemberLine,
  type MemberStatus,
  type PlanTask,
  SEARCH,
} from '../contracts/messages';
import { actsAs, awaitStep, Escalations, escalationNotice, ladderAbove, now, ReadModelWriter, refuse, saveEvaluation } from './steps';


export interface EvaluationInput {
  period: string;
  personId: string;
  /** The unit whose collective settles this person. */
  unitId: string;
  role: Role;
  reviewerId: string | null;
  /** reviewerOf() for the leaders an escalation can climb through. */
  chain: Record<string, string | null>;
  /** The settling unit's leadership collective: who a review may be reassigned to. */
  collective: string[];
  deadlines: Deadlines;
  holidays: string[];
  profileId: string;
  rules: RulesConfig;
  /**
   * Set by cycles started with `cycle-learns-reviews-from-read-model`: once its steps are over the
   * evaluation marks its row closed and stays open (answering queries) until its cycle closes,
   * instead of completing and waking the cycle with every review (bench/README.md, change 22).
   */
  closesWithCycle?: boolean;
}

type Phase = 'plan' | 'waiting' | 'self-assessment' | 'review' | 'done';


const STEP_LABEL: Record<string, string> = {
  plan: 'work plan',
  selfAssessment: 'self-assessment',
  review: 'review',
};

/** The evaluation of `input.personId` for `input.period`. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const { workflowId } = workflowInfo();
  const profile = PROFILES[input.profileId] ?? profileFor(input.period);
  const link = `/v1/evaluations/${input.period}/${input.personId}`;
  const deadlines = {
    plan: input.deadlines.plan,
    selfAssessment: input.deadlines.selfAssessment,
    review: input.deadlines.review,
  };
  let phase: Phase = 'plan';
  let status: MemberStatus = 'pending';
  let reviewerId = input.reviewerId;
  // Replaced by a reroute when a case moves someone while the month is open.
  let chain = input.chain;
  let collective = input.collective;
  let plan: PlanTask[] | null = null;
  let selfScores: Scores | null = null;
  let selfComment: string | null = null;
  let reviewScores: Scores | null = null;
  let reviewComment: string | null = null;
  let total: number | null = null;
  let proposedGrade: Grade | null = null;
  const missed: string[] = [];
  const history: HistoryEntry[] = [];
  /** A closing write found no evaluation of the unit still open: this one wakes the cycle. */
  let lastOfUnit = false;

  const selfOpensAt = (): string => selfAssessmentOpensAt(deadlines.selfAssessment, input.holidays, input.rules);

  const escalations = new Escalations(
    () => input.rules,
    () => input.holidays,
    (esc, event) => {
      const notes = escalationNotice(workflowId, esc, event, {
        subject: `Escalation: missed ${esc.kind} of ${input.personId} (${input.period})`,
        body: `The ${esc.kind} step of ${input.personId} for ${input.period} was missed. Please decide by ${esc.dueAt}: extend, take over, reassign or accept the default. Decide at /v1/escalations/${esc.id}/decision.`,
      });
      persist([{ at: now(), actor: esc.decision?.by ?? 'system', action: `escalation.${event}`, subject: workflowId, payload: { escalation: esc } }], notes);
    },
  );

  const openEscalation = (kind: string): boolean => escalations.items.some((e) => e.kind === kind && e.status === 'open');
  const closeOpen = (kind: string): void => {
    for (const e of escalations.items) if (e.status === 'open' && e.kind === kind) e.status = 'closed';
  };

  const line = (): MemberLine => ({
    personId: input.personId,
    status,
    reviewerId,
    selfScores,
    reviewScores,
    total,
    proposedGrade,
    finalGrade: null,
    caps: [],
  });

  const view = (): EvaluationView => ({
    ...line(),
    period: input.period,
    unitId: input.unitId,
    plan,
    selfComment,
    reviewComment,
    deadlines: { ...deadlines },
    missed: [...missed],
    history: [...history],
    escalations: escalations.items,
  });

  const openSteps = (): OpenStep[] => {
    const steps: OpenStep[] = [];
    if (phase === 'plan') steps.push({ stepKey: 'plan', ownerId: input.personId, kind: 'plan', dueAt: deadlines.plan, link });
    if (phase === 'self-assessment' && !openEscalation('self-assessment')) {
      steps.push({ stepKey: 'self-assessment', ownerId: input.personId, kind: 'self-assessment', dueAt: deadlines.selfAssessment, link });
    }
    if (reviewerId && (phase === 'review' || (phase === 'self-assessment' && openEscalation('self-assessment')))) {
      steps.push({ stepKey: 'review', ownerId: reviewerId, kind: 'review', dueAt: deadlines.review, link });
    }
    for (const e of escalations.items.filter((x) => x.status === 'open')) {
      steps.push({ stepKey: `escalation:${e.id}`, ownerId: e.targetId, kind: 'escalation', dueAt: e.dueAt, link: `/v1/escalations/${e.id}` });
    }
    return steps;
  };

  const writes = new ReadModelWriter(async ({ version, audit, notifications }) => {
    const row: EvaluationRow = {
      period: input.period,
      personId: input.personId,
      unitId: input.unitId,
      reviewerId,
      status,
      plan,
      selfScores,
      selfComment,
      reviewScores,
      reviewComment,
      total,
      proposedGrade,
      missed: [...missed],
      history: [...history],
      deadlines: { ...deadlines },
    };
    const written = await saveEvaluation({
      workflowId,
      version,
      row,
      escalations: escalations.items,
      openSteps: openSteps(),
      audit,
      notifications,
      ...(input.closesWithCycle && phase === 'done' ? { closing: true } : {}),
    });
    if (written?.openInUnit === 0) lastOfUnit = true;
  });
  const persist = (audit: AuditEntry[] = [], notifications: Notification[] = []): number => writes.record(audit, notifications);
  // Not cancellable: when the cycle closes this evaluation (or is stopped), a cancellation must not
  // reject the writer's own wait, which would fail every workflow task as an unhandled rejection.
  void CancellationScope.nonCancellable(() => writes.run());

  const remind = (stepKey: keyof typeof deadlines, ownerId: () => string | null) => async (at: string, deadline: string): Promise<void> => {
    const owner = ownerId();
    if (!owner) return;
    persist([], [
      {
        key: `${workflowId}:reminder:${stepKey}:${deadline}:${at}`,
        recipientId: owner,
        subject: `Reminder: ${STEP_LABEL[stepKey]} for ${input.personId} due ${deadline}`,
        body: `The ${STEP_LABEL[stepKey]} of ${input.personId} for ${input.period} is due at ${deadline}. Open ${link}.`,
      },
    ]);
  };

  const scoreIssues = (scores: Scores): void => {
    const issues = validateScores(profile, scores);
    if (issues.length > 0) refuse(ErrorType.BadInput, `The scores do not fit profile ${profile.id}.`, { fields: issues });
  };

  const record = (step: string, actor: Actor, payload: Record<string, unknown>): AuditEntry => {
    history.push({ step, by: actor.id, at: now() });
    return { at: now(), actor: actor.id, action: `evaluation.${step}`, subject: workflowId, payload };
  };

  setHandler(getEvaluation, view);

  setHandler(
    submitPlan,
    async ({ actor, tasks }) => {
      plan = tasks;
      status = 'planned';
      const reply = line();
      return { ...reply, readModelVersion: persist([record('plan', actor, { tasks })]) };
    },
    {
      validator: ({ actor, tasks }) => {
        if (actor.id !== input.personId) refuse(ErrorType.Forbidden, 'Only the person files their own plan.');
        if (phase !== 'plan' || Date.now() >= toMs(deadlines.plan)) refuse(ErrorType.WrongPhase, 'The plan step is closed.', { phase, status });
        if (!Array.isArray(tasks) || tasks.length === 0) refuse(ErrorType.BadInput, 'A plan needs at least one task.', { field: 'tasks' });
      },
    },
  );

  setHandler(
    submitSelfAssessment,
    async ({ actor, scores, comment }) => {
      selfScores = scores;
      selfComment = comment ?? null;
      status = 'self-assessed';
      // Filed after an admin moved the deadline during its escalation: nothing is left to decide.
      closeOpen('self-assessment');
      const reply = line();
      return { ...reply, readModelVersion: persist([record('self-assessment', actor, { scores, comment })]) };
    },
    {
      validator: ({ actor, scores }) => {
        if (actor.id !== input.personId) refuse(ErrorType.Forbidden, 'Only the person files their own self-assessment.');
        // Judged by the clock, not by `phase`: the timer that opens the step may fire in the same activation as this update.
        const t = Date.now();
        const planOver = phase !== 'plan' || t >= toMs(deadlines.plan);
        if (!planOver || t < toMs(selfOpensAt())) {
          refuse(ErrorType.WrongPhase, `Self-assessment opens at ${selfOpensAt()}.`, { phase, status, opensAt: selfOpensAt() });
        }
        if (selfScores !== null || phase === 'review' || phase === 'done' || t >= toMs(deadlines.selfAssessment)) {
          refuse(ErrorType.WrongPhase, 'The self-assessment step is closed.', { phase, status });
        }
        scoreIssues(scores);
      },
    },
  );

  setHandler(
    submitReview,
    async ({ actor, scores, comment }) => {
      reviewScores = scores;
      reviewComment = comment ?? null;
      total = totalOf(profile, scores);
      proposedGrade = gradeFor(total, profile);
      status = 'reviewed';
      closeOpen('review');
      // Reviewing without the missed self-assessment is the step's default: it settles that escalation too.
      closeOpen('self-assessment');
      const reply = line();
      return { ...reply, readModelVersion: persist([record('review', actor, { scores, comment, total, proposedGrade })]) };
    },
    {
      validator: ({ actor, scores }) => {
        if (actor.id === input.personId) refuse(ErrorType.Forbidden, 'Nobody reviews their own evaluation.');
        if (!reviewerId || !actsAs(actor, reviewerId)) {
          refuse(ErrorType.Forbidden, `Only the assigned reviewer (${reviewerId ?? 'none'}) reviews this evaluation.`);
        }
        // The review opens on the self-assessment, or on its miss (while that escalation is still open).
        // A self-assessment in hand opens it even before the main routine has moved `phase` on: the
        // timer that ends the plan step may fire in the same activation as this update.
        const selfAssessed = selfScores !== null && phase !== 'done';
        if (phase !== 'review' && !selfAssessed && !(phase === 'self-assessment' && openEscalation('self-assessment'))) {
          refuse(ErrorType.WrongPhase, 'The review step is not open.', { phase, status });
        }
        // `phase` only moves on once the main routine runs, after every update of the activation:
        // a second review delivered beside the first would pass the test above and overwrite it.
        // No patch: validators do not run on replay, and a refusal leaves nothing in history.
        if (reviewScores !== null) refuse(ErrorType.WrongPhase, 'The evaluation has already been reviewed.', { phase, status });
        scoreIssues(scores);
      },
    },
  );

  setHandler(
    decideEscalation,
    (args) => ({ ...escalations.decide(args), readModelVersion: writes.latest() }),
    { validator: (args) => escalations.validate(args) },
  );

  setHandler(rerouteEvaluation, (route) => {
    if (!patched('reroute-on-move')) return;
    chain = route.chain;
    collective = route.collective;
    const owed = reviewScores === null && phase !== 'done';
    const from = reviewerId;
    if (owed) reviewerId = route.reviewerId;
    // An escalation of the review now climbs from the new reviewer: the open one goes to them.
    for (const e of escalations.items) {
      if (e.status === 'open' && owed && route.reviewerId && e.targetId === from) e.targetId = route.reviewerId;
    }
    persist([{ at: now(), actor: 'system', action: 'evaluation.rerouted', subject: workflowId, payload: { caseId: route.caseId, from, to: reviewerId, owed } }]);
  });

  setHandler(deadlinesChanged, async ({ deadlines: changed }) => {
    // An evaluation that stays open after its steps has no deadline left to move.
    if (input.closesWithCycle && phase === 'done') return;
    if (changed.plan) deadlines.plan = changed.plan;
    if (changed.selfAssessment) deadlines.selfAssessment = changed.selfAssessment;
    if (changed.review) deadlines.review = changed.review;
    persist([{ at: now(), actor: 'admin', action: 'evaluation.deadlines-overridden', subject: workflowId, payload: { changed } }]);
  });

  // An evaluation's phase is in the read model (the API shows it); in Temporal's visibility store
  // each change of it was one more write on the server per submission (bench/README.md, change 19).
  // Workflows started before this patch keep upserting it, as their histories say.
  const phaseSearchable = !patched('evaluation-phase-in-read-model-only');
  const enter = (next: Phase): void => {
    phase = next;
    if (phaseSearchable) upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  };
  upsertSearchAttributes([
    { key: SEARCH.unitId, value: input.unitId },
    { key: SEARCH.period, value: input.period },
    { key: SEARCH.personId, value: input.personId },
    ...(phaseSearchable ? [{ key: SEARCH.phase, value: phase }] : []),
  ]);

  persist([{ at: now(), actor: 'system', action: 'evaluation.opened', subject: workflowId, payload: { deadlines } }]);

  // Plan: a miss is a notice to the reviewer, and the month goes on without one.
  const planOutcome = await awaitStep({
    done: () => plan !== null,
    deadline: () => deadlines.plan,
    reminders: (d) => reminderTimes(d, input.holidays, input.rules),
    onReminder: remind('plan', () => input.personId),
  });
  enter('waiting');
  if (planOutcome === 'missed') {
    missed.push('plan');
    persist(
      [{ at: now(), actor: 'system', action: 'evaluation.plan-missed', subject: workflowId }],
      reviewerId
        ? [
            {
              key: `${workflowId}:plan-missed`,
              recipientId: reviewerId,
              subject: `No work plan from ${input.personId} for ${input.period}`,
              body: `${input.personId} filed no plan by ${deadlines.plan}. The month goes on without one.`,
            },
          ]
        : [],
    );
  } else {
    persist();
  }

  // Self-assessment opens a few working days before its (movable) deadline.
  for (;;) {
    const opensAt = selfOpensAt();
    if (Date.now() >= toMs(opensAt)) break;
    await condition(() => selfOpensAt() !== opensAt, toMs(opensAt) - Date.now());
  }
  enter('self-assessment');
  persist();
  for (;;) {
    const outcome = await awaitStep({
      done: () => selfScores !== null,
      deadline: () => deadlines.selfAssessment,
      reminders: (d) => reminderTimes(d, input.holidays, input.rules),
      onReminder: remind('selfAssessment', () => input.personId),
    });
    if (outcome === 'done') break;
    if (!missed.includes('self-assessment')) missed.push('self-assessment');
    if (reviewerId) {
      // The review is owed from the miss on: its reminders run while the reviewer decides the escalation.
      void awaitStep({
        done: () => reviewScores !== null || !openEscalation('self-assessment'),
        deadline: () => deadlines.review,
        reminders: (d) => reminderTimes(d, input.holidays, input.rules),
        onReminder: remind('review', () => reviewerId),
      }).catch(unlessCancelled);
    }
    const esc = await escalations.run({
      kind: 'self-assessment',
      personId: input.personId,
      unitId: input.unitId,
      period: input.period,
      ladder: reviewerId ? [reviewerId, ...ladderAbove(chain, reviewerId)] : ['hr'],
      // Undecided by the review deadline, the default (review without it) applies.
      firstDueAt: deadlines.review,
      hasDefault: true,
      climbs: false,
      reassignable: [],
      settles: [input.personId],
      stepDeadline: () => deadlines.selfAssessment,
    });
    if (esc.status === 'decided' && esc.decision?.action === 'extend' && esc.decision.until) {
      deadlines.selfAssessment = esc.decision.until;
      // The reviewer keeps at least the usual working days (the rules') after an extended self-assessment.
      const reviewFloor = reviewFloorAfterExtension(esc.decision.until, input.holidays, input.rules);
      if (toMs(reviewFloor) > toMs(deadlines.review)) deadlines.review = reviewFloor;
      persist();
      continue;
    }
    break;
  }

  if (reviewerId && reviewScores === null) {
    enter('review');
    persist();
    for (;;) {
      const outcome = await awaitStep({
        done: () => reviewScores !== null,
        deadline: () => deadlines.review,
        reminders: (d) => reminderTimes(d, input.holidays, input.rules),
        onReminder: remind('review', () => reviewerId),
      });
      if (outcome === 'done') break;
      if (!missed.includes('review')) missed.push('review');
      const missedBy = reviewerId;
      const esc = await escalations.run({
        kind: 'review',
        personId: input.personId,
        unitId: input.unitId,
        period: input.period,
        ladder: ladderAbove(chain, missedBy),
        firstDueAt: workingDaysAfter(now(), input.rules.escalationClimbWorkingDays, input.holidays, input.rules),
        hasDefault: false,
        climbs: true,
        reassignable: collective,
        settles: [input.personId],
        stepDeadline: () => deadlines.review,
      });
      if (reviewScores !== null) break;
      const d = esc.decision;
      if (!d) continue;
      const fresh = d.until ?? workingDaysAfter(now(), input.rules.escalationClimbWorkingDays, input.holidays, input.rules);
      if (d.action === 'take-over') reviewerId = d.by;
      if (d.action === 'reassign' && d.assigneeId) reviewerId = d.assigneeId;
      deadlines.review = fresh;
      persist();
    }
  } else if (selfScores) {
    // The top unit's head has nobody above to review them: the self-assessment is the proposal the collective settles.
    total = totalOf(profile, selfScores);
    proposedGrade = gradeFor(total, profile);
  }

  enter('done');
  // The top head's self-assessment stands in for the review (handlers mutate `status`, so read it through a cast).
  if ((status as MemberStatus) !== 'reviewed' && proposedGrade) status = 'reviewed';
  persist([{ at: now(), actor: 'system', action: 'evaluation.closed', subject: workflowId, payload: { total, proposedGrade } }]);
  await writes.settled();
  if (input.closesWithCycle) {
    const parent = workflowInfo().parent;
    if (lastOfUnit && parent) await getExternalWorkflowHandle(parent.workflowId).signal(evaluationsClosed, { personId: input.personId });
    await closedByCycle();
  }
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
  return { personId: input.personId, selfScores, reviewScores, total, proposedGrade, reviewerId };
}

/** Waits until the cycle closes, which asks its open evaluations to close (ParentClosePolicy.REQUEST_CANCEL). */
async function closedByCycle(): Promise<void> {
  try {
    await CancellationScope.current().cancelRequested;
  } catch (err) {
    unlessCancelled(err);
  }
}

/** A wait ended by the cycle closing is not an error; anything else is. */
function unlessCancelled(err: unknown): void {
  if (!isCancellation(err)) throw err;
}
