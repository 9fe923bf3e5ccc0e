/**
 * The case's query and updates. Each validator refuses before anything is recorded; each handler
 * changes the state synchronously and answers with the case and the read-model version carrying it.
 * They are registered in this order, once, before the process starts.
 */
import { setHandler } from '@temporalio/workflow';
import { ErrorType } from '../../domain/errors';
import { tallyVotes } from '../../domain/votes';
import {
  castVote,
  closeBallot,
  confirmHandover,
  confirmReceipt,
  getCase,
  submitExplanation,
  submitOpinion,
  submitProposal,
  submitTermReview,
  withdrawCase,
  BALLOT_BOX,
  type CaseStep,
} from '../../contracts/case-messages';
import { decideEscalation, type Actor } from '../../contracts/messages';
import { actsAs, refuse } from '../steps';
import type { CaseState } from './state';
import { HR_ACTOR, HR_ROLE } from '../../domain/actors';

export function registerHandlers(state: CaseState): void {
  setHandler(getCase, () => state.view());
  onOpinion(state);
  onVote(state);
  onBallotClose(state);
  onHandover(state, 'handover');
  onHandover(state, 'receipt');
  onExplanation(state);
  onProposal(state);
  onTermReview(state);
  onWithdraw(state);
  setHandler(
    decideEscalation,
    (args) => ({ ...state.escalations.decide(args), readModelVersion: state.writes.latest() }),
    { validator: (args) => state.escalations.validate(args) },
  );
}

/** The open step `name`, or a refusal: the case was withdrawn or waits for something else. */
function refuseUnlessOpen(state: CaseState, name: string): CaseStep {
  const { status, current } = state;
  if (state.withdrawn()) refuse(ErrorType.WrongPhase, 'This case was withdrawn.', { phase: 'withdrawn', status });
  const s = state.steps.find((x) => x.name === name && x.doneAt === null);
  if (!s)
    refuse(ErrorType.WrongPhase, `The case is not waiting for ${name} (it is at "${current}").`, {
      phase: current,
      status,
    });
  return s;
}

function onOpinion(state: CaseState): void {
  setHandler(
    submitOpinion,
    ({ actor, opinion, note }) => {
      const s = state.steps.find(
        (x) => x.name.startsWith('opinion:') && x.doneAt === null && x.actorIds.some((id) => actsAs(actor, id)),
      )!;
      state.finish(s, { by: actor.id, outcome: opinion, note });
      return {
        ...state.view(),
        readModelVersion: state.persist([state.audit('opinion', actor.id, { step: s.name, opinion, note })]),
      };
    },
    {
      validator: ({ actor }) => {
        const mine = state.steps.filter(
          (x) => x.name.startsWith('opinion:') && x.actorIds.some((id) => actsAs(actor, id)),
        );
        if (mine.length === 0)
          refuse(
            ErrorType.Forbidden,
            'Only the sending head, the receiving head and the person give opinions on this case.',
          );
        if (state.withdrawn())
          refuse(ErrorType.WrongPhase, 'This case was withdrawn.', { phase: 'withdrawn', status: state.status });
        if (mine.every((x) => x.doneAt !== null))
          refuse(ErrorType.WrongPhase, 'Your opinion on this case is already recorded.', {
            phase: state.current,
            status: state.status,
          });
      },
    },
  );
}

/** An open vote (moves): every ballot is recorded, and the tally closes the step once it is decided. */
function onVote(state: CaseState): void {
  const { parties } = state;
  setHandler(
    castVote,
    ({ actor, vote }) => {
      const s = state.step('vote')!;
      state.ballots.push({ voterId: actor.id, vote });
      const tally = tallyVotes({ members: parties.collective, chairId: parties.chairId, votes: state.ballots });
      state.totals = { approve: tally.approve, reject: tally.reject, of: tally.of };
      if (tally.decided) state.finish(s, { by: actor.id, outcome: tally.decided });
      return { ...state.view(), readModelVersion: state.persist([state.audit('vote', actor.id, { vote })]) };
    },
    {
      validator: ({ actor }) => {
        if (state.request.kind === 'replacement')
          refuse(ErrorType.WrongPhase, 'A replacement is decided by secret ballot.', {
            phase: state.current,
            status: state.status,
          });
        if (!parties.collective.includes(actor.id))
          refuse(ErrorType.Forbidden, `Only members of the deciding collective (${parties.decidingUnitId}) vote.`);
        refuseUnlessOpen(state, 'vote');
        if (state.ballots.some((b) => b.voterId === actor.id))
          refuse(ErrorType.WrongPhase, 'You have already voted on this case.', {
            phase: state.current,
            status: state.status,
          });
      },
    },
  );
}

/** A secret ballot (replacements) closes with its totals, from the API's box or with the chair's casting vote. */
function onBallotClose(state: CaseState): void {
  const { parties } = state;
  setHandler(
    closeBallot,
    ({ actor, approve, reject, castingVote }) => {
      const outcome = state.ballotOutcome(approve, reject, castingVote)!;
      state.totals = { approve, reject, of: parties.collective.length };
      const by = castingVote ? actor.id : 'ballot-box';
      state.finish(state.step('vote')!, {
        by,
        outcome,
        note: castingVote ? `casting vote of the chair: ${castingVote}` : undefined,
      });
      return {
        ...state.view(),
        readModelVersion: state.persist([
          state.audit('ballot-closed', by, {
            approve,
            reject,
            of: state.totals.of,
            ...(castingVote ? { castingVote } : {}),
          }),
        ]),
      };
    },
    {
      validator: ({ actor, approve, reject, castingVote }) => {
        if (state.request.kind !== 'replacement')
          refuse(ErrorType.WrongPhase, 'This case votes openly.', { phase: state.current, status: state.status });
        if (castingVote ? actor.id !== parties.chairId : actor.id !== BALLOT_BOX.id)
          refuse(ErrorType.Forbidden, 'Only the ballot box closes a secret ballot, or the chair with a casting vote.');
        refuseUnlessOpen(state, 'vote');
        if (approve < 0 || reject < 0 || approve + reject > parties.collective.length)
          refuse(ErrorType.BadInput, 'The totals do not fit the collective.', {
            fields: [{ field: 'approve', rule: 'totals' }],
          });
        if (state.ballotOutcome(approve, reject, castingVote) === null)
          refuse(ErrorType.RuleRefused, 'The ballot is not decided yet.', { rule: 'ballot-undecided' });
      },
    },
  );
}

/** The person confirms the handover; the receiving head (HR when there is none) the receipt. */
function onHandover(state: CaseState, name: 'handover' | 'receipt'): void {
  setHandler(
    name === 'handover' ? confirmHandover : confirmReceipt,
    ({ actor }: { actor: Actor }) => {
      state.finish(state.step(name)!, { by: actor.id, outcome: 'done' });
      return { ...state.view(), readModelVersion: state.persist([state.audit(name, actor.id)]) };
    },
    {
      validator: ({ actor }: { actor: Actor }) => {
        const s = state.step(name);
        const who = name === 'handover' ? state.personId : (state.parties.receivingHeadId ?? HR_ACTOR);
        if (!actsAs(actor, who))
          refuse(
            ErrorType.Forbidden,
            name === 'handover'
              ? 'Only the person confirms their handover.'
              : 'Only the receiving head confirms receipt.',
          );
        if (!s)
          refuse(ErrorType.WrongPhase, `The case is not at ${name} yet (it is at "${state.current}").`, {
            phase: state.current,
            status: state.status,
          });
        refuseUnlessOpen(state, name);
      },
    },
  );
}

function onExplanation(state: CaseState): void {
  setHandler(
    submitExplanation,
    ({ actor, text }) => {
      state.finish(state.step('explanation')!, { by: actor.id, outcome: 'done', note: text });
      return { ...state.view(), readModelVersion: state.persist([state.audit('explanation', actor.id, { text })]) };
    },
    {
      validator: ({ actor }) => {
        if (actor.id !== state.personId)
          refuse(ErrorType.Forbidden, 'Only the leader concerned writes the explanation.');
        refuseUnlessOpen(state, 'explanation');
      },
    },
  );
}

function onProposal(state: CaseState): void {
  setHandler(
    submitProposal,
    ({ actor, ...body }) => {
      state.proposal = body;
      state.finish(state.step('proposal')!, { by: actor.id, outcome: body.recommendation, note: body.note });
      return { ...state.view(), readModelVersion: state.persist([state.audit('proposal', actor.id, body)]) };
    },
    {
      validator: ({ actor, actingPersonId }) => {
        if (!actor.roles.includes(HR_ROLE)) refuse(ErrorType.Forbidden, 'Only HR puts the proposal.');
        refuseUnlessOpen(state, 'proposal');
        if (actingPersonId === state.personId)
          refuse(ErrorType.RuleRefused, 'The leader being replaced cannot be the acting holder.', {
            rule: 'acting-is-person',
          });
      },
    },
  );
}

function onTermReview(state: CaseState): void {
  setHandler(
    submitTermReview,
    ({ actor, recommendation, note }) => {
      state.finish(state.step('end-of-term-review')!, { by: actor.id, outcome: recommendation, note });
      return {
        ...state.view(),
        readModelVersion: state.persist([state.audit('term-review', actor.id, { recommendation, note })]),
      };
    },
    {
      validator: ({ actor }) => {
        if (!actor.roles.includes(HR_ROLE)) refuse(ErrorType.Forbidden, 'Only HR records the end-of-term review.');
        refuseUnlessOpen(state, 'end-of-term-review');
      },
    },
  );
}

/** HR withdraws a case until the directory has changed; its open escalations close with it. */
function onWithdraw(state: CaseState): void {
  setHandler(
    withdrawCase,
    ({ actor, note }) => {
      state.setStatus('withdrawn');
      state.current = 'closed';
      for (const e of state.escalations.items) if (e.status === 'open') e.status = 'closed';
      return { ...state.view(), readModelVersion: state.persist([state.audit('withdrawn', actor.id, { note })]) };
    },
    {
      validator: ({ actor }) => {
        const { status, current } = state;
        if (!actor.roles.includes(HR_ROLE)) refuse(ErrorType.Forbidden, 'Only HR withdraws a case.');
        if (status !== 'open' && status !== 'approved')
          refuse(ErrorType.WrongPhase, `A ${status} case cannot be withdrawn.`, { phase: current, status });
        if (state.step('move')?.doneAt || state.step('replacement')?.doneAt)
          refuse(ErrorType.WrongPhase, 'The directory has already changed.', { phase: current, status });
      },
    },
  );
}
