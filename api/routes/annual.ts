/** The annual roll-up of a unit from its locked and published months. */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { annualQuotaCheck, annualRollup, type MonthResult } from '../../domain/annual';
import type { Grade } from '../../domain/types';
import { scanReplacementTriggers } from '../../db/proposals';
import { loadCaseRules, loadRules } from '../../db/settings';
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
      summary: 'Per person: rated months, mean score, annual grade and caps; the unit\'s annual quota check',
      request: { params: AnnualParams },
      responses: { 200: { description: 'Roll-up', content: { 'application/json': { schema: AnyJson } } }, 400: err('Invalid input'), 403: err('Not allowed'), 404: err('Unknown unit') },
    }),
    async (c) => {
      const { unitId, year } = c.req.valid('param');
      const caller = c.get('caller');
      const [unit] = await sql<{ id: string }[]>`select id from units where id = ${unitId}`;
      if (!unit) throw notFound(`There is no unit ${unitId}.`);
      const collective = await sql`select 1 from people where unit_id = ${unitId} and id = ${caller.id} and role in ('head', 'deputy')`;
      if (!isHr(caller) && collective.length === 0) throw forbidden('Only the unit\'s collective, HR and admins read the annual roll-up.');
      const rows = await sql<{ personId: string; period: string; total: number | null; finalGrade: Grade | null; caps: { rule: string }[] }[]>`
        select e.person_id, e.period, e.total, e.final_grade, e.caps from evaluations e
        join cycles cy on cy.unit_id = e.unit_id and cy.period = e.period and cy.phase in ('published', 'locked')
        where e.period like ${`${year}-%`}
          -- Months travel with the person: those whose latest month of the year was settled here.
          and e.person_id in (
            select person_id from (
              select distinct on (person_id) person_id, unit_id from evaluations
              where period like ${`${year}-%`} order by person_id, period desc
            ) latest where latest.unit_id = ${unitId})
        order by e.person_id, e.period`;
      const discipline = await sql<{ personId: string }[]>`
        select distinct person_id from discipline where date between ${`${year}-01-01`} and ${`${year}-12-31`}`;
      const disciplined = new Set(discipline.map((d) => d.personId));
      const byPerson = new Map<string, MonthResult[]>();
      for (const r of rows) {
        const notRated = r.caps.some((cap) => cap.rule === 'absence') || r.finalGrade === null;
        const months = byPerson.get(r.personId) ?? [];
        months.push({ period: r.period, total: notRated ? null : r.total, grade: notRated ? null : r.finalGrade, disciplined: r.caps.some((cap) => cap.rule === 'discipline') });
        byPerson.set(r.personId, months);
      }
      const rules = await loadRules(sql);
      const people = [...byPerson].map(([personId, months]) => ({ personId, months: months.map((m) => ({ period: m.period, total: m.total, grade: m.grade })), ...annualRollup(months, disciplined.has(personId), rules) }));
      // An annual D may fire a leader's replacement trigger (two years running): HR sees the proposal.
      await scanReplacementTriggers(sql, await loadCaseRules(sql), rules, people.map((p) => p.personId));
      return c.json({ unitId, year, people, quota: annualQuotaCheck(people.map((p) => p.grade), rules) }, 200);
    },
  );
}
