/** Automatic proposals for HR: list them, dismiss one with a note, or scan now (cases open from them via `POST /v1/cases`). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findProposal, listProposals, scanPositionChanges, scanReplacementTriggers, type ProposalRow } from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
import { fromMs, localDate } from '../../domain/calendar';
import { isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { conflict, forbidden, notFound } from '../errors';
import { commandErrors, json, ok } from '../route-docs';
import { DateSchema } from '../../domain/schemas';
import { iso } from '../read-model';
import { IdParam, LongText } from '../schemas';

const errors = commandErrors('proposal');
const ProposalQuery = z.object({ status: z.enum(['open', 'dismissed', 'opened']).optional() });
const DismissBody = z.object({ note: LongText }).strict();
const ScanBody = z.object({ onDate: DateSchema.optional() }).strict();

const view = (p: ProposalRow) => ({ ...p, createdAt: iso(p.createdAt) });

export function proposalRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const hrOnly = (caller: Caller): void => {
    if (!isHr(caller)) throw forbidden('Only HR sees and decides automatic proposals.');
  };
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({ method: 'get', path: '/v1/proposals', summary: 'Automatic proposals with their evidence (HR)', request: { query: ProposalQuery }, responses: { 200: ok('Proposals'), 400: errors[400], 403: errors[403] } }),
      async (c) => {
        hrOnly(c.get('caller'));
        return c.json({ proposals: (await listProposals(sql, c.req.valid('query').status)).map(view) }, 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/v1/proposals/{id}/dismiss', summary: 'Dismiss a proposal, with the reason (HR)', request: { params: IdParam, ...json(DismissBody) }, responses: { 200: ok('The proposal'), ...errors } }),
      async (c) => {
        hrOnly(c.get('caller'));
        const { id } = c.req.valid('param');
        const p = await findProposal(sql, id);
        if (!p) throw notFound(`There is no proposal ${id}.`);
        if (p.status !== 'open') throw conflict(`Proposal ${id} is already ${p.status}.`, { phase: p.status });
        const { note } = c.req.valid('json');
        await sql.begin(async (tx) => {
          await tx`update proposals set status = 'dismissed', note = ${note}, decided_by = ${c.get('caller').id}, decided_at = now(), updated_at = now() where id = ${id}`;
          await tx`insert into audit (dedupe_key, at, actor, action, subject, payload)
            values (${`proposal:${id}:dismissed`}, now(), ${c.get('caller').id}, 'proposal.dismissed', ${`proposal:${id}`}, ${tx.json({ note })})`;
        });
        return c.json(view((await findProposal(sql, id))!), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/v1/proposals/scan', summary: 'Run the monthly proposal scan now (HR); `onDate` defaults to today', request: json(ScanBody), responses: { 200: ok('What the scan added'), ...errors } }),
      async (c) => {
        hrOnly(c.get('caller'));
        const onDate = c.req.valid('json').onDate ?? localDate(fromMs(Date.now()));
        const [caseRules, rules] = await Promise.all([loadCaseRules(sql), loadRules(sql)]);
        const positions = await scanPositionChanges(sql, onDate, caseRules);
        const replacements = await scanReplacementTriggers(sql, caseRules, rules);
        return c.json({ onDate, positionChanges: positions, replacements }, 200);
      },
    );
}
