/**
 * The self-assessment step: it opens a few working days before its (movable) deadline; a miss
 * escalates to the reviewer, who extends it or lets the review go on without it (the default at
 * the review deadline).
 */
import { condition } from '@temporalio/workflow';
import type { EscalationView } from '../../contracts/messages';
import { reviewFloorAfterExtension, toMs } from '../../domain/calendar';
import { awaitStep, ladderAbove } from '../steps';
import { unlessCancelled } from './closing';
import type { StepOutcome } from './plan';
import type { Evaluation } from './state';
import { HR_ACTOR } from '../../domain/actors';

/** Null once self-assessment is open; before, the wait until it opens or its opening moves. */
export function selfAssessmentOpening(ev: Evaluation): Promise<boolean> | null {
  const opensAt = ev.selfOpensAt();
  if (Date.now() >= toMs(opensAt)) return null;
  return condition(() => ev.selfOpensAt() !== opensAt, toMs(opensAt) - Date.now());
}

export function openSelfAssessment(ev: Evaluation): void {
  ev.enter('self-assessment');
  ev.persist();
}

/** The wait for the self-assessment, until it is filed or its deadline passes. */
export function selfAssessmentDue(ev: Evaluation): Promise<StepOutcome> {
  return awaitStep({
    done: () => ev.selfScores !== null,
    deadline: () => ev.deadlines.selfAssessment,
    reminders: ev.reminders,
    onReminder: ev.remind('selfAssessment', () => ev.input.personId),
  });
}

/**
 * The self-assessment was missed: the review is owed from now on, and the escalation to the
 * reviewer (HR without one) runs until decided or until the review deadline; resolves with it.
 */
export function selfAssessmentMissed(ev: Evaluation): Promise<EscalationView> {
  if (!ev.missed.includes('self-assessment')) ev.missed.push('self-assessment');
  if (ev.reviewerId) {
    // The review is owed from the miss on: its reminders run while the reviewer decides the escalation.
    void awaitStep({
      done: () => ev.reviewScores !== null || !ev.openEscalation('self-assessment'),
      deadline: () => ev.deadlines.review,
      reminders: ev.reminders,
      onReminder: ev.remind('review', () => ev.reviewerId),
    }).catch(unlessCancelled);
  }
  return ev.escalations.run({
    kind: 'self-assessment',
    personId: ev.input.personId,
    unitId: ev.input.unitId,
    period: ev.input.period,
    ladder: ev.reviewerId ? [ev.reviewerId, ...ladderAbove(ev.chain, ev.reviewerId)] : [HR_ACTOR],
    // Undecided by the review deadline, the default (review without it) applies.
    firstDueAt: ev.deadlines.review,
    hasDefault: true,
    climbs: false,
    reassignable: [],
    settles: [ev.input.personId],
    stepDeadline: () => ev.deadlines.selfAssessment,
  });
}

/**
 * After the escalation of a missed self-assessment: `extended` (the new deadline applies, and the
 * step is due again) or `over` (the review goes on without it).
 */
export function applySelfAssessmentDecision(ev: Evaluation, esc: EscalationView): 'extended' | 'over' {
  if (esc.status === 'decided' && esc.decision?.action === 'extend' && esc.decision.until) {
    ev.deadlines.selfAssessment = esc.decision.until;
    // The reviewer keeps at least the usual working days (the rules') after an extended self-assessment.
    const reviewFloor = reviewFloorAfterExtension(esc.decision.until, ev.input.holidays, ev.input.rules);
    if (toMs(reviewFloor) > toMs(ev.deadlines.review)) ev.deadlines.review = reviewFloor;
    ev.persist();
    return 'extended';
  }
  return 'over';
}
