/** One member's evaluation: plan, self-assessment, review, reading it, and complaints about its grade. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { UpdateDefinition } from '@temporalio/common';
import { submitReview, submitSelfAssessment, type Versioned } from '../../contracts/messages';
import { isHr, type AppEnv, type Caller } from '../auth';
import { evaluationStep, filePlan, loadEvaluation } from '../commands';
import { fileGradeComplaint, resolveGradeComplaint } from '../cycle-commands';
import { complaintsToResolve } from '../cycle-reads';
import type { ApiDeps } from '../deps';
import { forbidden } from '../errors';
import { updateIdFor } from '../idempotency';
import { findCycle } from '../../db/cycles';
import { escalationNames } from '../../db/escalations';
import { findEvaluation } from '../../db/evaluations';
import { evaluationView } from '../read-model';
import { commandErrors, err, json, ok } from '../route-docs';
import { ComplaintBody, EvaluationParams, IdParam, Plan, ResolutionBody, ScoresBody } from '../schemas';

const errors = commandErrors('evaluation');

export function evaluationRoutes(deps: ApiDeps) {
  const { sql } = deps;

  const load = (period: string, personId: string) => loadEvaluation(sql, period, personId);
  const step = <Arg>(
    period: string,
    personId: string,
    def: UpdateDefinition<Versioned, [Arg]>,
    arg: Arg,
    updateId: string | undefined,
    closedMessage: string,
  ) => evaluationStep(deps, { period, personId }, def, arg, { updateId, closedMessage });

  /** The person, their reviewer, the settling collective, escalation targets on it, HR and admins. */
  const mayRead = async (
    caller: Caller,
    e: NonNullable<Awaited<ReturnType<typeof findEvaluation>>>,
  ): Promise<boolean> => {
    if (isHr(caller) || caller.id === e.personId || caller.id === e.reviewerId) return true;
    const cycle = await findCycle(sql, e.unitId, e.period);
    if (cycle && (cycle.collective.includes(caller.id) || (await escalationNames(sql, cycle.workflowId, caller.id))))
      return true;
    return escalationNames(sql, e.workflowId, caller.id);
  };

  const plan = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/plan',
    summary: "File the month's work plan (the person)",
    request: { params: EvaluationParams, ...json(Plan) },
    responses: { 200: ok('The member line'), ...errors },
  });
  const self = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/self-assessment',
    summary: 'File the self-assessment (the person)',
    request: { params: EvaluationParams, ...json(ScoresBody) },
    responses: { 200: ok('The member line'), ...errors },
  });
  const review = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/review',
    summary: 'Review and score (the assigned reviewer, or whoever took it over)',
    request: { params: EvaluationParams, ...json(ScoresBody) },
    responses: { 200: ok('The member line'), ...errors },
  });

  return new OpenAPIHono<AppEnv>()
    .openapi(plan, async (c) => {
      const { period, personId } = c.req.valid('param');
      const caller = c.get('caller');
      return c.json(
        await filePlan(deps, caller, { period, personId }, c.req.valid('json').tasks, c.req.header('idempotency-key')),
        200,
      );
    })
    .openapi(self, async (c) => {
      const { period, personId } = c.req.valid('param');
      const caller = c.get('caller');
      const key = updateIdFor(caller.id, c.req.header('idempotency-key'));
      return c.json(
        await step(
          period,
          personId,
          submitSelfAssessment,
          { actor: caller, ...c.req.valid('json') },
          key,
          'The self-assessment step is closed.',
        ),
        200,
      );
    })
    .openapi(review, async (c) => {
      const { period, personId } = c.req.valid('param');
      const caller = c.get('caller');
      const key = updateIdFor(caller.id, c.req.header('idempotency-key'));
      return c.json(
        await step(
          period,
          personId,
          submitReview,
          { actor: caller, ...c.req.valid('json') },
          key,
          'The review step is closed.',
        ),
        200,
      );
    })
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/evaluations/{period}/{personId}',
        summary: 'One evaluation with plan, history and escalations',
        request: { params: EvaluationParams },
        responses: { 200: ok('The evaluation'), ...errors },
      }),
      async (c) => {
        const { period, personId } = c.req.valid('param');
        const e = await load(period, personId);
        if (!(await mayRead(c.get('caller'), e))) throw forbidden('You may not read this evaluation.');
        return c.json(await evaluationView(sql, e), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/evaluations/{period}/{personId}/complaints',
        summary: 'Complain about a published grade (the person, inside the window)',
        request: { params: EvaluationParams, ...json(ComplaintBody) },
        responses: { 201: ok('The complaint id'), ...errors },
      }),
      async (c) => {
        const { period, personId } = c.req.valid('param');
        const caller = c.get('caller');
        return c.json(
          await fileGradeComplaint(
            deps,
            caller,
            { period, personId },
            c.req.valid('json').reason,
            c.req.header('idempotency-key'),
          ),
          201,
        );
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/me/complaints',
        summary: 'The open complaints the caller is to resolve, soonest due first (at most 500)',
        responses: { 200: ok('Complaints'), 401: err('Not signed in') },
      }),
      async (c) => c.json(await complaintsToResolve(sql, c.get('caller')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/complaints/{id}/resolution',
        summary: 'Resolve a complaint (the head)',
        request: { params: IdParam, ...json(ResolutionBody) },
        responses: { 200: ok('The complaint'), ...errors },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const caller = c.get('caller');
        return c.json(
          await resolveGradeComplaint(deps, caller, id, c.req.valid('json'), c.req.header('idempotency-key')),
          200,
        );
      },
    );
}
