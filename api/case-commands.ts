/**
 * The case and proposal commands and reads as the API and the HR pages send them: who reads a case,
 * its view (a secret ballot shows only how many have voted until it closes), opening one with every
 * check (or only checking, for a page's dry run), a command to a case's workflow, a vote (secret for a
 * replacement), and dismissing a proposal. Each check and right lives here once.
 */
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import {
  BALLOT_BOX,
  caseWorkflowId,
  castVote,
  closeBallot,
  submitProposal,
  type CaseInput,
  type CaseRequest,
} from '../contracts/case-messages';
import type { Actor, Versioned } from '../contracts/messages';
import {
  ballotBox,
  caseInProgress,
  castSecretBallot,
  caseVersion,
  claimCase,
  findCase,
  loadDirectoryAround,
  type CaseRow,
} from '../db/cases';
import { findPerson } from '../db/directory';
import { dismissProposal, findProposal } from '../db/proposals';
import { loadCaseRules, loadHolidays, loadRules } from '../db/settings';
import { otherHeadOf, unitExists } from '../db/units';
import { fromMs, localDate } from '../domain/calendar';
import type { CaseBodySchema, ProposalBodySchema } from '../domain/case-schemas';
import { checkEligibility } from '../domain/eligibility';
import { partiesOf } from '../domain/parties';
import { majorityOutcome } from '../domain/votes';
import { caseWorkflow } from '../workflows/case/index';
import type { z } from 'zod';
import { isHr, type Caller } from './auth';
import { sendUpdate, withinBound } from './commands';
import type { ApiDeps } from './deps';
import { badRequest, conflict, forbidden, HttpError, notFound, ruleRefused } from './errors';
import { updateIdFor } from './idempotency';
import { escalationsOf, iso, readYourWrite } from './read-model';

export type CaseBody = z.infer<typeof CaseBodySchema>;

/** One close per case, whoever's vote decided it: Temporal dedupes concurrent closes by this ID. */
const ballotCloseUpdateId = (caseId: string): string => `ballot-close:${caseId}`;

export const actorOf = (caller: Caller): Actor => ({ id: caller.id, roles: caller.roles });

/** A case as api.md shows it; a secret ballot shows how many have voted, and its totals only once closed. */
export async function caseView(sql: ApiDeps['sql'], row: CaseRow) {
  const { ballots, ...votes } = row.votes;
  const secret = row.kind === 'replacement';
  const box = secret ? await ballotBox(sql, row.id) : null;
  // A case files its escalations under its workflow id in place of a period.
  const escalations = await escalationsOf(sql, row.workflowId, row.personId);
  return {
    id: row.id,
    kind: row.kind,
    personId: row.personId,
    status: row.status,
    step: row.step,
    steps: row.steps,
    votes: { ...votes, ...(secret ? { cast: box!.voters.length } : {}) },
    ...(ballots ? { ballots } : {}),
    decision: row.decision,
    request: row.request,
    parties: row.parties,
    proposalId: row.proposalId,
    escalations,
    createdAt: iso(row.createdAt),
  };
}
export type CaseView = Awaited<ReturnType<typeof caseView>>;

/** HR, the person, everyone the case has asked to act, and the collective that will decide it. */
export const mayReadCase = (caller: Caller, row: CaseRow): boolean =>
  isHr(caller) ||
  caller.id === row.personId ||
  row.actorIds.includes(caller.id) ||
  row.parties.collective.includes(caller.id);

export async function loadCase(sql: ApiDeps['sql'], id: string, caller: Caller): Promise<CaseRow> {
  const row = await findCase(sql, id);
  if (!row) throw notFound(`There is no case ${id}.`);
  if (!mayReadCase(caller, row))
    throw forbidden('Only HR, the person, the deciding collective and those the case asks to act read this case.');
  return row;
}

/** Sends one command to the case and answers with the case as the read model now shows it. */
export async function caseCommand<Arg>(
  deps: ApiDeps,
  id: string,
  caller: Caller,
  def: UpdateDefinition<Versioned, [Arg]>,
  arg: Arg,
  key: string | undefined,
) {
  const row = await loadCase(deps.sql, id, caller);
  const answer = await sendUpdate(deps, row.workflowId, def, arg, {
    updateId: updateIdFor(caller.id, key),
    closedMessage: `Case ${id} is closed.`,
    closedPhase: async () => (await findCase(deps.sql, id))?.status ?? 'closed',
  });
  await readYourWrite(caseVersion(deps.sql, id), answer.readModelVersion);
  return caseView(deps.sql, (await findCase(deps.sql, id))!);
}

/** Every check of `POST /v1/cases` before anything is started: the request and its parties, or the refusal. */
async function checkCase(deps: ApiDeps, caller: Caller, body: CaseBody) {
  const { sql } = deps;
  if (!isHr(caller)) throw forbidden('Only HR opens cases.');
  const person = await findPerson(sql, body.personId);
  if (!person) throw notFound(`There is no person ${body.personId}.`);
  if (body.proposalId) {
    const proposal = await findProposal(sql, body.proposalId);
    if (!proposal) throw notFound(`There is no proposal ${body.proposalId}.`);
    if (proposal.status !== 'open')
      throw conflict(`Proposal ${body.proposalId} is already ${proposal.status}.`, { phase: proposal.status });
    if (proposal.personId !== body.personId)
      throw badRequest('The proposal is about someone else.', [{ field: 'personId', rule: 'matches-proposal' }]);
  }
  // Answered before the eligibility checks, which a second case would fail for this reason anyway.
  const openCase = await caseInProgress(sql, body.personId);
  if (openCase) throw caseInProgressError(body.personId, openCase);

  const [rules, caseRules, holidays] = await Promise.all([loadRules(sql), loadCaseRules(sql), loadHolidays(sql)]);
  const today = localDate(fromMs(Date.now()));
  let request: CaseRequest;
  if (body.kind === 'replacement') {
    if (person.role === 'staff')
      throw ruleRefused('Only a head or a deputy can be replaced.', { rule: 'replacement-needs-leader' });
    request = { kind: 'replacement', personId: body.personId, reason: body.reason };
  } else {
    if (!(await unitExists(sql, body.toUnitId, { activeOnly: true })))
      throw badRequest(`There is no active unit ${body.toUnitId}.`, [{ field: 'toUnitId', rule: 'unknown-unit' }]);
    if (body.toUnitId === person.unitId && body.toRole === person.role) {
      throw ruleRefused('The person already holds that position.', { rule: 'no-change' });
    }
    if (body.toRole === 'head') {
      const headId = await otherHeadOf(sql, body.toUnitId, body.personId);
      if (headId)
        throw ruleRefused(`${body.toUnitId} already has a head (${headId}); that post must be vacated first.`, {
          rule: 'head-post-occupied',
          headId,
        });
    }
    const verdict = checkEligibility(
      {
        kind: body.kind,
        person,
        toRole: body.toRole,
        effectiveDate: body.effectiveDate,
        termMonths: body.termMonths ?? null,
        waivers: body.waivers,
        onDate: today,
      },
      caseRules,
    );
    if (!verdict.ok) {
      throw ruleRefused(
        `The move fails ${verdict.failures.length} eligibility rule(s): ${verdict.issues.map((i) => i.message).join(' ')}`,
        { rule: 'eligibility', rules: verdict.failures, issues: verdict.issues },
      );
    }
    request = {
      kind: body.kind,
      personId: body.personId,
      toUnitId: body.toUnitId,
      toRole: body.toRole,
      effectiveDate: body.effectiveDate,
      termMonths: body.termMonths ?? null,
      ...(body.reason ? { reason: body.reason } : {}),
      waivers: verdict.waived,
    };
  }
  const dir = await loadDirectoryAround(
    sql,
    request.kind === 'replacement' ? [person.unitId] : [person.unitId, request.toUnitId],
  );
  const parties = partiesOf(dir, body.personId, request.kind === 'replacement' ? null : request.toUnitId);
  if (parties.collective.length === 0) {
    throw ruleRefused(`Unit ${parties.decidingUnitId} has no leadership collective to decide this case.`, {
      rule: 'no-deciding-collective',
      unitId: parties.decidingUnitId,
    });
  }
  return { request, parties, holidays, rules, caseRules };
}

const caseInProgressError = (personId: string, caseId: string) =>
  conflict(`${personId} already has case ${caseId} in progress.`, { phase: 'open', caseId });

/** What opening `body` would do, without doing it: the parties who would act, or the refusal (thrown). */
export async function dryRunCase(deps: ApiDeps, caller: Caller, body: CaseBody) {
  const { request, parties } = await checkCase(deps, caller, body);
  return { request, parties };
}

/** Opens a case (HR); `id` (default random) lets a page's repeat find the case its first submit opened. */
export async function openCase(deps: ApiDeps, caller: Caller, body: CaseBody, id: string = randomUUID()) {
  const { sql, temporal, taskQueue } = deps;
  const { request, parties, holidays, rules, caseRules } = await checkCase(deps, caller, body);
  const input: CaseInput = {
    caseId: id,
    request,
    openedBy: caller.id,
    proposalId: body.proposalId ?? null,
    parties,
    holidays,
    rules,
    caseRules,
  };
  const claim = {
    id,
    workflowId: caseWorkflowId(id),
    kind: request.kind,
    personId: body.personId,
    request,
    parties,
    collectiveSize: parties.collective.length,
    proposalId: body.proposalId ?? null,
  };
  // The check above raced with any request for the same person; this one holds.
  const blocking = await claimCase(sql, claim, () =>
    withinBound(deps, () =>
      temporal.workflow.start(caseWorkflow, { workflowId: claim.workflowId, taskQueue, args: [input] }),
    ),
  );
  if (blocking) throw caseInProgressError(body.personId, blocking);
  await readYourWrite(caseVersion(sql, id), 1, 15_000);
  const row = await findCase(sql, id);
  if (!row) throw new HttpError(500, `Case ${id} was opened but is not readable yet; read it again shortly.`);
  return caseView(sql, row);
}

/**
 * A vote of the deciding collective: open for a move (through the workflow), secret for a
 * replacement (into the ballot box, whose totals alone reach the workflow once the ballot is complete).
 */
export async function voteOnCase(
  deps: ApiDeps,
  id: string,
  caller: Caller,
  vote: 'approve' | 'reject',
  key: string | undefined,
): Promise<{ row: CaseRow; view: CaseView; secret: boolean }> {
  const { sql } = deps;
  const row = await loadCase(sql, id, caller);
  if (row.kind !== 'replacement')
    return {
      row,
      view: await caseCommand(deps, id, caller, castVote, { actor: actorOf(caller), vote }, key),
      secret: false,
    };

  if (!row.parties.collective.includes(caller.id))
    throw forbidden(`Only members of the deciding collective (${row.parties.decidingUnitId}) vote.`);
  const step = row.steps.find((s) => s.name === 'vote');
  if (row.status !== 'open' || !step || step.doneAt !== null)
    throw conflict('This case is not taking votes.', { phase: row.step, status: row.status });
  const totals = await castSecretBallot(sql, id, caller.id, vote);
  if (!totals) throw conflict('You have already voted on this case.', { phase: row.step, status: row.status });
  const of = step.actorIds.length;
  // The box closes only a complete ballot (or the workflow closes it at its deadline): closing at
  // the first majority would tell that the last voter sided with it. It closes under an update ID
  // of the case alone, so nothing in the history names a voter.
  const complete = totals.approve + totals.reject === of;
  if (complete && majorityOutcome(totals, of) !== null) {
    await sendUpdate(
      deps,
      row.workflowId,
      closeBallot,
      { actor: BALLOT_BOX, approve: totals.approve, reject: totals.reject },
      { updateId: ballotCloseUpdateId(id), closedMessage: `Case ${id} is closed.` },
    )
      .then((answer) => readYourWrite(caseVersion(sql, id), answer.readModelVersion))
      .catch((err: unknown) => {
        // Already closed (from the box at the deadline): the case shows the outcome either way.
        if (!(err instanceof HttpError && err.status === 409)) throw err;
      });
  }
  return { row, view: await caseView(sql, (await findCase(sql, id))!), secret: true };
}

/** HR dismisses an automatic proposal with its reason; a proposal no longer open is refused with its state. */
export async function dismissProposalAs(deps: ApiDeps, caller: Caller, id: string, note: string) {
  if (!isHr(caller)) throw forbidden('Only HR sees and decides automatic proposals.');
  if (!(await dismissProposal(deps.sql, id, note, caller.id))) {
    // Read after the refused write, so the answer names the state that refused it.
    const p = await findProposal(deps.sql, id);
    if (!p) throw notFound(`There is no proposal ${id}.`);
    throw conflict(`Proposal ${id} is already ${p.status}.`, { phase: p.status });
  }
  return (await findProposal(deps.sql, id))!;
}

/** HR's proposal on a replacement: replace (naming an existing acting holder) or keep (with its rationale). */
export async function proposeOnCase(
  deps: ApiDeps,
  id: string,
  caller: Caller,
  body: z.infer<typeof ProposalBodySchema>,
  key: string | undefined,
) {
  const { sql } = deps;
  if (!isHr(caller)) throw forbidden('Only HR puts the proposal.');
  const missing: { field: string; rule: string; message: string }[] = [];
  if (body.actingPersonId && !(await findPerson(sql, body.actingPersonId)))
    missing.push({
      field: 'actingPersonId',
      rule: 'unknown-person',
      message: `There is no person ${body.actingPersonId}.`,
    });
  if (body.placementUnitId && !(await unitExists(sql, body.placementUnitId, { activeOnly: true }))) {
    missing.push({
      field: 'placementUnitId',
      rule: 'unknown-unit',
      message: `There is no active unit ${body.placementUnitId}.`,
    });
  }
  if (missing.length > 0) throw badRequest(missing.map((m) => m.message).join(' '), missing);
  return caseCommand(deps, id, caller, submitProposal, { actor: actorOf(caller), ...body }, key);
}
