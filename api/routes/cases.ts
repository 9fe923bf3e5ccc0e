/** Move and replacement cases: open one (eligibility checked), read them, and act on each step. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import type { Context } from 'hono';
import { randomUUID } from 'node:crypto';
import {
  ballotBox,
  caseInProgress,
  castSecretBallot,
  caseVersion,
  claimCase,
  findCase,
  listCases,
  loadDirectoryAround,
  type CaseRow,
} from '../../db/cases';
import { findPerson } from '../../db/directory';
import { findProposal } from '../../db/proposals';
import { loadCaseRules, loadHolidays, loadRules } from '../../db/settings';
import { otherHeadOf, unitExists } from '../../db/units';
import {
  CaseBodySchema,
  CaseVoteBodySchema,
  ExplanationBodySchema,
  OpinionBodySchema,
  ProposalBodySchema,
} from '../../domain/case-schemas';
import { localDate, fromMs } from '../../domain/calendar';
import { checkEligibility } from '../../domain/eligibility';
import { partiesOf } from '../../domain/parties';
import { majorityOutcome } from '../../domain/votes';
import { caseWorkflow } from '../../workflows/case/index';
import {
  BALLOT_BOX,
  caseWorkflowId,
  castVote,
  closeBallot,
  confirmHandover,
  confirmReceipt,
  submitExplanation,
  submitOpinion,
  submitProposal,
  submitTermReview,
  withdrawCase,
  type CaseInput,
  type CaseRequest,
} from '../../contracts/case-messages';
import type { Actor, Versioned } from '../../contracts/messages';
import { isHr, type AppEnv, type Caller } from '../auth';
import { sendUpdate, withinBound } from '../commands';
import type { ApiDeps } from '../deps';
import { badRequest, conflict, forbidden, HttpError, notFound, ruleRefused } from '../errors';
import { storeInstead, updateIdFor } from '../idempotency';
import { escalationsOf, iso, readYourWrite } from '../read-model';
import { pagedOk, pageQuery, pageRequest } from '../pagination';
import { commandErrors, json, ok } from '../route-docs';
import { Empty, IdParam, LongText } from '../schemas';

const errors = commandErrors('case');

const CaseQuery = z.object({
  status: z.enum(['open', 'approved', 'rejected', 'completed', 'withdrawn']).optional(),
  ...pageQuery('cases'),
});
const TermReviewBody = z
  .object({ recommendation: z.enum(['return', 'extend', 'appoint']), note: LongText.optional() })
  .strict();
const WithdrawBody = z.object({ note: LongText }).strict();
const CastingVoteBody = CaseVoteBodySchema;
/** One close per case, whoever's vote decided it: Temporal dedupes concurrent closes by this ID. */
const ballotCloseUpdateId = (caseId: string): string => `ballot-close:${caseId}`;

/** A case as api.md shows it; a secret ballot shows how many have voted, and its totals only once closed. */
async function caseView(sql: ApiDeps['sql'], row: CaseRow) {
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

/** HR, the person, everyone the case has asked to act, and the collective that will decide it. */
const mayRead = (caller: Caller, row: CaseRow): boolean =>
  isHr(caller) ||
  caller.id === row.personId ||
  row.actorIds.includes(caller.id) ||
  row.parties.collective.includes(caller.id);

export function caseRoutes(deps: ApiDeps) {
  const { sql, temporal, taskQueue } = deps;

  const load = async (id: string, caller: Caller): Promise<CaseRow> => {
    const row = await findCase(sql, id);
    if (!row) throw notFound(`There is no case ${id}.`);
    if (!mayRead(caller, row))
      throw forbidden('Only HR, the person, the deciding collective and those the case asks to act read this case.');
    return row;
  };

  /** Sends one command to the case and answers with the case as the read model now shows it. */
  const command = async <Arg>(
    id: string,
    caller: Caller,
    def: UpdateDefinition<Versioned, [Arg]>,
    arg: Arg,
    key: string | undefined,
  ) => {
    const row = await load(id, caller);
    const answer = await sendUpdate(deps, row.workflowId, def, arg, {
      updateId: updateIdFor(caller.id, key),
      closedMessage: `Case ${id} is closed.`,
      closedPhase: async () => (await findCase(sql, id))?.status ?? 'closed',
    });
    await readYourWrite(caseVersion(sql, id), answer.readModelVersion);
    return caseView(sql, (await findCase(sql, id))!);
  };

  const actor = (caller: Caller): Actor => ({ id: caller.id, roles: caller.roles });

  /** A step that is one command: the caller as its actor, the body's fields, the request's Idempotency-Key. */
  const sendStep = <Arg extends { actor: Actor }>(
    c: Context<AppEnv>,
    id: string,
    def: UpdateDefinition<Versioned, [Arg]>,
    fields: Omit<Arg, 'actor'>,
  ) =>
    command(
      id,
      c.get('caller'),
      def,
      { ...fields, actor: actor(c.get('caller')) } as Arg,
      c.req.header('idempotency-key'),
    );

  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases',
        operationId: 'openCase',
        summary:
          'Open a move (rotation, transfer, position change) or a replacement case (HR); eligibility is checked now',
        request: json(CaseBodySchema),
        responses: { 201: ok('The case'), ...errors },
      }),
      async (c) => {
        const caller = c.get('caller');
        const body = c.req.valid('json');
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
        const inProgress = (caseId: string) =>
          conflict(`${body.personId} already has case ${caseId} in progress.`, { phase: 'open', caseId });
        // Answered before the eligibility checks, which a second case would fail for this reason anyway.
        const openCase = await caseInProgress(sql, body.personId);
        if (openCase) throw inProgress(openCase);

        const [rules, caseRules, holidays] = await Promise.all([loadRules(sql), loadCaseRules(sql), loadHolidays(sql)]);
        const today = localDate(fromMs(Date.now()));
        let request: CaseRequest;
        if (body.kind === 'replacement') {
          if (person.role === 'staff')
            throw ruleRefused('Only a head or a deputy can be replaced.', { rule: 'replacement-needs-leader' });
          request = { kind: 'replacement', personId: body.personId, reason: body.reason };
        } else {
          if (!(await unitExists(sql, body.toUnitId, { activeOnly: true })))
            throw badRequest(`There is no active unit ${body.toUnitId}.`, [
              { field: 'toUnitId', rule: 'unknown-unit' },
            ]);
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
              {
                rule: 'eligibility',
                rules: verdict.failures,
                issues: verdict.issues,
              },
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
        const id = randomUUID();
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
        if (blocking) throw inProgress(blocking);
        await readYourWrite(caseVersion(sql, id), 1, 15_000);
        const row = await findCase(sql, id);
        if (!row) throw new HttpError(500, `Case ${id} was opened but is not readable yet; read it again shortly.`);
        return c.json(await caseView(sql, row), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/cases',
        operationId: 'listCases',
        summary: 'Cases, newest first: HR sees all, others the cases that ask them to act',
        request: { query: CaseQuery },
        responses: { 200: pagedOk('Cases', 'cases'), 400: errors[400] },
      }),
      async (c) => {
        const caller = c.get('caller');
        const query = c.req.valid('query');
        const { items, next } = await listCases(sql, query.status, isHr(caller) ? null : caller.id, pageRequest(query));
        return c.json({ cases: await Promise.all(items.map((r) => caseView(sql, r))), next }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/cases/{id}',
        operationId: 'getCase',
        summary: 'A case with its steps, votes, decision and escalations',
        request: { params: IdParam },
        responses: { 200: ok('The case'), 403: errors[403], 404: errors[404] },
      }),
      async (c) => c.json(await caseView(sql, await load(c.req.valid('param').id, c.get('caller'))), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/opinions',
        operationId: 'giveCaseOpinion',
        summary: 'Opinion of the sending head, the receiving head or the person (each once)',
        request: { params: IdParam, ...json(OpinionBodySchema) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, submitOpinion, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/votes',
        operationId: 'castCaseVote',
        summary: 'A vote of a member of the deciding collective; secret for a replacement (only totals are kept)',
        request: { params: IdParam, ...json(CaseVoteBodySchema) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const { vote } = c.req.valid('json');
        const key = c.req.header('idempotency-key');
        const row = await load(id, caller);
        if (row.kind !== 'replacement')
          return c.json(await command(id, caller, castVote, { actor: actor(caller), vote }, key), 200);

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
            {
              updateId: ballotCloseUpdateId(id),
              closedMessage: `Case ${id} is closed.`,
            },
          )
            .then((answer) => readYourWrite(caseVersion(sql, id), answer.readModelVersion))
            .catch((err: unknown) => {
              // Already closed (from the box at the deadline): the case shows the outcome either way.
              if (!(err instanceof HttpError && err.status === 409)) throw err;
            });
        }
        // A repeat answers without the case as it stood: the closing voter's copy would show they decided it.
        storeInstead(c, {
          id,
          kind: row.kind,
          personId: row.personId,
          message: `Your ballot on case ${id} is in the box. A secret ballot keeps no copy of the first answer; read the case at /v1/cases/${id}.`,
        });
        return c.json(await caseView(sql, (await findCase(sql, id))!), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/casting-vote',
        operationId: 'castCastingVote',
        summary: "The chair's open casting vote after a secret ballot split exactly in half",
        request: { params: IdParam, ...json(CastingVoteBody) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => {
        const caller = c.get('caller');
        const { id } = c.req.valid('param');
        const row = await load(id, caller);
        // Rights first: anyone else learns only that, not whether the ballot is split.
        if (caller.id !== row.parties.chairId)
          throw forbidden(
            `Only the chair of the deciding collective (${row.parties.decidingUnitId}) casts the deciding vote.`,
          );
        const step = row.steps.find((s) => s.name === 'vote');
        if (row.kind !== 'replacement' || !step || step.doneAt !== null)
          throw conflict('There is no split secret ballot on this case.', { phase: row.step, status: row.status });
        const box = await ballotBox(sql, id);
        if (box.voters.length < step.actorIds.length || box.approve !== box.reject) {
          throw ruleRefused('A casting vote is only for a complete ballot split exactly in half.', {
            rule: 'no-tie',
            cast: box.voters.length,
            of: step.actorIds.length,
          });
        }
        const castingVote = c.req.valid('json').vote;
        return c.json(
          await sendStep(c, id, closeBallot, { approve: box.approve, reject: box.reject, castingVote }),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/handover',
        operationId: 'confirmHandover',
        summary: 'The person confirms handover',
        request: { params: IdParam, ...json(Empty) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, confirmHandover, {}), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/receipt',
        operationId: 'confirmReceipt',
        summary: 'The receiving head confirms receipt',
        request: { params: IdParam, ...json(Empty) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, confirmReceipt, {}), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/explanation',
        operationId: 'submitExplanation',
        summary: "The leader's written explanation (giải trình)",
        request: { params: IdParam, ...json(ExplanationBodySchema) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, submitExplanation, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/proposal',
        operationId: 'putCaseProposal',
        summary: "HR's proposal: replace (naming the acting holder) or keep (with the rationale)",
        request: { params: IdParam, ...json(ProposalBodySchema) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => {
        const body = c.req.valid('json');
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
        return c.json(await sendStep(c, c.req.valid('param').id, submitProposal, body), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/review',
        operationId: 'reviewRotation',
        summary: 'The end-of-term review of a rotation (HR): return, extend or appoint',
        request: { params: IdParam, ...json(TermReviewBody) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, submitTermReview, c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cases/{id}/withdraw',
        operationId: 'withdrawCase',
        summary: 'Withdraw a case before the directory changes (HR)',
        request: { params: IdParam, ...json(WithdrawBody) },
        responses: { 200: ok('The case'), ...errors },
      }),
      async (c) => c.json(await sendStep(c, c.req.valid('param').id, withdrawCase, c.req.valid('json')), 200),
    );
}
