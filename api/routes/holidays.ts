/** The holidays an admin is asked to confirm for a year: the lunar ones and the substitute days. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { suggestedHolidaysFor } from '../admin-commands';
import type { AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
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
      const year = Number(c.req.valid('query').year);
      return c.json({ year, holidays: await suggestedHolidaysFor(sql, c.get('caller'), year) }, 200);
    },
  );
}
