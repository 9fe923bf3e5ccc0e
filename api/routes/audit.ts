/** The audit trail for HR and admins: one page at a time, or the whole selection as CSV or XLSX. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify/sync';
import { stream } from 'hono/streaming';
import { listAudit, type AuditFilter, type AuditRow } from '../../db/audit';
import { MAX_PAGE_SIZE } from '../../db/pagination';
import { DateSchema, EngineIdSchema } from '../../domain/schemas';
import type { AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
import { badRequest } from '../errors';
import { xlsxResponse, XLSX_TYPE, type Column } from '../exports';
import { pagedOk, pageQuery, pageRequest } from '../pagination';
import { iso } from '../read-model';
import { err } from '../route-docs';
import type { Sql } from '../../db/sql';

const FILTER_FIELDS = {
  personId: EngineIdSchema.optional().openapi({
    description: 'Rows about the person (their record, evaluations and cases) or acted by them.',
  }),
  unitId: EngineIdSchema.optional().openapi({
    description: "Rows about the unit's cycles, its evaluations and the people now in it.",
  }),
  from: DateSchema.optional().openapi({ description: 'First day (YYYY-MM-DD, Hanoi time), inclusive.' }),
  to: DateSchema.optional().openapi({ description: 'Last day (YYYY-MM-DD, Hanoi time), inclusive.' }),
};
const AuditQuery = z.object({ ...FILTER_FIELDS, ...pageQuery('audit') });
const ExportQuery = z.object(FILTER_FIELDS);

const errors = { 400: err('Invalid input'), 403: err('Not HR or an admin') };

/** The filter a validated query asks for; a range that ends before it starts is a 400. */
function filterOf(query: z.infer<typeof ExportQuery>): AuditFilter {
  if (query.from && query.to && query.to < query.from) {
    throw badRequest('"to" is before "from".', [
      { field: 'to', rule: 'after-from', message: `${query.to} is before ${query.from}` },
    ]);
  }
  const { personId, unitId, from, to } = query;
  return { personId, unitId, from, to };
}

const view = (r: AuditRow) => ({ ...r, at: iso(r.at) });

const CSV_COLUMNS = ['id', 'at', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash'];

/** The selection a page of the trail at a time, so a large export never sits in memory. */
async function* pagesOf(sql: Sql, filter: AuditFilter): AsyncGenerator<AuditRow[]> {
  let cursor: string | undefined;
  do {
    const page = await listAudit(sql, filter, { limit: MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    yield page.items;
    cursor = page.next ?? undefined;
  } while (cursor);
}

/** The selection as CSV, a page at a time. */
async function* csvOf(sql: Sql, filter: AuditFilter): AsyncGenerator<string> {
  let header = true;
  for await (const rows of pagesOf(sql, filter)) {
    const records = rows.map((r) => ({ ...view(r), payload: JSON.stringify(r.payload) }));
    yield stringify(records, { header, columns: CSV_COLUMNS });
    header = false;
  }
}

/** The selection row by row, as the XLSX export writes it. */
async function* rowsOf(sql: Sql, filter: AuditFilter): AsyncGenerator<AuditRow> {
  for await (const rows of pagesOf(sql, filter)) yield* rows;
}

const XLSX_COLUMNS: Column<AuditRow>[] = [
  { header: 'id', width: 8, value: (r) => Number(r.id) },
  { header: 'at', width: 26, value: (r) => iso(r.at) },
  { header: 'actor', value: (r) => r.actor },
  { header: 'action', width: 24, value: (r) => r.action },
  { header: 'subject', width: 36, value: (r) => r.subject },
  { header: 'payload', width: 60, value: (r) => JSON.stringify(r.payload) },
  { header: 'prevHash', width: 20, value: (r) => r.prevHash },
  { header: 'hash', width: 20, value: (r) => r.hash },
];

export function auditRoutes(deps: ApiDeps) {
  const { sql } = deps;
  // Who may read is the role guard's (api/guards.ts): HR or an admin.
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/audit',
        operationId: 'listAudit',
        summary: 'The audit trail (HR, admin), oldest first, with each row’s place in the hash chain',
        request: { query: AuditQuery },
        responses: { 200: pagedOk('Audit rows', 'audit'), ...errors },
      }),
      async (c) => {
        const query = c.req.valid('query');
        const { items, next } = await listAudit(sql, filterOf(query), pageRequest(query));
        return c.json({ audit: items.map(view), next }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/audit/export',
        operationId: 'exportAuditCsv',
        summary: 'The audit rows the filters select, all of them, as CSV (HR, admin)',
        request: { query: ExportQuery },
        responses: {
          200: {
            description: `CSV with a header row: ${CSV_COLUMNS.join(', ')}; the payload as JSON`,
            content: { 'text/csv': { schema: z.string() } },
          },
          ...errors,
        },
      }),
      async (c) => {
        const filter = filterOf(c.req.valid('query'));
        const chunks = csvOf(sql, filter);
        // The first page is read before the answer starts, so a failure there is still an error status.
        const first = await chunks.next();
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', 'attachment; filename="audit.csv"');
        // A streamed answer is a plain Response, which the route's typed answers do not describe.
        return stream(c, async (out) => {
          if (!first.done) await out.write(first.value);
          for await (const chunk of chunks) await out.write(chunk);
        }) as never;
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/audit/export.xlsx',
        operationId: 'exportAuditXlsx',
        summary: 'The audit rows the filters select, all of them, as an XLSX sheet (HR, admin)',
        request: { query: ExportQuery },
        responses: {
          200: {
            description: `One sheet with a header row: ${CSV_COLUMNS.join(', ')}; the payload as JSON`,
            content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
          },
          ...errors,
        },
      }),
      async (c) => {
        const filter = filterOf(c.req.valid('query'));
        const rows = rowsOf(sql, filter);
        return xlsxResponse('audit.xlsx', { name: 'audit', title: [], columns: XLSX_COLUMNS, rows }) as never;
      },
    );
}
