/**
 * The annual roll-up of a unit from its locked and published months, with each person's proposed
 * emulation title, and one person's roll-up wherever their months were settled.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { annualQuotaCheck, annualRollup, monthResultOf } from '../../domain/annual';
import type { RulesConfig } from '../../domain/config';
import { emulationTitle } from '../../domain/reports';
import { findPerson } from '../../db/directory';
import { settledMonthsOfPerson, settledMonthsOfYear, type SettledMonth } from '../../db/evaluations';
import { disciplinedBetween } from '../../db/people-records';
import { scanReplacementTriggers } from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
import type { Sql } from '../../db/sql';
import { leadsUnit, unitExists } from '../../db/units';
import { isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { mayReadPerson } from '../person-rights';
import { err } from '../route-docs';
import { AnnualParams, AnyJson, PersonAnnualParams } from '../schemas';

/** Each person's months, roll-up and title, from their settled months in `rows` (ordered by person, then period). */
async function annualLines(sql: Sql, rows: SettledMonth[], year: string, rules: RulesConfig) {
  const disciplined = await disciplinedBetween(sql, `${year}-01-01`, `${year}-12-31`);
  const byPerson = new Map<string, SettledMonth[]>();
  for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
  return [...byPerson].map(([personId, settled]) => {
    const months = settled.map(monthResultOf);
    const rollup = annualRollup(months, disciplined.has(personId), rules);
    return {
      personId,
      months: months.map((m) => ({ period: m.period, total: m.total, grade: m.grade })),
      ...rollup,
      title: emulationTitle(rollup.grade),
    };
  });
}

/** Whom the unit's roll-up shows `caller`: every line, only their own (a member), or nothing. */
async function annualView(sql: Sql, caller: Caller, unitId: string): Promise<'all' | 'own' | 'none'> {
  if (isHr(caller) || (await leadsUnit(sql, unitId, caller.id))) return 'all';
  if (caller.person === null) return 'none';
  const me = await findPerson(sql, caller.id);
  return me?.unitId === unitId ? 'own' : 'none';
}

/** The unit's collective, HR and admins read its whole annual roll-up (and download it). */
export async function requireAnnualReader(sql: Sql, caller: Caller, unitId: string): Promise<void> {
  if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
  if ((await annualView(sql, caller, unitId)) !== 'all')
    throw forbidden("Only the unit's collective, HR and admins read the whole annual roll-up.");
}

/** The whole roll-up as GET /v1/annual/{unitId}/{year} answers it to the unit's collective. */
export async function annualOf(sql: Sql, unitId: string, year: string) {
  const rules = await loadRules(sql);
  const people = await annualLines(sql, await settledMonthsOfYear(sql, unitId, year), year, rules);
  // An annual D may fire a leader's replacement trigger (two years running): HR sees the proposal.
  await scanReplacementTriggers(
    sql,
    await loadCaseRules(sql),
    rules,
    people.map((p) => p.personId),
  );
  const quota = annualQuotaCheck(
    people.map((p) => p.grade),
    rules,
  );
  return { unitId, year, people, quota };
}

/**
 * The roll-up as GET /v1/annual/{unitId}/{year} answers it to `caller`: the whole of it to the
 * unit's collective, HR and admins; a member's own line (no quota) to a member.
 */
export async function annualFor(sql: Sql, caller: Caller, unitId: string, year: string) {
  if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
  const view = await annualView(sql, caller, unitId);
  if (view === 'none')
    throw forbidden("Only the unit's members, its collective, HR and admins read the annual roll-up.");
  if (view === 'all') return await annualOf(sql, unitId, year);
  const people = await annualLines(sql, await settledMonthsOfYear(sql, unitId, year), year, await loadRules(sql));
  return { unitId, year, people: people.filter((p) => p.personId === caller.id), quota: undefined };
}

export function annualRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/annual/{unitId}/{year}',
        operationId: 'getAnnualResults',
        summary:
          "Per person: rated months, mean score, annual grade, caps and proposed emulation title; the unit's annual quota check. A member reads only their own line",
        request: { params: AnnualParams },
        responses: {
          200: { description: 'Roll-up', content: { 'application/json': { schema: AnyJson } } },
          400: err('Invalid input'),
          403: err('Not allowed'),
          404: err('Unknown unit'),
        },
      }),
      async (c) => {
        const { unitId, year } = c.req.valid('param');
        return c.json(await annualFor(sql, c.get('caller'), unitId, year), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/people/{id}/annual/{year}',
        operationId: 'getPersonAnnualResult',
        summary:
          "One person's annual line from every month settled for them, in whichever unit's collective settled it (a head's months are settled above)",
        request: { params: PersonAnnualParams },
        responses: {
          200: { description: "The person's roll-up", content: { 'application/json': { schema: AnyJson } } },
          400: err('Invalid input'),
          403: err('Not allowed'),
          404: err('Unknown person'),
        },
      }),
      async (c) => {
        const { id, year } = c.req.valid('param');
        const person = await findPerson(sql, id);
        if (!person) throw notFound(`There is no person ${id}.`);
        if (!(await mayReadPerson(sql, c.get('caller'), person)))
          throw forbidden("Only HR, the person, their reviewer and their unit's head read this record.");
        const rules = await loadRules(sql);
        const [line] = await annualLines(sql, await settledMonthsOfPerson(sql, id, year), year, rules);
        const none = annualRollup([], false, rules);
        return c.json(
          { year, ...(line ?? { personId: id, months: [], ...none, title: emulationTitle(none.grade) }) },
          200,
        );
      },
    );
}
