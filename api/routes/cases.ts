/** Move and replacement cases: open one (eligibility checked), read them, and act on each step. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { listCases } from '../../db/cases';
import {
  CaseBodySchema,
  CaseVoteBodySchema,
  ExplanationBodySchema,
  OpinionBodySchema,
  ProposalBodySchema,
} from '../../domain/case-schemas';
import {
  closeBallot,
  confirmHandover,
  confirmReceipt,
  submitExplanation,
  submitOpinion,
  submitTermReview,
  withdrawCase,
} from '../../contracts/case-messages';
import { isHr, type AppEnv, type Caller } from '../auth';
import {
  actorOf as actor,
  caseCommand,
  caseView,
  loadCase,
  openCase,
  proposeOnCase,
  voteOnCase,
} from '../case-commands';
import type { ApiDeps } from '../deps';
import { conflict, forbidden, ruleRefused } from '../errors';
import { storeInstead } from '../idempotency';
import { ballotBox } from '../../db/cases';
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
export function caseRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const load = (id: string, caller: Caller) => loadCase(sql, id, caller);
  const command = <Arg>(
    id: string,
    caller: Caller,
    def: Parameters<typeof caseCommand<Arg>>[3],
    arg: Arg,
    key: string | undefined,
  ) => caseCommand(deps, id, caller, def, arg, key);

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
      async (c) => c.json(await openCase(deps, c.get('caller'), c.req.valid('json')), 201),
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
      async (c) => {
        const caller = c.get('caller');
        return c.json(
          await command(
            c.req.valid('param').id,
            caller,
            submitOpinion,
            { actor: actor(caller), ...c.req.valid('json') },
            c.req.header('idempotency-key'),
          ),
          200,
        );
      },
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
        const { row, view, secret } = await voteOnCase(deps, id, caller, vote, c.req.header('idempotency-key'));
        // A repeat answers without the case as it stood: the closing voter's copy would show they decided it.
        if (secret)
          storeInstead(c, {
            id,
            kind: row.kind,
            personId: row.personId,
            message: `Your ballot on case ${id} is in the box. A secret ballot keeps no copy of the first answer; read the case at /v1/cases/${id}.`,
          });
        return c.json(view, 200);
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
        return c.json(
          await command(
            id,
            caller,
            closeBallot,
            { actor: actor(caller), approve: box.approve, reject: box.reject, castingVote: c.req.valid('json').vote },
            c.req.header('idempotency-key'),
          ),
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
      async (c) =>
        c.json(
          await command(
            c.req.valid('param').id,
            c.get('caller'),
            confirmHandover,
            { actor: actor(c.get('caller')) },
            c.req.header('idempotency-key'),
          ),
          200,
        ),
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
      async (c) =>
        c.json(
          await command(
            c.req.valid('param').id,
            c.get('caller'),
            confirmReceipt,
            { actor: actor(c.get('caller')) },
            c.req.header('idempotency-key'),
          ),
          200,
        ),
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
      async (c) =>
        c.json(
          await command(
            c.req.valid('param').id,
            c.get('caller'),
            submitExplanation,
            { actor: actor(c.get('caller')), ...c.req.valid('json') },
            c.req.header('idempotency-key'),
          ),
          200,
        ),
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
      async (c) =>
        c.json(
          await proposeOnCase(
            deps,
            c.req.valid('param').id,
            c.get('caller'),
            c.req.valid('json'),
            c.req.header('idempotency-key'),
          ),
          200,
        ),
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
      async (c) =>
        c.json(
          await command(
            c.req.valid('param').id,
            c.get('caller'),
            submitTermReview,
            { actor: actor(c.get('caller')), ...c.req.valid('json') },
            c.req.header('idempotency-key'),
          ),
          200,
        ),
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
      async (c) =>
        c.json(
          await command(
            c.req.valid('param').id,
            c.get('caller'),
            withdrawCase,
            { actor: actor(c.get('caller')), ...c.req.valid('json') },
            c.req.header('idempotency-key'),
          ),
          200,
        ),
    );
}
