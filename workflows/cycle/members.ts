/**
 * The opening: load who is settled in the unit, start one evaluation per member, and wait until
 * every one of them is closed with its result.
 */
import { condition, ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CycleContext } from '../../contracts/snapshots';
import { toMs } from '../../domain/calendar';
import { evaluationWorkflowId, type EvaluationResult } from '../../contracts/messages';
import { evaluationWorkflow } from '../evaluation';
import { acts } from './activities';
import type { CycleState, Phase } from './state';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Children started at once; bounded well below Temporal's pending-children limit. */
const CHILD_BATCH = 200;

type Member = CycleContext['members'][number];

export const openWithMembers: Phase = async (cycle, next) => {
  const { input } = cycle;
  const { learnsFromReadModel } = cycle.options;
  // Start: read the directory once, then fan out one evaluation per member.
  const ctx = (cycle.ctx = await acts.loadCycleContext({ unitId: input.unitId, period: input.period }));
  cycle.deadlines = { ...ctx.defaults, ...(input.overrides ?? {}) };
  cycle.putterId = ctx.headId;
  cycle.complaintResolverId = ctx.headId;
  cycle.enter('open');
  cycle.persist({
    audit: [
      cycle.entry(input.openedBy, 'cycle.opened', {
        deadlines: cycle.deadlines,
        members: ctx.members.map((m) => m.personId),
      }),
    ],
  });

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
function followEvaluations(
  cycle: CycleState,
  started: Awaited<ReturnType<typeof startEvaluations>>,
  pendingResults: Promise<void>[],
): void {
  const ctx = cycle.ctx!;
  const elsewhere = started.filter((s) => s.handle === null).map((s) => s.personId);
  if (elsewhere.length > 0) {
    ctx.members = ctx.members.filter((m) => !elsewhere.includes(m.personId));
    cycle.persist({ audit: [cycle.entry('system', 'cycle.members-evaluated-elsewhere', { personIds: elsewhere })] });
  }
  for (const { personId, handle } of started) {
    if (!handle) continue;
    cycle.children.set(personId, handle);
    if (!cycle.options.learnsFromReadModel)
      pendingResults.push(handle.result().then((r) => void cycle.results.set(personId, r)));
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
