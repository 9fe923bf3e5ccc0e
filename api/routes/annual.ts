/** The annual roll-up of a unit from its locked and published months. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { annualQuotaCheck, annualRollup, type MonthResult } from '../../domain/annual';
import { settledMonthsOfYear } from '../../db/evaluations';
import { disciplinedBetween } from '../../db/people-records';
import { scanReplacementTriggers } from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
import { leadsUnit, unitExists } from '../../db/units';
import { isHr, type AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { err } from '../route-docs';
import { AnnualParams, AnyJson } from '../schemas';

export function annualRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/v1/annual/{unitId}/{year}',
      operationId: 'getAnnualResults',
      summary: "Per person: rated months, mean score, annual grade and caps; the unit's annual quota check",
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
      const caller = c.get('caller');
      if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
      if (!isHr(caller) && !(await leadsUnit(sql, unitId, caller.id)))
        throw forbidden("Only the unit's collective, HR and admins read the annual roll-up.");
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
      const people = [...byPerson].map(([personId, months]) => ({
        personId,
        months: months.map((m) => ({ period: m.period, total: m.total, grade: m.grade })),
        ...annualRollup(months, disciplined.has(personId), rules),
      }));
      // An annual D may fire a leader's replacement trigger (two years running): HR sees the proposal.
      await scanReplacementTriggers(
        sql,
        await loadCaseRules(sql),
        rules,
        people.map((p) => p.personId),
      );
      return c.json(
        {
          unitId,
          year,
          people,
          quota: annualQuotaCheck(
            people.map((p) => p.grade),
            rules,
          ),
        },
        200,
      );
    },
  );
}
