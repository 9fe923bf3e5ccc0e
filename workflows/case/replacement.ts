/**
 * A replacement of a leader: the leader's explanation, HR's proposal, the secret ballot of the
 * deciding collective, and the replacement in the directory.
 */
import { patched } from '@temporalio/workflow';
import { toMs } from '../../domain/calendar';
import { voteExtensionRefusal } from '../../domain/votes';
import type { CaseStep } from '../../contracts/case-messages';
import { applyReplacement, readBallot } from './activities';
import { runStep } from './run-step';
import { now } from '../steps';
import type { CaseState, Proposal } from './state';
import { HR_ACTOR } from '../../domain/actors';

export async function runReplacement(state: CaseState): Promise<void> {
  // The proposal's deadline runs from the opening of the case, not from the explanation.
  const proposalDue = state.due(state.caseRules.proposalWorkingDays);
  await explanation(state);
  if (state.withdrawn()) return;
  const p = await proposal(state, { proposalDue });
  if (p === null) return;
  const vote = await secretBallot(state);
  if (vote === null) return;
  await replacement(state, p);
}

/** The leader's written explanation. */
async function explanation(state: CaseState): Promise<void> {
  const s = state.open('explanation', [state.personId], state.due(state.caseRules.explanationWorkingDays));
  await runStep(state, s, {
    kind: 'explanation',
    ladder: state.ladderOf(state.personId),
    actions: ['extend', 'accept-default'],
  });
}

/** HR's proposal; null when withdrawn meanwhile, or when HR proposes to keep the leader (which closes the case). */
async function proposal(state: CaseState, { proposalDue }: { proposalDue: string }): Promise<Proposal | null> {
  const s = state.open(
    'proposal',
    [HR_ACTOR],
    toMs(proposalDue) > Date.now() ? proposalDue : state.due(state.rules.escalationClimbWorkingDays),
  );
  await runStep(state, s, { kind: 'proposal', ladder: [HR_ACTOR], actions: ['extend'] });
  if (state.withdrawn()) return null;
  const p = state.proposal!;
  if (p.recommendation === 'keep') {
    state.issue('rejected', { rationale: p.note ?? 'HR proposed to keep the leader.' });
    state.current = 'closed';
    return null;
  }
  return p;
}

/**
 * Secret ballot: counted by the API's ballot box; the workflow only ever sees the closing totals.
 * Answers the approved vote step; null when withdrawn meanwhile, or when the leader stays (which
 * issues the rejection and closes the case).
 */
async function secretBallot(state: CaseState): Promise<CaseStep | null> {
  const { caseRules, parties, holidays, rules } = state;
  const openedAt = now();
  const vote = state.open('vote', parties.collective, state.due(caseRules.replacementDecisionWorkingDays));
  const extraDays = caseRules.replacementDecisionExtendedWorkingDays - caseRules.replacementDecisionWorkingDays;
  // However late HR decides, an extension reaches working day 15 from the opening at most.
  const capExtension = patched('vote-extension-cap')
    ? (until: string) => voteExtensionRefusal(openedAt, until, holidays, caseRules, rules)
    : undefined;
  // Extendable once (10 → 15 working days by default); after that, HR may only close it undecided.
  await runStep(state, vote, {
    kind: 'vote',
    ladder: [HR_ACTOR],
    actions: ['extend'],
    maxExtensions: extraDays > 0 ? 1 : 0,
    afterExtensions: ['accept-default'],
    maxExtensionWorkingDays: extraDays,
    ...(capExtension ? { capExtension } : {}),
    onMiss: () => closeFromBox(state, vote),
  });
  if (state.withdrawn()) return null;
  if (vote.outcome !== 'approved') {
    state.issue('rejected', {
      rationale:
        vote.outcome === 'defaulted'
          ? 'No decision within the time allowed; the leader stays.'
          : 'The deciding collective voted to keep the leader.',
    });
    state.current = 'closed';
    return null;
  }
  return vote;
}

/** At the deadline: a close the API could not deliver (it crashed after counting) is picked up from the box. True when the vote is done. */
async function closeFromBox(state: CaseState, vote: CaseStep): Promise<boolean> {
  const box = await readBallot({ caseId: state.input.caseId });
  const outcome = state.ballotOutcome(box.approve, box.reject);
  if (outcome === null || vote.doneAt !== null) return vote.doneAt !== null;
  state.totals = { approve: box.approve, reject: box.reject, of: state.parties.collective.length };
  state.finish(vote, { by: 'ballot-box', outcome });
  state.persist([state.audit('ballot-closed', 'ballot-box', { ...state.totals })]);
  return true;
}

/** The decision, then the replacement in the directory: the person placed, the acting holder named. Closes the case. */
async function replacement(state: CaseState, p: Proposal): Promise<void> {
  const { personId, parties } = state;
  const placementUnitId = p.placementUnitId ?? parties.fromUnitId;
  state.issue('approved', { actingPersonId: p.actingPersonId!, placementUnitId });
  const replaced = state.open('replacement', [], null);
  const result = await applyReplacement({
    caseId: state.input.caseId,
    personId,
    actingPersonId: p.actingPersonId!,
    placementUnitId,
    effectiveDate: state.decision!.date,
  });
  state.finish(replaced, {
    by: 'system',
    outcome: 'done',
    note: `${personId} → ${result.newRole} in ${placementUnitId}; ${p.actingPersonId} acting ${result.vacatedRole}`,
  });
  state.setStatus('completed');
  state.persist([state.audit('replaced', 'system', { ...result, actingPersonId: p.actingPersonId, placementUnitId })]);
  state.current = 'closed';
}
