/** The annual roll-up of a unit from its locked and published months, with each person's proposed emulation title. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { annualQuotaCheck, annualRollup, type MonthResult } from '../../domain/annual';
import { emulationTitle } from '../../domain/reports';
import { settledMonthsOfYear } from '../../db/evaluations';
import { disciplinedBetween } from '../../db/people-records';
import { scanReplacementTriggers } from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
import type { Sql } from '../../db/sql';
import { leadsUnit, unitExists } from '../../db/units';
import { isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { err } from '../route-docs';
import { AnnualParams, AnyJson } from '../schemas';

/** The unit's collective, HR and admins read its annual roll-up. */
export async function requireAnnualReader(sql: Sql, caller: Caller, unitId: string): Promise<void> {
  if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
  if (!isHr(caller) && !(await leadsUnit(sql, unitId, caller.id)))
    throw forbidden("Only the unit's collective, HR and admins read the annual roll-up.");
}

/** The roll-up as GET /v1/annual/{unitId}/{year} answers it. */
export async function annualOf(sql: Sql, unitId: string, year: string) {
  const rows = await settledMonthsOfYear(sql, unitId, year);
  const disciplined = await disciplinedBetween(sql, `${year}-01-01`, `${year}-12-31`);
  const byPerson = new Map<string, MonthResult[]>();
  for (const r of rows) {
    const notRated = r.caps.some((cap) => cap.rule === 'absence') || r.finalGrade === null;
    const months = byPerson.get(r.personId) ?? [];
    months.push({
      period: r.period,
      total: notRated ? null : r.total,
      grade: notRated ? null : r.finalGrade,
      disciplined: r.caps.some((cap) => cap.rule === 'discipline'),
    });
    byPerson.set(r.personId, months);
  }
  const rules = await loadRules(sql);
  const people = [...byPerson].map(([personId, months]) => {
    const rollup = annualRollup(months, disciplined.has(personId), rules);
    return {
      personId,
      months: months.map((m) => ({ period: m.period, total: m.total, grade: m.grade })),
      ...rollup,
      title: emulationTitle(rollup.grade),
    };
  });
  // An annual D may fire a leader's replacement trigger (two years running): HR sees the proposal.
  await scanReplacementTriggers(
    sql,
    await loadCaseRules(sql),
    rules,
    people.map((p) => p.personId),
  );
  return {
    unitId,
    year,
    people,
    quota: annualQuotaCheck(
      people.map((p) => p.grade),
      rules,
    ),
  };
}

export function annualRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual/{unitId}/{year}',
      summary:
        "Per person: rated months, mean score, annual grade, caps and proposed emulation title; the unit's annual quota check",
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
      await requireAnnualReader(sql, c.get('caller'), unitId);
      return c.json(await annualOf(sql, unitId, year), 200);
    },
  );
}
