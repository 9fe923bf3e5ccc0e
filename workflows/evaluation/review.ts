/**
 * The review step: owed by the reviewer once the self-assessment is in or was missed; a miss
 * climbs the ladder above the reviewer, one level every `escalationClimbWorkingDays`, until
 * someone extends, takes over or reassigns. Without a reviewer (the top unit's head) the
 * self-assessment is the proposal.
 */
import type { EscalationView } from '../../contracts/messages';
import { workingDaysAfter } from '../../domain/calendar';
import { gradeFor, totalOf } from '../../domain/scoring';
import { awaitStep, ladderAbove, now } from '../steps';
import type { StepOutcome } from './plan';
import type { Evaluation } from './state';
import { HR_ACTOR } from '../../domain/actors';

/** Whether a review is still to wait for: there is a reviewer and no review yet. */
export function reviewOwed(ev: Evaluation): boolean {
  return Boolean(ev.reviewerId) && ev.reviewScores === null;
}

export function openReview(ev: Evaluation): void {
  ev.enter('review');
  ev.persist();
}

/** The wait for the review, until it is filed or its deadline passes. */
export function reviewDue(ev: Evaluation): Promise<StepOutcome> {
  return awaitStep({
    done: () => ev.reviewScores !== null,
    deadline: () => ev.deadlines.review,
    reminders: ev.reminders,
    onReminder: ev.remind('review', () => ev.reviewerId),
  });
}

/** The review was missed: its escalation climbs from the reviewer who missed it; resolves once decided. */
export function reviewMissed(ev: Evaluation): Promise<EscalationView> {
  if (!ev.missed.includes('review')) ev.missed.push('review');
  const missedBy = ev.reviewerId;
  const { rules, holidays } = ev.input;
  return ev.escalations.run({
    kind: 'review',
    personId: ev.input.personId,
    unitId: ev.input.unitId,
    period: ev.input.period,
    // A reroute may have left no reviewer: then HR alone decides.
    ladder: missedBy ? ladderAbove(ev.chain, missedBy) : [HR_ACTOR],
    firstDueAt: workingDaysAfter(now(), rules.escalationClimbWorkingDays, holidays, rules),
    hasDefault: false,
    climbs: true,
    reassignable: ev.collective,
    settles: [ev.input.personId],
    stepDeadline: () => ev.deadlines.review,
  });
}

/**
 * After the escalation of a missed review: `reviewed` when the review came in meanwhile; otherwise
 * the decision, if any, applies (a new deadline, and a new reviewer on a take-over or
 * reassignment) and the review is due again.
 */
export function applyReviewDecision(ev: Evaluation, esc: EscalationView): 'reviewed' | 'due-again' {
  if (ev.reviewScores !== null) return 'reviewed';
  const d = esc.decision;
  if (!d) return 'due-again';
  const { rules, holidays } = ev.input;
  const fresh = d.until ?? workingDaysAfter(now(), rules.escalationClimbWorkingDays, holidays, rules);
  if (d.action === 'take-over') ev.reviewerId = d.by;
  if (d.action === 'reassign' && d.assigneeId) ev.reviewerId = d.assigneeId;
  ev.deadlines.review = fresh;
  ev.persist();
  return 'due-again';
}

/** The top unit's head has nobody above to review them: the self-assessment is the proposal the collective settles. */
export function proposeFromSelfAssessment(ev: Evaluation): void {
  if (!ev.selfScores) return;
  ev.total = totalOf(ev.profile, ev.selfScores);
  ev.proposedGrade = gradeFor(ev.total, ev.profile);
}
