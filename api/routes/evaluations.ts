/** One member's evaluation: plan, self-assessment, review, reading it, and complaints about its grade. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../auth';
import { filePlan, loadEvaluation } from '../commands';
import { fileGradeComplaint, resolveGradeComplaint } from '../cycle-commands';
import { complaintsToResolve } from '../cycle-reads';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { updateIdFor } from '../idempotency';
import { findComplaint } from '../../db/complaints';
import { findCycle } from '../../db/cycles';
import { fileReview, fileSelfAssessment, mayReadEvaluation } from '../evaluation-steps';
import { complaintVersion, evaluationView, readYourWrite } from '../read-model';
import { commandErrors, err, json, ok } from '../route-docs';
import {
  AnyJson,
  ComplaintBody,
  ComplaintFiled,
  EvaluationParams,
  EvaluationView,
  IdParam,
  MemberLine,
  Plan,
  ResolutionBody,
  ScoresBody,
} from '../schemas';

const errors = commandErrors('evaluation');

export function evaluationRoutes(deps: ApiDeps) {
  const { sql } = deps;

  const load = (period: string, personId: string) => loadEvaluation(sql, period, personId);
  const plan = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/plan',
    operationId: 'filePlan',
    summary: "File the month's work plan (the person)",
    request: { params: EvaluationParams, ...json(Plan) },
    responses: { 200: ok('The member line', MemberLine), ...errors },
  });
  const self = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/self-assessment',
    operationId: 'fileSelfAssessment',
    summary: 'File the self-assessment (the person)',
    request: { params: EvaluationParams, ...json(ScoresBody) },
    responses: { 200: ok('The member line', MemberLine), ...errors },
  });
  const review = createRoute({
    method: 'put',
    path: '/v1/evaluations/{period}/{personId}/review',
    operationId: 'fileReview',
    summary: 'Review and score (the assigned reviewer, or whoever took it over)',
    request: { params: EvaluationParams, ...json(ScoresBody) },
    responses: { 200: ok('The member line', MemberLine), ...errors },
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
      const body = c.req.valid('json');
      return c.json(
        await fileSelfAssessment(deps, c.get('caller'), { period, personId }, body, c.req.header('idempotency-key')),
        200,
      );
    })
    .openapi(review, async (c) => {
      const { period, personId } = c.req.valid('param');
      const body = c.req.valid('json');
      return c.json(
        await fileReview(deps, c.get('caller'), { period, personId }, body, c.req.header('idempotency-key')),
        200,
      );
    })
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/evaluations/{period}/{personId}',
        operationId: 'getEvaluation',
        summary: 'One evaluation with plan, history and escalations',
        request: { params: EvaluationParams },
        responses: { 200: ok('The evaluation', EvaluationView), ...errors },
      }),
      async (c) => {
        const { period, personId } = c.req.valid('param');
        const e = await load(period, personId);
        if (!(await mayReadEvaluation(sql, c.get('caller'), e))) throw forbidden('You may not read this evaluation.');
        return c.json(await evaluationView(sql, e), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/evaluations/{period}/{personId}/complaints',
        operationId: 'fileComplaint',
        summary: 'Complain about a published grade (the person, inside the window)',
        request: { params: EvaluationParams, ...json(ComplaintBody) },
        responses: { 201: ok('The complaint as filed', ComplaintFiled), ...errors },
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
        operationId: 'listMyComplaints',
        summary: 'The open complaints the caller is to resolve, soonest due first (at most 500)',
        responses: { 200: ok('Complaints', z.array(AnyJson)), 401: err('Not signed in') },
      }),
      async (c) => c.json(await complaintsToResolve(sql, c.get('caller')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/complaints/{id}/resolution',
        operationId: 'resolveComplaint',
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
