/**
 * The words the evaluation writes: its notifications (reminders, the missed-plan notice, the
 * escalation notice's text) and its audit entries. Their keys make a retried snapshot send
 * nothing twice.
 */
import type { AuditEntry, Notification } from '../../contracts/snapshots';
import type { EscalationView } from '../../contracts/messages';
import { now } from '../steps';
import type { Evaluation, EvaluationInput } from './state';

/** The evaluation's own steps, as its deadlines name them. */
export type StepKey = 'plan' | 'selfAssessment' | 'review';

const STEP_LABEL: Record<string, string> = {
  plan: 'work plan',
  selfAssessment: 'self-assessment',
  review: 'review',
};

/** An audit entry about this evaluation, by the system unless `actor` says otherwise. */
export function auditEntry(
  ev: Evaluation,
  action: string,
  opts: { actor?: string; payload?: Record<string, unknown> } = {},
): AuditEntry {
  return {
    at: now(),
    actor: opts.actor ?? 'system',
    action,
    subject: ev.workflowId,
    ...(opts.payload ? { payload: opts.payload } : {}),
  };
}

/** A reminder that a step is due at `deadline`, sent at `at` to the step's owner. */
export function reminder(
  ev: Evaluation,
  opts: { stepKey: StepKey; recipientId: string; at: string; deadline: string },
): Notification {
  const { personId, period } = ev.input;
  const label = STEP_LABEL[opts.stepKey];
  return {
    key: `${ev.workflowId}:reminder:${opts.stepKey}:${opts.deadline}:${opts.at}`,
    recipientId: opts.recipientId,
    subject: `Reminder: ${label} for ${personId} due ${opts.deadline}`,
    body: `The ${label} of ${personId} for ${period} is due at ${opts.deadline}. Open ${ev.link}.`,
  };
}

/** The notice to the reviewer that no plan was filed. */
export function planMissedNotice(ev: Evaluation, reviewerId: string): Notification {
  const { personId, period } = ev.input;
  return {
    key: `${ev.workflowId}:plan-missed`,
    recipientId: reviewerId,
    subject: `No work plan from ${personId} for ${period}`,
    body: `${personId} filed no plan by ${ev.deadlines.plan}. The month goes on without one.`,
  };
}

/** The text of the notice to an escalation's target (steps.ts decides when one is sent, and keys it). */
export function escalationText(input: EvaluationInput, esc: EscalationView): { subject: string; body: string } {
  return {
    subject: `Escalation: missed ${esc.kind} of ${input.personId} (${input.period})`,
    body: `The ${esc.kind} step of ${input.personId} for ${input.period} was missed. Please decide by ${esc.dueAt}: extend, take over, reassign or accept the default. Decide at /v1/escalations/${esc.id}/decision.`,
  };
}
