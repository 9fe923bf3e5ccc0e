/**
 * A move (rotation, transfer, position change): opinions, the open vote and its decision, handover
 * and receipt, the directory move on the effective date, and for a rotation with a term, the
 * end-of-term review years later.
 */
import { condition } from '@temporalio/workflow';
import { addWorkingDays, atLocal, fromMs, localDate, toMs } from '../../domain/calendar';
import { addMonths } from '../../domain/eligibility';
import { endOfTermReviewDate } from '../../domain/triggers';
import type { MoveRequest } from '../../contracts/case-messages';
import { applyMove } from './activities';
import { runStep } from './run-step';
import type { CaseState } from './state';
import { HR_ACTOR } from '../../domain/actors';

export async function runMove(state: CaseState, move: MoveRequest): Promise<void> {
  await opinions(state);
  if (state.withdrawn()) return;
  if ((await openVote(state)) !== 'approved') return;
  const effectiveAt = atLocal(move.effectiveDate, 0);
  await handoverAndReceipt(state, { effectiveAt });
  if (state.withdrawn()) return;
  await directoryMove(state, move, { effectiveAt });
  await endOfTermReview(state, move);
}

/** Opinions, in parallel: the sending head, the receiving head (when another) and the person. */
async function opinions(state: CaseState): Promise<void> {
  const { parties, personId } = state;
  const opinionDue = state.due(state.caseRules.opinionWorkingDays);
  const givers: [string, string | null][] = [
    ['opinion:sending-head', parties.sendingHeadId],
    ['opinion:receiving-head', parties.receivingHeadId !== parties.sendingHeadId ? parties.receivingHeadId : null],
    ['opinion:person', personId],
  ];
  const opinionSteps = givers
    .filter((g): g is [string, string] => g[1] !== null)
    .map(([name, id]) => state.open(name, [id], opinionDue));
  state.current = 'opinions';
  state.persist();
  await Promise.all(
    opinionSteps.map((s) =>
      runStep(state, s, {
        kind: 'opinion',
        ladder: state.ladderOf(s.actorIds[0]),
        actions: ['extend', 'accept-default'],
      }),
    ),
  );
}

/**
 * The deciding collective votes openly; the chair decides an even split. Issues the decision;
 * answers 'withdrawn' (nothing issued) or the outcome. A rejection closes the case.
 */
async function openVote(state: CaseState): Promise<'approved' | 'rejected' | 'withdrawn'> {
  const { parties } = state;
  const vote = state.open('vote', parties.collective, state.due(state.caseRules.moveDecisionWorkingDays));
  await runStep(state, vote, {
    kind: 'vote',
    ladder: parties.chairId ? state.ladderOf(parties.chairId) : [HR_ACTOR],
    actions: ['extend'],
  });
  if (state.withdrawn()) return 'withdrawn';
  if (vote.outcome === 'rejected') {
    state.issue('rejected', { rationale: 'The deciding collective voted against the move.' });
    state.current = 'closed';
    return 'rejected';
  }
  state.issue('approved');
  return 'approved';
}

/** Handover and receipt, due within the working days after the effective date; the move waits for both and for that date. */
async function handoverAndReceipt(state: CaseState, { effectiveAt }: { effectiveAt: string }): Promise<void> {
  const { personId, parties, caseRules, rules, holidays } = state;
  const handoverBase = Math.max(toMs(effectiveAt), Date.now());
  const handoverDue = atLocal(
    addWorkingDays(localDate(fromMs(handoverBase)), caseRules.handoverWorkingDays, holidays),
    rules.deadlineHour,
  );
  const leaver = state.open('handover', [personId], handoverDue);
  const receiver = state.open('receipt', [parties.receivingHeadId ?? HR_ACTOR], handoverDue);
  state.current = 'handover';
  state.persist();
  await Promise.all([
    runStep(state, leaver, {
      kind: 'handover',
      ladder: state.ladderOf(personId),
      actions: ['extend', 'accept-default'],
    }),
    runStep(state, receiver, {
      kind: 'receipt',
      ladder: state.ladderOf(parties.receivingHeadId ?? HR_ACTOR),
      actions: ['extend', 'accept-default'],
    }),
    condition(() => state.withdrawn(), Math.max(0, toMs(effectiveAt) - Date.now())),
  ]);
}

/** The directory changes through an activity; open evaluations of the person are re-routed. */
async function directoryMove(
  state: CaseState,
  move: MoveRequest,
  { effectiveAt }: { effectiveAt: string },
): Promise<void> {
  const moved = state.open('move', [], effectiveAt);
  state.persist();
  const result = await applyMove({
    caseId: state.input.caseId,
    personId: state.personId,
    toUnitId: move.toUnitId,
    toRole: move.toRole,
    effectiveDate: move.effectiveDate,
  });
  state.finish(moved, {
    by: 'system',
    outcome: 'moved',
    note: result.rerouted.length > 0 ? `open evaluations re-routed: ${result.rerouted.join(', ')}` : undefined,
  });
  state.setStatus('completed');
  state.persist([
    state.audit('moved', 'system', { toUnitId: move.toUnitId, toRole: move.toRole, rerouted: result.rerouted }),
  ]);
}

/** A rotation with a term: a durable timer of years, then HR proposes return, extension or appointment. Closes the case. */
async function endOfTermReview(state: CaseState, move: MoveRequest): Promise<void> {
  const { caseRules, rules } = state;
  if (move.kind !== 'rotation' || !move.termMonths) {
    state.current = 'closed';
    return;
  }
  const reviewDate = endOfTermReviewDate(move.effectiveDate, move.termMonths, caseRules);
  state.current = 'term';
  state.persist();
  await condition(() => false, Math.max(0, toMs(atLocal(reviewDate, rules.reminderHour)) - Date.now()));
  // Settled by the day the term ends.
  const review = state.open(
    'end-of-term-review',
    [HR_ACTOR],
    atLocal(addMonths(move.effectiveDate, move.termMonths), rules.deadlineHour),
  );
  await runStep(state, review, { kind: 'term-review', ladder: [HR_ACTOR], actions: ['extend'] });
  state.current = 'closed';
}
