/** The plan step: due by its (movable) deadline, with reminders to the person. */
import { awaitStep } from '../steps';
import { auditEntry, planMissedNotice } from './documents';
import type { Evaluation } from './state';

export type StepOutcome = 'done' | 'missed';

/** The wait for the plan, until it is filed or its deadline passes. */
export function planDue(ev: Evaluation): Promise<StepOutcome> {
  return awaitStep({
    done: () => ev.plan !== null,
    deadline: () => ev.deadlines.plan,
    reminders: ev.reminders,
    onReminder: ev.remind('plan', () => ev.input.personId),
  });
}

/** The plan step is over: a miss is a notice to the reviewer, and the month goes on without one. */
export function planOver(ev: Evaluation, outcome: StepOutcome): void {
  ev.enter('waiting');
  if (outcome === 'missed') {
    ev.missed.push('plan');
    ev.persist([auditEntry(ev, 'evaluation.plan-missed')], ev.reviewerId ? [planMissedNotice(ev, ev.reviewerId)] : []);
  } else {
    ev.persist();
  }
}
