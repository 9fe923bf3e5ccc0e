/** The monthly cycle of a unit: open it, read it, deliberate, flag outstanding, read results. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleWorkflowId, openCycle, setOutstanding, type Versioned } from '../../contracts/messages';
import { isAdmin, isHr, type AppEnv, type Caller } from '../auth';
import { withinBound } from '../commands';
import { publishedResults, readScope } from '../cycle-reads';
import { approveList, checkList, cycleCommand, loadCycle as loadCycleOf, putList } from '../cycle-commands';
import { moveDeadlines } from '../admin-commands';
import type { ApiDeps } from '../deps';
import { conflict, forbidden, fromTemporal, notFound, ruleRefused } from '../errors';
import { updateIdFor } from '../idempotency';
import { findCycle } from '../../db/cycles';
import { unitExists } from '../../db/units';
import { cycleVersion, cycleView, readYourWrite } from '../read-model';
import { loadProfileSchedule } from '../../db/settings';
import type { Sql } from '../../db/sql';
import { profileFor } from '../../domain/scoring';
import { commendations } from '../../domain/talent';
import { commandErrors, json, ok } from '../route-docs';
import {
  CycleParams,
  DeliberationBody,
  Empty,
  OpenCycleRequest,
  OutstandingBody,
  RunningDeadlines,
  CycleView,
  CycleResults,
} from '../schemas';

const errors = commandErrors('cycle');

/** A month with no scoring profile in force cannot be scored: refuse it here, not inside the cycle's workflow. */
async function requireProfileInForce(sql: Sql, period: string): Promise<void> {
  try {
    profileFor(period, await loadProfileSchedule(sql));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw ruleRefused(`No scoring profile is in force for ${period}: ${e.message}.`, {
      rule: 'scoring-profile-in-force',
      period,
    });
  }
}

export function cycleRoutes(deps: ApiDeps) {
  const { sql, temporal } = deps;

  const loadCycle = (unitId: string, period: string) => loadCycleOf(deps, { unitId, period });
  const command = <Arg>(
    unitId: string,
    period: string,
    def: UpdateDefinition<Versioned, [Arg]>,
    arg: Arg,
    updateId: string | undefined,
  ) => cycleCommand(deps, { unitId, period }, def, arg, updateId);

  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cycles',
        operationId: 'openCycle',
        summary: "Open a unit's monthly cycle (admin, HR or the unit's head)",
        request: json(OpenCycleRequest),
        responses: { 201: ok('Opened', CycleView), 200: ok('Already open', CycleView), ...errors },
      }),
      async (c) => {
        const caller = c.get('caller');
        const body = c.req.valid('json');
        if (!(await unitExists(sql, body.unitId))) throw notFound(`There is no unit ${body.unitId}.`);
        const isHead = caller.person?.role === 'head' && caller.person.unitId === body.unitId;
        if (!isHr(caller) && !isAdmin(caller) && !isHead)
          throw forbidden("Only an admin, HR or the unit's head opens its cycle.");
        if (body.deadlines && Object.keys(body.deadlines).length > 0 && !isAdmin(caller))
          throw forbidden('Only an admin overrides deadlines.');
        await requireProfileInForce(sql, body.period);
        const known = await findCycle(sql, body.unitId, body.period);
        if (known?.phase === 'locked') return c.json(await cycleView(sql, known), 200);
        const requestId = randomUUID();
        const workflowId = cycleWorkflowId(body.unitId, body.period);
        try {
          const result = await withinBound(deps, () =>
            temporal.workflow.executeUpdateWithStart(openCycle, {
              args: [{ requestId }],
              startWorkflowOperation: new WithStartWorkflowOperation(cycleWorkflow, {
                workflowId,
                taskQueue: deps.taskQueue,
                workflowIdConflictPolicy: 'USE_EXISTING',
                // A month runs once: a finished cycle is never started again under the same ID.
                workflowIdReusePolicy: 'REJECT_DUPLICATE',
                args: [
                  {
                    unitId: body.unitId,
                    period: body.period,
                    requestId,
                    openedBy: caller.id,
                    overrides: body.deadlines ?? {},
                  },
                ],
              }),
            }),
          );
          await readYourWrite(cycleVersion(sql, body.unitId, body.period), result.view.readModelVersion);
          const cycle = await findCycle(sql, body.unitId, body.period);
          const view = cycle ? await cycleView(sql, cycle) : result.view;
          return c.json(view, result.created ? 201 : 200);
        } catch (e) {
          const mapped = fromTemporal(e, `The cycle of ${body.unitId} for ${body.period} has already ended.`);
          if (mapped) throw mapped;
          // A finished cycle (locked) cannot be opened again: show it as it stands.
          const existing = await findCycle(sql, body.unitId, body.period);
          if (existing?.phase === 'locked') return c.json(await cycleView(sql, existing), 200);
          throw e;
        }
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/cycles/{unitId}/{period}',
        operationId: 'getCycle',
        summary: "A unit's cycle with its members",
        request: { params: CycleParams },
        responses: { 200: ok('The cycle', CycleView), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const cycle = await loadCycle(unitId, period);
        const scope = await readScope(sql, c.get('caller'), cycle);
        return c.json(await cycleView(sql, cycle, scope === 'own' ? c.get('caller').id : undefined), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/cycles/{unitId}/{period}/deadlines',
        operationId: 'overrideDeadlines',
        summary: 'Override deadlines of one cycle (admin); `complaints` moves the complaint window once published',
        request: { params: CycleParams, ...json(RunningDeadlines) },
        responses: { 200: ok('The cycle', CycleView), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const caller = c.get('caller');
        const key = updateIdFor(caller.id, c.req.header('idempotency-key'));
        return c.json(await moveDeadlines(deps, caller, { unitId, period }, c.req.valid('json'), key), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/cycles/{unitId}/{period}/deliberation',
        operationId: 'putFinalList',
        summary: 'Put the final list (the head)',
        request: { params: CycleParams, ...json(DeliberationBody) },
        responses: { 200: ok('The cycle', CycleView), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const caller = c.get('caller');
        return c.json(
          await putList(
            deps,
            caller,
            { unitId, period },
            c.req.valid('json').decisions,
            c.req.header('idempotency-key'),
          ),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cycles/{unitId}/{period}/deliberation/check',
        operationId: 'checkFinalList',
        summary:
          'Check a final list without putting it (the head): every rule it breaks, with field and rule, and the A quota; changes nothing',
        request: { params: CycleParams, ...json(DeliberationBody) },
        responses: {
          200: ok('The refusals (none when the list may be put), the quota figures and the caps'),
          ...errors,
        },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        return c.json(await checkList(deps, c.get('caller'), { unitId, period }, c.req.valid('json').decisions), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/cycles/{unitId}/{period}/deliberation/approvals',
        operationId: 'approveFinalList',
        summary: 'Approve the list (a collective member)',
        request: { params: CycleParams, ...json(Empty) },
        responses: { 200: ok('The cycle', CycleView), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const caller = c.get('caller');
        return c.json(await approveList(deps, caller, { unitId, period }, c.req.header('idempotency-key')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/cycles/{unitId}/{period}/outstanding',
        operationId: 'setOutstanding',
        summary: 'Flag the unit outstanding for the month (superior head or admin)',
        request: { params: CycleParams, ...json(OutstandingBody) },
        responses: { 200: ok('The cycle', CycleView), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        const caller = c.get('caller');
        const key = updateIdFor(caller.id, c.req.header('idempotency-key'));
        return c.json(
          await command(unitId, period, setOutstanding, { actor: caller, ...c.req.valid('json') }, key),
          200,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/cycles/{unitId}/{period}/results',
        operationId: 'getResults',
        summary: "Published grades, readable by the unit's members",
        request: { params: CycleParams },
        responses: { 200: ok('Results', CycleResults), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        return c.json(await publishedResults(sql, c.get('caller'), await loadCycle(unitId, period)), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/cycles/{unitId}/{period}/commendations',
        operationId: 'getCommendations',
        summary: "The month's commendation list: the unit's A grades once published, for the readers of its results",
        request: { params: CycleParams },
        responses: { 200: ok('The commendation list', CycleResults), ...errors },
      }),
      async (c) => {
        const { unitId, period } = c.req.valid('param');
        // The list names the unit's A grades, which every member reads once published.
        const published = await publishedResults(sql, c.get('caller'), await loadCycle(unitId, period));
        const { unitId: u, period: p, phase, results } = published;
        return c.json({ unitId: u, period: p, phase, results: commendations(results) }, 200);
      },
    );
}
