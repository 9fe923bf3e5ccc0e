/** The holidays an admin is asked to confirm for a year: the lunar ones and the substitute days. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { suggestedHolidays } from '../../domain/holidays';
import { listHolidays } from '../../db/settings';
import { isAdmin, type AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden } from '../errors';
import { err } from '../route-docs';
import { YearQuery } from '../schemas';

const Suggestion = z.object({
  date: z.string(),
  name: z.string(),
  kind: z.enum(['holiday', 'substitute']),
  confirmed: z.boolean(),
});
const Suggestions = z.object({ year: z.number().int(), holidays: z.array(Suggestion) });

export function holidayRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>().openapi(
    createRoute({
      method: 'get',
      path: '/v1/holidays/suggested',
      operationId: 'suggestHolidays',
      summary:
        "A year's Tết, Giỗ Tổ Hùng Vương, second Quốc khánh day and weekend substitutes, computed from the Vietnamese lunar calendar, for an admin to confirm with PUT /v1/holidays",
      request: { query: YearQuery },
      responses: {
        200: { description: 'Suggested holidays', content: { 'application/json': { schema: Suggestions } } },
        400: err('Invalid input'),
        403: err('Not allowed'),
      },
    }),
    async (c) => {
      if (!isAdmin(c.get('caller'))) throw forbidden('Only an admin manages holidays.');
      const year = Number(c.req.valid('query').year);
      const stored = new Set((await listHolidays(sql)).map((h) => h.date));
      const holidays = suggestedHolidays(year).map((h) => ({ ...h, confirmed: stored.has(h.date) }));
      return c.json({ year, holidays }, 200);
    },
  );
}
