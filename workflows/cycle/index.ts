/**
 * One unit's month: loads who is settled here, runs an evaluation per member, then the
 * collective's deliberation (quota and caps checked, majority with recusal), publication, the
 * complaint window with each complaint's resolution, and the lock.
 *
 * Its parts: the state (./state), the handlers (./handlers), what it shows (./view); its phases
 * follow the workflow function here, in turn.
 */
import { allHandlersFinished, condition, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CycleContext } from '../../contracts/snapshots';
import { reminderTimes, toMs, workingDaysAfter } from '../../domain/calendar';
import { evaluationWorkflowId, type ComplaintView, type EscalationView, type EvaluationResult } from '../../contracts/messages';
import { evaluationWorkflow } from '../evaluation';
import { awaitStep, ladderAbove, now, type EscalationSpec } from '../steps';
import { acts } from './activities';
import { registerHandlers } from './handlers';
import { CycleState, type CycleInput, type Phase } from './state';

/**
 * Each phase starts the next one itself, in the same turn, rather than returning to be awaited
 * here: an await between phases would move every later command by a microtask against the
 * handlers and timers running beside them, and recorded histories must replay unchanged.
 */
export function cycleWorkflow(input: CycleInput): Promise<void> {
  // Decided before the first command, so a cycle and its evaluations always agree on it: each
  // review used to complete its evaluation and wake the cycle, the dearest submission of the month
  // on the server (bench/README.md, change 22). Cycles started before keep awaiting their children.
  const learnsFromReadModel = patched('cycle-learns-reviews-from-read-model');
  const cycle = new CycleState(input, { learnsFromReadModel });
  void cycle.writes.run();
  registerHandlers(cycle);
  cycle.announce();
  return openWithMembers(cycle, () => deliberate(cycle, () => hearComplaints(cycle, () => lock(cycle))));
}

// The opening: load who is settled in the unit, start one evaluation per member, and wait until
// every one of them is closed with its result.
const DAY_MS = 24 * 60 * 60 * 1000;

/** Children started at once; bounded well below Temporal's pending-children limit. */
const CHILD_BATCH = 200;

type Member = CycleContext['members'][number];

const openWithMembers: Phase = async (cycle, next) => {
  const { input } = cycle;
  const { learnsFromReadModel } = cycle.options;
  // Start: read the directory once, then fan out one evaluation per member.
  const ctx = (cycle.ctx = await acts.loadCycleContext({ unitId: input.unitId, period: input.period }));
  cycle.deadlines = { ...ctx.defaults, ...(input.overrides ?? {}) };
  cycle.putterId = ctx.headId;
  cycle.complaintResolverId = ctx.headId;
  cycle.enter('open');
  cycle.persist({ audit: [cycle.entry(input.openedBy, 'cycle.opened', { deadlines: cycle.deadlines, members: ctx.members.map((m) => m.personId) })] });

  const pendingResults: Promise<void>[] = [];
  // Cycles before the patch sliced the list they were filtering, skipping a member after each one
  // evaluated elsewhere (only in units over one batch); kept for them, as their histories say.
  const everyone = [...ctx.members];
  const toStart = (): Member[] => (learnsFromReadModel ? everyone : ctx.members);
  for (let i = 0; i < toStart().length; i += CHILD_BATCH) {
    const started = await startEvaluations(cycle, toStart().slice(i, i + CHILD_BATCH));
    followEvaluations(cycle, started, pendingResults);
  }
  cycle.childrenStarted = true;
  cycle.persist({ seedEvaluations: true });
  if (learnsFromReadModel) await allEvaluationsClosed(cycle);
  else await Promise.all(pendingResults);
  return next();
};

/** Starts one batch of evaluations; a member already evaluated this month elsewhere comes back without a handle. */
function startEvaluations(cycle: CycleState, batch: Member[]) {
  const { input } = cycle;
  const ctx = cycle.ctx!;
  const { learnsFromReadModel } = cycle.options;
  return Promise.all(
    batch.map((m) =>
      startChild(evaluationWorkflow, {
        workflowId: evaluationWorkflowId(input.period, m.personId),
        // An evaluation that outlives its steps closes with the cycle; one still running is stopped.
        parentClosePolicy: learnsFromReadModel ? ParentClosePolicy.REQUEST_CANCEL : ParentClosePolicy.TERMINATE,
        args: [
          {
            period: input.period,
            personId: m.personId,
            unitId: input.unitId,
            role: m.role,
            reviewerId: m.reviewerId,
            chain: ctx.chain,
            collective: ctx.collective,
            deadlines: cycle.deadlines!,
            holidays: ctx.holidays,
            profileId: ctx.profileId,
            rules: ctx.rules,
            ...(learnsFromReadModel ? { closesWithCycle: true } : {}),
          },
        ],
      }).then(
        (handle) => ({ personId: m.personId, handle }),
        (err: unknown) => {
          // Already evaluated this month under another unit (the directory changed between two openings).
          if (err instanceof WorkflowExecutionAlreadyStartedError) return { personId: m.personId, handle: null };
          throw err;
        },
      ),
    ),
  );
}

/** Drops the members evaluated elsewhere, and follows each started evaluation to its result. */
function followEvaluations(cycle: CycleState, started: Awaited<ReturnType<typeof startEvaluations>>, pendingResults: Promise<void>[]): void {
  const ctx = cycle.ctx!;
  const elsewhere = started.filter((s) => s.handle === null).map((s) => s.personId);
  if (elsewhere.length > 0) {
    ctx.members = ctx.members.filter((m) => !elsewhere.includes(m.personId));
    cycle.persist({ audit: [cycle.entry('system', 'cycle.members-evaluated-elsewhere', { personIds: elsewhere })] });
  }
  for (const { personId, handle } of started) {
    if (!handle) continue;
    cycle.children.set(personId, handle);
    if (!cycle.options.learnsFromReadModel) pendingResults.push(handle.result().then((r) => void cycle.results.set(personId, r)));
    else {
      // No events in a normal month: the evaluations close only after the cycle.
      void handle.result().then(
        (r) => {
          cycle.endedEarly.set(personId, r);
          cycle.closedSignal = true;
        },
        (err: unknown) => {
          cycle.childFailure ??= err;
        },
      );
    }
  }
}

/**
 * Waits for the signal of the evaluation that closed last, then reads every member's result
 * from the read model. An earlier signal (an evaluation closing before the others' rows
 * existed) finds some still open, and the wait goes on. An evaluation that ended on its own
 * counts as closed with its result, and one that failed fails the cycle, as when the cycle
 * awaited them all. Whatever the signals, the read model is checked at the review deadline
 * and each day after it, so no mix of closings can leave the month waiting.
 */
async function allEvaluationsClosed(cycle: CycleState): Promise<void> {
  const { input } = cycle;
  const memberIds = cycle.context().members.map((m) => m.personId);
  let nextCheck = toMs(cycle.deadlines!.review);
  let closed = new Map<string, EvaluationResult>(cycle.endedEarly);
  while (!memberIds.every((id) => closed.has(id))) {
    if (Date.now() >= nextCheck) nextCheck = Date.now() + DAY_MS;
    await condition(() => cycle.closedSignal || cycle.childFailure !== null, nextCheck - Date.now());
    if (cycle.childFailure !== null) throw cycle.childFailure;
    cycle.closedSignal = false;
    closed = new Map(cycle.endedEarly);
    if (closed.size === memberIds.length) continue;
    for (const r of await acts.loadClosedResults({ unitId: input.unitId, period: input.period, memberIds })) {
      if (!closed.has(r.personId)) closed.set(r.personId, r);
    }
  }
  for (const id of memberIds) cycle.results.set(id, closed.get(id)!);
}

// Deliberation: opens once every review is in; the head (or whoever an escalation names) puts the
// list, the collective approves it, and publication follows (see ./publication, called by the
// handlers). A missed deadline escalates up the head's ladder until someone decides.
const deliberate: Phase = async (cycle, next) => {
  const { input, workflowId, link } = cycle;
  const ctx = cycle.ctx!;
  // A late opening still gives the head time.
  cycle.enter('deliberation');
  const floor = workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
  if (toMs(cycle.deadlines!.deliberation) < toMs(floor)) cycle.deadlines!.deliberation = floor;
  cycle.capFacts = new Map((await acts.loadCapFacts({ unitId: input.unitId, period: input.period, memberIds: ctx.members.map((m) => m.personId) })).map((f) => [f.personId, f]));
  cycle.persist({
    audit: [cycle.entry('system', 'deliberation.opened')],
    notify: ctx.headId
      ? [{ key: `${workflowId}:deliberation-open`, recipientId: ctx.headId, subject: `Deliberation of ${ctx.unitName} for ${input.period} is open`, body: `All reviews are in. Put the final list by ${cycle.deadlines!.deliberation} at ${link}/deliberation.` }]
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
    notify: owners.map((o) => ({ key: `${workflowId}:reminder:deliberation:${d}:${at}:${o}`, recipientId: o, subject: `Reminder: deliberation of ${input.period} due ${d}`, body: `The deliberation of ${ctx.unitName} for ${input.period} is due at ${d}. Open ${link}.` })),
  });
}

/** The escalation of a missed deliberation: up the head's ladder, no default. */
function missedDeliberation(cycle: CycleState): EscalationSpec {
  const { input } = cycle;
  const ctx = cycle.ctx!;
  return {
    kind: 'deliberation',
    personId: ctx.headId ?? 'hr',
    unitId: input.unitId,
    period: input.period,
    ladder: ctx.headId ? ladderAbove(ctx.chain, ctx.headId) : ['hr'],
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
  cycle.deadlines!.deliberation = d.until ?? workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules);
  if (d.action === 'take-over') {
    cycle.putterId = d.by;
    cycle.putterDecidesAlone = true;
  }
  if (d.action === 'reassign' && d.assigneeId) cycle.putterId = d.assigneeId;
}

// Complaints: the window stays open until its end (data an admin may move: Tết, emergencies);
// each complaint has its own resolution deadline and escalation, and the month waits for all.
const hearComplaints: Phase = async (cycle, next) => {
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
    await condition(() => cycle.complaints.length !== known || cycle.windowEndsAt !== windowEndIso, windowEnd - Date.now());
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
      notify: [{ key: `${cycle.workflowId}:reminder:complaint:${c.id}:${at}`, recipientId: resolverId, subject: `Reminder: complaint of ${c.personId} due ${d}`, body: `Resolve the complaint of ${c.personId} by ${d}.` }],
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
    ladder: ctx.headId ? ladderAbove(ctx.chain, ctx.headId) : ['hr'],
    firstDueAt: workingDaysAfter(now(), ctx.rules.escalationClimbWorkingDays, ctx.holidays, ctx.rules),
    // Domain.md gives a missed resolution no default: it climbs until someone resolves it.
    hasDefault: false,
    climbs: true,
    reassignable: ctx.collective,
    settles: [c.personId],
    stepDeadline: () => c.dueAt,
  };
}

// The lock: nothing changes after it; the workflow ends once the read model and every handler are done.
async function lock(cycle: CycleState): Promise<void> {
  cycle.enter('locked');
  const lockedAt = (cycle.lockedAt = now());
  cycle.persist({ audit: [{ at: lockedAt, actor: 'system', action: 'cycle.locked', subject: cycle.workflowId, payload: { lockedAt } }] });
  await cycle.writes.settled();
  await condition(allHandlersFinished);
}
