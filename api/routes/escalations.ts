/** The caller's inbox: what they owe now, and the escalations waiting for their decision. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { identities, type AppEnv } from '../auth';
import { decideEscalationAs } from '../commands';
import type { ApiDeps } from '../deps';
import { escalationsFor, tasksFor } from '../read-model';
import { pagedArrayOk, pageQuery, pageRequest, setNextCursor } from '../pagination';
import { err, ok } from '../route-docs';
import { DecisionBody, EscalationQuery, IdParam } from '../schemas';

const TasksQuery = z.object(pageQuery('tasks'));
const EscalationListQuery = EscalationQuery.extend(pageQuery('escalations'));

export function escalationRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/me/tasks',
        operationId: 'listMyTasks',
        summary: 'What the caller owes now, soonest due first',
        request: { query: TasksQuery },
        responses: { 200: pagedArrayOk('Tasks'), 400: err('Invalid input') },
      }),
      async (c) => {
        const { items, next } = await tasksFor(sql, identities(c.get('caller')), pageRequest(c.req.valid('query')));
        setNextCursor(c, next);
        return c.json(items, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/escalations',
        operationId: 'listEscalations',
        summary: 'Escalations whose current target is the caller, soonest due first',
        request: { query: EscalationListQuery },
        responses: { 200: pagedArrayOk('Escalations'), 400: err('Invalid input') },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { items, next } = await escalationsFor(
          sql,
          identities(c.get('caller')),
          query.status,
          pageRequest(query),
        );
        setNextCursor(c, next);
        return c.json(items, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/escalations/{id}/decision',
        operationId: 'decideEscalation',
        summary: 'Decide an escalation (its current target): extend, take over, reassign or accept the default',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: DecisionBody } }, required: true },
        },
        responses: {
          200: ok('The escalation'),
          400: err('Invalid input'),
          403: err('Not the target'),
          404: err('Unknown'),
          409: err('Already decided'),
          422: err('A rule refuses it'),
        },
      }),
      async (c) =>
        c.json(
          await decideEscalationAs(
            deps,
            c.get('caller'),
            c.req.valid('param').id,
            c.req.valid('json'),
            c.req.header('idempotency-key'),
          ),
          200,
        ),
    );
}
