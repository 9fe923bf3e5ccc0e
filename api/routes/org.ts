/** The directory, holidays and the HR records beside the directory. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findPerson, personExists } from '../../db/directory';
import { addHolidays, applyDirectory } from '../admin-commands';
import { recordConfidenceVote, recordDiscipline, recordLeave } from '../../db/people-records';
import { ConfidenceVoteBodySchema } from '../../domain/case-schemas';
import { type AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import { mayReadPerson } from '../person-rights';
import { err, ok } from '../route-docs';
import { Directory, DisciplineBody, HolidaysBody, IdParam, LeaveBody } from '../schemas';

const errors = { 400: err('Invalid input') };

export function orgRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/org',
        operationId: 'upsertDirectory',
        summary: 'Upsert the directory (admin or HR)',
        request: { body: { content: { 'application/json': { schema: Directory } }, required: true } },
        responses: { 200: ok('Counts stored'), ...errors, 403: err('Not an admin or HR') },
      }),
      async (c) => c.json(await applyDirectory(sql, c.get('caller'), c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/holidays',
        operationId: 'addHolidays',
        summary: 'Add holidays such as Tết (admin); fixed public holidays are built in',
        request: { body: { content: { 'application/json': { schema: HolidaysBody } }, required: true } },
        responses: { 200: ok('Holidays stored'), ...errors, 403: err('Not an admin') },
      }),
      async (c) => {
        return c.json({ holidays: await addHolidays(sql, c.get('caller'), c.req.valid('json').holidays) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/people/{id}/discipline',
        operationId: 'recordDiscipline',
        summary: 'Record a discipline decision (HR)',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: DisciplineBody } }, required: true },
        },
        responses: { 201: ok('Recorded'), ...errors, 403: err('Not HR'), 404: err('Unknown person') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (!(await personExists(sql, id))) throw notFound(`There is no person ${id}.`);
        const recordId = await recordDiscipline(sql, id, body, c.get('caller').id);
        return c.json({ id: recordId, personId: id, ...body }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/people/{id}/leave',
        operationId: 'recordLeave',
        summary: "Record approved leave (HR); more than half the month's working days means not rated",
        request: { params: IdParam, body: { content: { 'application/json': { schema: LeaveBody } }, required: true } },
        responses: { 201: ok('Recorded'), ...errors, 403: err('Not HR'), 404: err('Unknown person') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (body.to < body.from) throw badRequest('"to" is before "from".', [{ field: 'to', rule: 'after-from' }]);
        if (!(await personExists(sql, id))) throw notFound(`There is no person ${id}.`);
        const recordId = await recordLeave(sql, id, body, c.get('caller').id);
        return c.json({ id: recordId, personId: id, ...body }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/people/{id}',
        operationId: 'getPerson',
        summary: 'A person as the directory holds them now, with the case fields, discipline and confidence votes',
        request: { params: IdParam },
        responses: { 200: ok('The person'), 403: err('Not allowed'), 404: err('Unknown person') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const person = await findPerson(sql, id);
        if (!person) throw notFound(`There is no person ${id}.`);
        if (!(await mayReadPerson(sql, c.get('caller'), person)))
          throw forbidden("Only HR, the person, their reviewer and their unit's head read this record.");
        return c.json(person, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/people/{id}/confidence-votes',
        operationId: 'recordConfidenceVote',
        summary: 'Record a confidence vote on a leader (HR): `low` of `total` ballots were low confidence',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: ConfidenceVoteBodySchema } }, required: true },
        },
        responses: { 201: ok('Recorded'), ...errors, 403: err('Not HR'), 404: err('Unknown person') },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (!(await personExists(sql, id))) throw notFound(`There is no person ${id}.`);
        const recordId = await recordConfidenceVote(sql, id, body, c.get('caller').id);
        return c.json({ id: recordId, personId: id, ...body }, 201);
      },
    );
}
