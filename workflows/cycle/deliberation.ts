/**
 * Deliberation: opens once every review is in; the head (or whoever an escalation names) puts the
 * list, the collective approves it, and publication follows (see ./publication, called by the
 * handlers). A missed deadline escalates up the head's ladder until someone decides.
 */
import { reminderTimes, toMs, workingDaysAfter } from '../../domain/calendar';
import type { EscalationView } from '../../contracts/messages';
import { awaitStep, ladderAbove, now, type EscalationSpec } from '../steps';
import { acts } from './activities';
import type { CycleState, Phase } from './state';
import { HR_ACTOR } from '../../domain/actors';

export const deliberate: Phase = async (cycle, next) => {
  const { input, workflowId, link } = cycle;
  const ctx = cycle.ctx!;
  // A late opening still gives the head time.
  cycle.enter('deliberation');
  const floor = workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
  if (toMs(cycle.deadlines!.deliberation) < toMs(floor)) cycle.deadlines!.deliberation = floor;
  cycle.capFacts = new Map(
    (
      await acts.loadCapFacts({
        unitId: input.unitId,
        period: input.period,
        memberIds: ctx.members.map((m) => m.personId),
      })
    ).map((f) => [f.personId, f]),
  );
  cycle.persist({
    audit: [cycle.entry('system', 'deliberation.opened')],
    notify: ctx.headId
      ? [
          {
            key: `${workflowId}:deliberation-open`,
            recipientId: ctx.headId,
            subject: `Deliberation of ${ctx.unitName} for ${input.period} is open`,
            body: `All reviews are in. Put the final list by ${cycle.deadlines!.deliberation} at ${link}/deliberation.`,
          },
        ]
      : [],
  });
  for (;;) {
    const outcome = await awaitStep({
      done: () => cycle.decided,
      deadline: () => cycle.deadlines!.deliberation,
      reminders: (d) => reminderTimes(d, ctx.holidays, ctx.rules),
      onReminder: async (at, d) => remindDeliberation(cycle, at, d),
    });
    if (outcome === 'done') break;
    const esc = await cycle.escalations.run(missedDeliberation(cycle));
    if (cycle.decided) break;
    if (!esc.decision) continue;
    followDecision(cycle, esc.decision);
    cycle.persist();
  }
  return next();
};

/** Reminds whoever the list still waits on: the approvers once it is put, else whoever puts it. */
function remindDeliberation(cycle: CycleState, at: string, d: string): void {
  const { input, workflowId, link, list, putterId } = cycle;
  const ctx = cycle.ctx!;
  const owners = list ? ctx.collective.filter((c) => !list.approvals.includes(c)) : putterId ? [putterId] : [];
  cycle.persist({
    notify: owners.map((o) => ({
      key: `${workflowId}:reminder:deliberation:${d}:${at}:${o}`,
      recipientId: o,
      subject: `Reminder: deliberation of ${input.period} due ${d}`,
      body: `The deliberation of ${ctx.unitName} for ${input.period} is due at ${d}. Open ${link}.`,
    })),
  });
}

/** The escalation of a missed deliberation: up the head's ladder, no default. */
function missedDeliberation(cycle: CycleState): EscalationSpec {
  const { input } = cycle;
  const ctx = cycle.ctx!;
  return {
    kind: 'deliberation',
    personId: ctx.headId ?? HR_ACTOR,
    unitId: input.unitId,
    period: input.period,
    ladder: ctx.headId ? ladderAbove(ctx.chain, ctx.headId) : [HR_ACTOR],
    firstDueAt: workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules),
    hasDefault: false,
    climbs: true,
    reassignable: ctx.collective,
    settles: ctx.members.map((m) => m.personId),
    stepDeadline: () => cycle.deadlines!.deliberation,
  };
}

/** A decision on a missed deliberation: a new deadline, and perhaps someone else who puts the list. */
function followDecision(cycle: CycleState, d: NonNullable<EscalationView['decision']>): void {
  const ctx = cycle.ctx!;
  cycle.deadlines!.deliberation =
    d.until ?? workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
  if (d.action === 'take-over') {
    cycle.putterId = d.by;
    cycle.putterDecidesAlone = true;
  }
  if (d.action === 'reassign' && d.assigneeId) cycle.putterId = d.assigneeId;
}
