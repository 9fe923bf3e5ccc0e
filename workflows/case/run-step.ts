/** Waiting for one step of a case: its reminders, its deadline, and the escalation ladder when it is missed. */
import { reminderTimes, workingDaysAfter } from '../../domain/calendar';
import type { CaseStep } from '../../contracts/case-messages';
import type { EscalationAction, EscalationKind } from '../../contracts/messages';
import { awaitStep, now, type EscalationSpec } from '../steps';
import type { CaseState } from './state';

/** What a missed step may become: who is asked up the ladder, and what they may decide. */
export interface StepPolicy {
  kind: EscalationKind;
  ladder: string[];
  actions: EscalationAction[];
  /** After this many extensions, only `afterExtensions` remain (a replacement's vote is extended once). */
  maxExtensions?: number;
  afterExtensions?: EscalationAction[];
  maxExtensionWorkingDays?: number;
  capExtension?: EscalationSpec['capExtension'];
  /** Called on a miss before escalating; true when the step turned out to be done. */
  onMiss?: () => Promise<boolean>;
}

/**
 * Waits for one step with its reminders; a miss escalates up `policy.ladder`. An extension moves
 * the deadline and the wait starts again; the default (where the step has one) closes it.
 */
export async function runStep(state: CaseState, s: CaseStep, policy: StepPolicy): Promise<void> {
  const { rules, holidays } = state;
  const done = (): boolean => s.doneAt !== null || state.withdrawn();
  let extensions = 0;
  for (;;) {
    const outcome = await awaitStep({
      done,
      deadline: () => s.dueAt!,
      reminders: (d) => reminderTimes(d, holidays, rules),
      onReminder: state.remind(s),
    });
    if (outcome === 'done') return;
    if (policy.onMiss && (await policy.onMiss())) return;
    const actions = extensions >= (policy.maxExtensions ?? Infinity) ? (policy.afterExtensions ?? []) : policy.actions;
    const hasDefault = actions.includes('accept-default');
    const esc = await state.escalations.run({
      kind: policy.kind,
      personId: state.personId,
      unitId: state.parties.fromUnitId,
      period: state.workflowId,
      ladder: policy.ladder,
      firstDueAt: workingDaysAfter(now(), rules.escalationClimbWorkingDays, holidays, rules),
      hasDefault,
      climbs: true,
      reassignable: [],
      settles: [],
      stepDeadline: () => s.dueAt!,
      actions,
      ...(policy.maxExtensionWorkingDays !== undefined
        ? { maxExtensionWorkingDays: policy.maxExtensionWorkingDays }
        : {}),
      ...(policy.capExtension ? { capExtension: policy.capExtension } : {}),
      onOpened: (opened) => state.escalationOpened(s.name, opened.id),
    });
    if (done()) return;
    if (esc.status === 'decided' && esc.decision?.action === 'extend' && esc.decision.until) {
      s.dueAt = esc.decision.until;
      extensions += 1;
      state.persist();
      continue;
    }
    if (esc.status === 'defaulted' || esc.decision?.action === 'accept-default') {
      state.finish(s, { by: esc.decision?.by ?? 'system', outcome: 'defaulted' });
      state.persist([state.audit(`${s.name}.defaulted`, esc.decision?.by ?? 'system')]);
      return;
    }
  }
}
