/** Oversight of a subtree: a month's report per unit, its trend over months, and the report as XLSX. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { leadsUnitOrAbove, subtreeMonth, subtreeTrend } from '../../db/reports';
import type { Sql } from '../../db/sql';
import { unitExists } from '../../db/units';
import {
  deliberationWasLate,
  monthsBetween,
  reportLine,
  sumLines,
  unrated,
  type CycleFacts,
} from '../../domain/reports';
import { isAdmin, isHr, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { fileResponses, fileRoute, monthLabel, xlsxResponse, XLSX_TYPE, type Column } from '../exports';
import { badRequest, forbidden, notFound } from '../errors';
import { iso } from '../read-model';
import { err, ok } from '../route-docs';
import { CycleParams, Period } from '../schemas';

/** The longest trend one request reads. */
const TREND_MONTHS = 36;

const TrendQuery = z.object({ from: Period, to: Period });

const OVERSEERS_ONLY = "Only the unit's head and deputies, those of the units above it, HR and admins read its report.";

/** Whether the caller oversees the unit: its head and deputies, those of any unit above it, HR and admins. */
const oversees = async (sql: Sql, caller: Caller, unitId: string): Promise<boolean> =>
  isHr(caller) || isAdmin(caller) || (await leadsUnitOrAbove(sql, unitId, caller.id));

export async function requireOverseer(sql: Sql, caller: Caller, unitId: string): Promise<void> {
  if (!(await unitExists(sql, unitId))) throw notFound(`There is no unit ${unitId}.`);
  if (!(await oversees(sql, caller, unitId))) throw forbidden(OVERSEERS_ONLY);
}

const factsOf = (u: {
  phase: string | null;
  outstanding: boolean;
  deliberationDue: string | null;
  publishedAt: Date | null;
}): CycleFacts => ({
  phase: u.phase,
  outstanding: u.outstanding,
  deliberationDue: u.deliberationDue === null ? null : Date.parse(u.deliberationDue),
  publishedAt: u.publishedAt === null ? null : new Date(u.publishedAt).getTime(),
});

/**
 * The subtree report of `period` as GET /v1/reports/{unitId}/{period} answers it, for a caller who
 * oversees the unit. The rights, the counts and the rules come in one statement, and nothing is
 * answered before the rights are known.
 */
export async function subtreeReport(sql: Sql, caller: Caller, unitId: string, period: string, now = Date.now()) {
  const { units, readerLeads, rules } = await subtreeMonth(sql, unitId, period, caller.id);
  if (units.length === 0) throw notFound(`There is no unit ${unitId}.`);
  if (!isHr(caller) && !isAdmin(caller) && !readerLeads) throw forbidden(OVERSEERS_ONLY);
  const lines = units.map((u) => ({
    unitId: u.unitId,
    name: u.name,
    parentId: u.parentId,
    phase: u.phase,
    ...reportLine(u.counts, factsOf(u), now, rules),
    targets: { completion: u.targetCompletion },
    publishedAt: iso(u.publishedAt),
  }));
  return { unitId, period, units: lines, totals: sumLines(lines) };
}

export async function trend(sql: Sql, unitId: string, from: string, to: string, now = Date.now()) {
  let periods: string[];
  try {
    periods = monthsBetween(from, to, TREND_MONTHS);
  } catch (e) {
    throw badRequest(`Invalid input: ${(e as Error).message}.`, [{ field: 'to', rule: 'month-range' }]);
  }
  const byPeriod = new Map((await subtreeTrend(sql, unitId, from, to)).map((m) => [m.period, m]));
  return {
    unitId,
    from,
    to,
    months: periods.map((period) => {
      const m = byPeriod.get(period);
      const counts = m?.counts;
      return {
        period,
        members: counts?.members ?? 0,
        grades: counts ? { ...counts.grades, unrated: unrated(counts) } : { A: 0, B: 0, C: 0, D: 0, unrated: 0 },
        late: {
          plan: counts?.missed.plan ?? 0,
          selfAssessment: counts?.missed.selfAssessment ?? 0,
          review: counts?.missed.review ?? 0,
          deliberation: (m?.cycles ?? []).filter((c) => deliberationWasLate(factsOf({ ...c, outstanding: false }), now))
            .length,
        },
        escalations: counts?.escalations ?? 0,
        complaints: m?.complaints ?? 0,
      };
    }),
  };
}

type UnitLine = Awaited<ReturnType<typeof subtreeReport>>['units'][number];
/** A unit's row, or the totals' row, whose `outstanding` counts the units flagged. */
type Line = Omit<UnitLine, 'quota'> & { quota: { allowed: number; used: number; outstanding: boolean | number } };

const REPORT_COLUMNS: Column<Line>[] = [
  { header: 'Mã đơn vị', value: (l) => l.unitId },
  { header: 'Tên đơn vị', width: 36, value: (l) => l.name },
  { header: 'Đơn vị cấp trên', value: (l) => l.parentId },
  { header: 'Giai đoạn', value: (l) => l.phase },
  { header: 'Số người', value: (l) => l.members },
  { header: 'Đã lập kế hoạch', value: (l) => l.done.plan },
  { header: 'Đã tự đánh giá', value: (l) => l.done.selfAssessment },
  { header: 'Đã nhận xét', value: (l) => l.done.review },
  { header: 'Quá hạn kế hoạch', value: (l) => l.overdue.plan },
  { header: 'Quá hạn tự đánh giá', value: (l) => l.overdue.selfAssessment },
  { header: 'Quá hạn nhận xét', value: (l) => l.overdue.review },
  { header: 'Quá hạn họp xét', value: (l) => l.overdue.deliberation },
  { header: 'Kiến nghị đang mở', value: (l) => l.escalationsOpen },
  { header: 'A', value: (l) => l.grades.A },
  { header: 'B', value: (l) => l.grades.B },
  { header: 'C', value: (l) => l.grades.C },
  { header: 'D', value: (l) => l.grades.D },
  { header: 'Chưa xếp loại', value: (l) => l.grades.unrated },
  { header: 'Tỷ lệ A cho phép', value: (l) => l.quota.allowed },
  { header: 'A đã dùng', value: (l) => l.quota.used },
  { header: 'Đơn vị xuất sắc', value: (l) => Number(l.quota.outstanding) },
  {
    header: 'Hoàn thành chỉ tiêu (%)',
    value: (l) => (l.targets.completion === null ? null : l.targets.completion * 100),
  },
  { header: 'Công bố lúc', width: 28, value: (l) => l.publishedAt },
];

/** The subtree report as XLSX, one row per unit and the totals, for a caller who oversees the unit. */
export async function reportFile(sql: Sql, caller: Caller, unitId: string, period: string) {
  const report = await subtreeReport(sql, caller, unitId, period);
  const root = report.units[0];
  return xlsxResponse(`bao-cao-${unitId}-${period}.xlsx`, {
    name: period,
    title: [`Báo cáo đánh giá ${monthLabel(period)}: ${root.name} và các đơn vị trực thuộc`],
    columns: REPORT_COLUMNS,
    rows: [
      ...report.units,
      {
        ...report.totals,
        unitId: 'Tổng',
        name: '',
        parentId: null,
        phase: null,
        targets: { completion: null },
        publishedAt: null,
      },
    ],
  });
}

export function reportRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const app = new OpenAPIHono<AppEnv>();
  // Registered before the month's report so that neither `trend` nor `2027-02.xlsx` is read as a period.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/{unitId}/trend',
      operationId: 'getReportTrend',
      summary: 'Month by month for a subtree: grades, late steps, escalations and complaints',
      request: { params: z.object({ unitId: CycleParams.shape.unitId }), query: TrendQuery },
      responses: { 200: ok('The trend'), 400: err('Invalid input'), 403: err('Not allowed'), 404: err('Unknown unit') },
    }),
    async (c) => {
      const { unitId } = c.req.valid('param');
      const { from, to } = c.req.valid('query');
      await requireOverseer(sql, c.get('caller'), unitId);
      return c.json(await trend(sql, unitId, from, to), 200);
    },
  );
  fileRoute(
    app,
    createRoute({
      method: 'get',
      path: '/v1/reports/{unitId}/{period}.xlsx',
      operationId: 'downloadReportXlsx',
      summary: 'The subtree report as XLSX, one row per unit',
      request: { params: CycleParams },
      responses: fileResponses(XLSX_TYPE, 'The report'),
    }),
    '/v1/reports/:unitId/:file{[^/]+\\.xlsx}',
    (m) => ({ unitId: m.unitId, period: m.file.slice(0, -'.xlsx'.length) }),
    async (c, { unitId, period }) => reportFile(sql, c.get('caller'), unitId, period),
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/reports/{unitId}/{period}',
      operationId: 'getReport',
      summary: 'A month of the unit and every unit below it: completion, lateness, escalations, grades, quota',
      request: { params: CycleParams },
      responses: {
        200: ok('The report'),
        400: err('Invalid input'),
        403: err('Not allowed'),
        404: err('Unknown unit'),
      },
    }),
    async (c) => {
      const { unitId, period } = c.req.valid('param');
      return c.json(await subtreeReport(sql, c.get('caller'), unitId, period), 200);
    },
  );
  return app;
}
