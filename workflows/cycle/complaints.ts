/**
 * Complaints: the window stays open until its end (data an admin may move: Tết, emergencies);
 * each complaint has its own resolution deadline and escalation, and the month waits for all.
 */
import { condition } from '@temporalio/workflow';
import { reminderTimes, toMs, workingDaysAfter } from '../../domain/calendar';
import type { ComplaintView } from '../../contracts/messages';
import { awaitStep, ladderAbove, now, type EscalationSpec } from '../steps';
import type { CycleState, Phase } from './state';
import { HR_ACTOR } from '../../domain/actors';

export const hearComplaints: Phase = async (cycle, next) => {
  const resolving = new Set<string>();
  const watchers: Promise<void>[] = [];
  // The window's end is data: an admin may move it (Tết, emergencies).
  for (;;) {
    const windowEndIso = cycle.windowEndsAt!;
    const windowEnd = toMs(windowEndIso);
    for (const c of cycle.complaints) {
      if (!resolving.has(c.id)) {
        resolving.add(c.id);
        watchers.push(watch(cycle, c));
      }
    }
    if (Date.now() >= windowEnd) break;
    const known = cycle.complaints.length;
    await condition(
      () => cycle.complaints.length !== known || cycle.windowEndsAt !== windowEndIso,
      windowEnd - Date.now(),
    );
  }
  await Promise.all(watchers);
  await condition(() => cycle.complaints.every((c) => c.status !== 'open'));
  return next();
};

/** Follows one complaint to its resolution, reminding its resolver and escalating when its deadline passes. */
async function watch(cycle: CycleState, c: ComplaintView): Promise<void> {
  const ctx = cycle.ctx!;
  for (;;) {
    const outcome = await awaitStep({
      done: () => c.status !== 'open',
      deadline: () => c.dueAt,
      reminders: (d) => reminderTimes(d, ctx.holidays, ctx.rules),
      onReminder: async (at, d) => remindResolver(cycle, c, at, d),
    });
    if (outcome === 'done') return;
    const esc = await cycle.escalations.run(missedResolution(cycle, c));
    if (c.status !== 'open') return;
    const d = esc.decision;
    if (!d) continue;
    c.dueAt = d.until ?? workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
    if (d.action === 'take-over') cycle.complaintResolverId = d.by;
    if (d.action === 'reassign' && d.assigneeId) cycle.complaintResolverId = d.assigneeId;
    cycle.persist();
  }
}

function remindResolver(cycle: CycleState, c: ComplaintView, at: string, d: string): void {
  const resolverId = cycle.complaintResolverId;
  if (resolverId) {
    cycle.persist({
      notify: [
        {
          key: `${cycle.workflowId}:reminder:complaint:${c.id}:${at}`,
          recipientId: resolverId,
          subject: `Reminder: complaint of ${c.personId} due ${d}`,
          body: `Resolve the complaint of ${c.personId} by ${d}.`,
        },
      ],
    });
  }
}

/** The escalation of a missed resolution: up the head's ladder. */
function missedResolution(cycle: CycleState, c: ComplaintView): EscalationSpec {
  const { input } = cycle;
  const ctx = cycle.ctx!;
  return {
    kind: 'complaint',
    personId: c.personId,
    unitId: input.unitId,
    period: input.period,
    ladder: ctx.headId ? ladderAbove(ctx.chain, ctx.headId) : [HR_ACTOR],
    firstDueAt: workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules),
    // Domain.md gives a missed resolution no default: it climbs until someone resolves it.
    hasDefault: false,
    climbs: true,
    reassignable: ctx.collective,
    settles: [c.personId],
    stepDeadline: () => c.dueAt,
  };
}
