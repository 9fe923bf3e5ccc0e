/** The directory, tokens, holidays and the HR records beside the directory. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findPerson, loadUnitAndAbove, personExists } from '../../db/directory';
import { addHolidays, applyDirectory, issueToken } from '../admin-commands';
import { recordConfidenceVote, recordDiscipline, recordLeave } from '../../db/people-records';
import type { Sql } from '../../db/sql';
import { ConfidenceVoteBodySchema } from '../../domain/case-schemas';
import { readsPersonRecord } from '../../domain/scope';
import { isAdmin, isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { badRequest, forbidden, notFound } from '../errors';
import { storeInstead } from '../idempotency';
import { err, ok } from '../route-docs';
import { Directory, DisciplineBody, HolidaysBody, IdParam, LeaveBody, TokenRequest } from '../schemas';

const errors = { 400: err('Invalid input') };

/**
 * HR and admins, the person, their reviewer and their unit's head read a person's record; who
 * the reviewer is comes from the directory's own rule, so a head's record goes to the superior head.
 */
async function mayReadPerson(sql: Sql, caller: Caller, person: { id: string; unitId: string }): Promise<boolean> {
  if (isHr(caller) || isAdmin(caller) || caller.id === person.id) return true;
  if (caller.person === null) return false;
  return readsPersonRecord(await loadUnitAndAbove(sql, person.unitId), caller.id, person.id);
}

export function orgRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/org',
        summary: 'Upsert the directory (admin or HR)',
        request: { body: { content: { 'application/json': { schema: Directory } }, required: true } },
        responses: { 200: ok('Counts stored'), ...errors },
      }),
      async (c) => c.json(await applyDirectory(sql, c.get('caller'), c.req.valid('json')), 200),
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/tokens',
        summary: 'Issue a token for a person (admin)',
        request: { body: { content: { 'application/json': { schema: TokenRequest } }, required: true } },
        responses: { 201: ok('The token, shown once'), ...errors },
      }),
      async (c) => {
        const { token, ...issued } = await issueToken(sql, c.get('caller'), c.req.valid('json'));
        // A repeat of this request answers without the token: the plain token is never stored, and minting another would leave two.
        storeInstead(c, {
          ...issued,
          message: `Token ${issued.tokenId} was issued by the first request with this Idempotency-Key; a token is shown only once.`,
        });
        return c.json({ token, ...issued }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/v1/holidays',
        summary: 'Add holidays such as Tết (admin); fixed public holidays are built in',
        request: { body: { content: { 'application/json': { schema: HolidaysBody } }, required: true } },
        responses: { 200: ok('Holidays stored'), ...errors },
      }),
      async (c) => {
        return c.json({ holidays: await addHolidays(sql, c.get('caller'), c.req.valid('json').holidays) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/people/{id}/discipline',
        summary: 'Record a discipline decision (HR)',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: DisciplineBody } }, required: true },
        },
        responses: { 201: ok('Recorded'), ...errors },
      }),
      async (c) => {
        if (!isHr(c.get('caller'))) throw forbidden('Only HR records discipline.');
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
        summary: "Record approved leave (HR); more than half the month's working days means not rated",
        request: { params: IdParam, body: { content: { 'application/json': { schema: LeaveBody } }, required: true } },
        responses: { 201: ok('Recorded'), ...errors },
      }),
      async (c) => {
        if (!isHr(c.get('caller'))) throw forbidden('Only HR records leave.');
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
        summary: 'Record a confidence vote on a leader (HR): `low` of `total` ballots were low confidence',
        request: {
          params: IdParam,
          body: { content: { 'application/json': { schema: ConfidenceVoteBodySchema } }, required: true },
        },
        responses: { 201: ok('Recorded'), ...errors, 403: err('Not HR'), 404: err('Unknown person') },
      }),
      async (c) => {
        if (!isHr(c.get('caller'))) throw forbidden('Only HR records confidence votes.');
        const { id } = c.req.valid('param');
        const body = c.req.valid('json');
        if (!(await personExists(sql, id))) throw notFound(`There is no person ${id}.`);
        const recordId = await recordConfidenceVote(sql, id, body, c.get('caller').id);
        return c.json({ id: recordId, personId: id, ...body }, 201);
      },
    );
}
