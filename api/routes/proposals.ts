/** Automatic proposals for HR (position changes, replacements, talent): list them, dismiss one with a note, or scan now (cases open from them via `POST /v1/cases`). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  listProposals,
  scanPositionChanges,
  scanReplacementTriggers,
  scanTalent,
  type ProposalRow,
} from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
import { fromMs, localDate } from '../../domain/calendar';
import { isHr, type AppEnv, type Caller } from '../auth';
import { dismissProposalAs } from '../case-commands';
import type { ApiDeps } from '../deps';
import { forbidden } from '../errors';
import { pagedOk, pageQuery, pageRequest } from '../pagination';
import { commandErrors, json, ok } from '../route-docs';
import { DateSchema } from '../../domain/schemas';
import { iso } from '../read-model';
import { IdParam, LongText } from '../schemas';

const errors = commandErrors('proposal');
const ProposalQuery = z.object({
  status: z.enum(['open', 'dismissed', 'opened']).optional(),
  kind: z.enum(['position-change', 'replacement', 'talent']).optional(),
  ...pageQuery('proposals'),
});
const DismissBody = z.object({ note: LongText }).strict();
const ScanBody = z.object({ onDate: DateSchema.optional() }).strict();

const view = (p: ProposalRow) => ({ ...p, createdAt: iso(p.createdAt) });

export function proposalRoutes(deps: ApiDeps) {
  const { sql } = deps;
  // Only HR sees and decides them: the role guard's (api/guards.ts).
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/proposals',
        operationId: 'listProposals',
        summary: 'Automatic proposals with their evidence (HR), newest first',
        request: { query: ProposalQuery },
        responses: { 200: pagedOk('Proposals', 'proposals'), 400: errors[400], 403: errors[403] },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { items, next } = await listProposals(sql, query.status, pageRequest(query), query.kind);
        return c.json({ proposals: items.map(view), next }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/proposals/{id}/dismiss',
        operationId: 'dismissProposal',
        summary: 'Dismiss a proposal, with the reason (HR)',
        request: { params: IdParam, ...json(DismissBody) },
        responses: { 200: ok('The proposal'), ...errors },
      }),
      async (c) => {
        const proposal = await dismissProposalAs(
          deps,
          c.get('caller'),
          c.req.valid('param').id,
          c.req.valid('json').note,
        );
        return c.json(view(proposal), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/proposals/scan',
        operationId: 'scanProposals',
        summary: 'Run the monthly proposal scan now (HR); `onDate` defaults to today',
        request: json(ScanBody),
        responses: { 200: ok('What the scan added'), ...errors },
      }),
      async (c) => {
        const onDate = c.req.valid('json').onDate ?? localDate(fromMs(Date.now()));
        const [caseRules, rules] = await Promise.all([loadCaseRules(sql), loadRules(sql)]);
        const positions = await scanPositionChanges(sql, onDate, caseRules);
        const replacements = await scanReplacementTriggers(sql, caseRules, rules);
        const talent = await scanTalent(sql, onDate, rules);
        return c.json({ onDate, positionChanges: positions, replacements, talent }, 200);
      },
    );
}
