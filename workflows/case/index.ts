/**
 * One case, opened by HR: a move (rotation, transfer, position change) or a replacement of a
 * leader. Every step has its deadline on the working-day calendar, reminders, and the escalation
 * ladder when missed; the directory changes through an activity at the end. A rotation then waits
 * (years, on a durable timer) for its end-of-term review.
 *
 * This file wires the parts: the state (state.ts), the query and updates (handlers.ts), and the
 * phases of a move (move.ts) or of a replacement (replacement.ts), each step waited for by run-step.ts.
 */
import { allHandlersFinished, condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { CaseInput, CaseView } from '../../contracts/case-messages';
import { SEARCH } from '../../contracts/messages';
import { registerHandlers } from './handlers';
import { runMove } from './move';
import { runReplacement } from './replacement';
import { CaseState } from './state';

/** The case `input.caseId`, from opening to its last step. */
export async function caseWorkflow(input: CaseInput): Promise<CaseView> {
  const state = new CaseState(input);
  void state.writes.run();
  registerHandlers(state);

  const { request, parties } = input;
  upsertSearchAttributes([
    { key: SEARCH.personId, value: request.personId },
    { key: SEARCH.caseKind, value: request.kind },
    { key: SEARCH.unitId, value: parties.fromUnitId },
    { key: SEARCH.phase, value: state.status },
  ]);
  state.persist([state.audit('opened', input.openedBy, { request, proposalId: input.proposalId })]);

  if (request.kind === 'replacement') await runReplacement(state);
  else await runMove(state, request);

  if (state.current !== 'closed') state.current = 'closed';
  state.persist();
  await state.writes.settled();
  await condition(allHandlersFinished);
  return state.view();
}
