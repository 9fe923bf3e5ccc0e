/**
 * Downloads of what a unit files: a published month's results (XLSX, CSV, PDF), the annual
 * roll-up with its emulation titles (XLSX), and one person's evaluation sheet (PDF). Each has the
 * rights of the JSON it mirrors.
 */
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { findCycle, type CycleRow } from '../../db/cycles';
import { findEvaluation } from '../../db/evaluations';
import { peopleNames, personName, resultLines, unitName, type ResultLine } from '../../db/reports';
import type { Sql } from '../../db/sql';
import { PROFILES, type Criterion } from '../../domain/scoring';
import type { AppEnv, Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { conflict, forbidden, notFound } from '../errors';
import {
  csvResponse,
  CSV_TYPE,
  fileResponses,
  fileRoute,
  hanoiTime,
  monthLabel,
  pdfResponse,
  PDF_TYPE,
  xlsxResponse,
  XLSX_TYPE,
  type Column,
} from '../exports';
import { AnnualParams, CycleParams, EvaluationParams } from '../schemas';
import { annualOf, requireAnnualReader } from './annual';
import { readScope } from '../cycle-reads';
import { mayReadEvaluation } from '../evaluation-steps';

interface Decision {
  putBy: string;
  putAt: string;
  decisions: { personId: string; rationale?: string }[];
  approvals: string[];
}

/** A published month as a unit files it: its lines, the criteria they were scored on, the collective's decision. */
async function publishedList(sql: Sql, cycle: CycleRow) {
  if (cycle.phase !== 'published' && cycle.phase !== 'locked')
    throw conflict('The results are not published yet.', { phase: cycle.phase });
  const deliberation = cycle.deliberation as Decision | null;
  const rationale = new Map((deliberation?.decisions ?? []).map((d) => [d.personId, d.rationale ?? '']));
  const names = await peopleNames(sql, [...(deliberation?.approvals ?? []), ...(cycle.headId ? [cycle.headId] : [])]);
  const criteria: Criterion[] = PROFILES[cycle.profileId]?.criteria ?? [];
  const columns: Column<ResultLine>[] = [
    { header: 'Mã', value: (l) => l.personId },
    { header: 'Họ và tên', width: 28, value: (l) => l.fullName },
    ...criteria.map((k) => ({ header: k.label, width: 18, value: (l: ResultLine) => l.reviewScores?.[k.key] ?? null })),
    { header: 'Tổng điểm', value: (l) => l.total },
    { header: 'Xếp loại đề xuất', value: (l) => l.proposedGrade },
    { header: 'Xếp loại', value: (l) => l.finalGrade },
    { header: 'Lý do thay đổi', width: 36, value: (l) => rationale.get(l.personId) || null },
  ];
  const approvals = (deliberation?.approvals ?? []).map((id) => names.get(id) ?? id).join(', ');
  const decidedBy = deliberation ? (names.get(deliberation.putBy) ?? deliberation.putBy) : '';
  return {
    name: (await unitName(sql, cycle.unitId)) ?? cycle.unitId,
    lines: await resultLines(sql, cycle.unitId, cycle.period),
    columns,
    decision: [
      `Tập thể lãnh đạo quyết định: ${decidedBy}, ${deliberation ? hanoiTime(deliberation.putAt) : ''}`,
      `Tán thành: ${approvals}`,
      `Công bố: ${hanoiTime(cycle.publishedAt)}`,
    ],
  };
}

const resultsRoute = (ext: string, type: string) =>
  createRoute({
    method: 'get',
    path: `/v1/cycles/{unitId}/{period}/results.${ext}`,
    operationId: `downloadResults${ext[0].toUpperCase()}${ext.slice(1)}`,
    summary: `The published results as ${ext.toUpperCase()}, as the unit files them (readers of the results)`,
    request: { params: CycleParams },
    responses: fileResponses(type, 'The results'),
  });

/** A published month's results as the unit files them, in one of the three formats, for a reader of the results. */
export async function resultsFile(
  sql: Sql,
  caller: Caller,
  unitId: string,
  period: string,
  ext: 'xlsx' | 'csv' | 'pdf',
) {
  const cycle = await findCycle(sql, unitId, period);
  if (!cycle) throw notFound(`There is no cycle for ${unitId} in ${period}.`);
  await readScope(sql, caller, cycle);
  const list = await publishedList(sql, cycle);
  const file = `ket-qua-${unitId}-${period}.${ext}`;
  if (ext === 'xlsx')
    return xlsxResponse(file, {
      name: period,
      title: [`Kết quả đánh giá, xếp loại ${monthLabel(period)}`, list.name, ...list.decision],
      columns: list.columns,
      rows: list.lines,
    });
  if (ext === 'csv') {
    const columns: Column<ResultLine>[] = [
      { header: 'Đơn vị', value: () => list.name },
      { header: 'Tháng', value: () => period },
      ...list.columns,
    ];
    return csvResponse(file, columns, list.lines);
  }
  return pdfResponse(file, (doc, f) => {
    doc
      .font(f.bold)
      .fontSize(14)
      .text(`Kết quả đánh giá, xếp loại ${monthLabel(period)}`);
    doc.font(f.regular).fontSize(11).text(list.name).moveDown(0.5);
    list.lines.forEach((l, i) => {
      const cells = list.columns.slice(2).map((col) => `${col.header}: ${col.value(l) ?? '—'}`);
      doc.font(f.bold).text(`${i + 1}. ${l.fullName ?? l.personId}`);
      doc.font(f.regular).fontSize(9).text(cells.join('; ')).fontSize(11).moveDown(0.3);
    });
    doc.moveDown();
    for (const line of list.decision) doc.text(line);
  });
}

/** The annual roll-up with its emulation titles as XLSX, for a reader of the whole roll-up. */
export async function annualFile(sql: Sql, caller: Caller, unitId: string, year: string) {
  await requireAnnualReader(sql, caller, unitId);
  const annual = await annualOf(sql, unitId, year);
  const names = await peopleNames(
    sql,
    annual.people.map((p) => p.personId),
  );
  type Person = (typeof annual.people)[number];
  const q = annual.quota;
  return xlsxResponse(`nam-${unitId}-${year}.xlsx`, {
    name: year,
    title: [
      `Tổng hợp đánh giá, xếp loại năm ${year}`,
      (await unitName(sql, unitId)) ?? unitId,
      `A: ${q.aCount}, B: ${q.bCount}, A được phép: ${q.allowedA}${q.breached ? ' (vượt tỷ lệ)' : ''}`,
    ],
    columns: [
      { header: 'Mã', value: (p: Person) => p.personId },
      { header: 'Họ và tên', width: 28, value: (p: Person) => names.get(p.personId) ?? null },
      { header: 'Số tháng được xếp loại', value: (p: Person) => p.ratedMonths },
      { header: 'Điểm bình quân', value: (p: Person) => p.mean },
      { header: 'Xếp loại năm', value: (p: Person) => p.grade },
      { header: 'Đề nghị danh hiệu', width: 32, value: (p: Person) => p.title },
      { header: 'Ghi chú', value: (p: Person) => p.caps.join(', ') || null },
    ],
    rows: annual.people,
  });
}

export function exportRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const app = new OpenAPIHono<AppEnv>();

  for (const ext of ['xlsx', 'csv', 'pdf'] as const)
    app.openapi(resultsRoute(ext, { xlsx: XLSX_TYPE, csv: CSV_TYPE, pdf: PDF_TYPE }[ext]), async (c) => {
      const { unitId, period } = c.req.valid('param');
      return resultsFile(sql, c.get('caller'), unitId, period, ext);
    });

  fileRoute(
    app,
    createRoute({
      method: 'get',
      path: '/v1/annual/{unitId}/{year}.xlsx',
      operationId: 'downloadAnnualXlsx',
      summary: 'The annual roll-up with proposed emulation titles as XLSX (readers of the roll-up)',
      request: { params: AnnualParams },
      responses: fileResponses(XLSX_TYPE, 'The roll-up'),
    }),
    '/v1/annual/:unitId/:file{[^/]+\\.xlsx}',
    (m) => ({ unitId: m.unitId, year: m.file.slice(0, -'.xlsx'.length) }),
    async (c, { unitId, year }) => annualFile(sql, c.get('caller'), unitId, year),
  );

  fileRoute(
    app,
    createRoute({
      method: 'get',
      path: '/v1/evaluations/{period}/{personId}.pdf',
      operationId: 'downloadEvaluationPdf',
      summary: "One person's evaluation sheet as PDF, for their file (readers of the evaluation)",
      request: { params: EvaluationParams },
      responses: fileResponses(PDF_TYPE, 'The sheet'),
    }),
    '/v1/evaluations/:period/:file{[^/]+\\.pdf}',
    (m) => ({ period: m.period, personId: m.file.slice(0, -'.pdf'.length) }),
    async (c, { period, personId }) => {
      const e = await findEvaluation(sql, period, personId);
      if (!e) throw notFound(`There is no evaluation of ${personId} for ${period}.`);
      if (!(await mayReadEvaluation(sql, c.get('caller'), e))) throw forbidden('You may not read this evaluation.');
      const cycle = await findCycle(sql, e.unitId, period);
      const criteria = cycle ? (PROFILES[cycle.profileId]?.criteria ?? []) : [];
      const [name, unit, reviewer] = await Promise.all([
        personName(sql, personId),
        unitName(sql, e.unitId),
        e.reviewerId ? personName(sql, e.reviewerId) : undefined,
      ]);
      return pdfResponse(`danh-gia-${personId}-${period}.pdf`, (doc, f) => {
        doc
          .font(f.bold)
          .fontSize(14)
          .text(`Phiếu đánh giá, xếp loại ${monthLabel(period)}`)
          .moveDown(0.5);
        doc.font(f.regular).fontSize(11);
        doc.text(`Họ và tên: ${name ?? personId}`).text(`Đơn vị: ${unit ?? e.unitId}`);
        doc.text(`Người nhận xét: ${reviewer ?? e.reviewerId ?? '—'}`).moveDown(0.5);
        doc.font(f.bold).text('Kế hoạch công tác').font(f.regular);
        for (const t of e.plan ?? []) doc.text(`• ${t.title}${t.target ? ` (${t.target})` : ''}`);
        doc.moveDown(0.5).font(f.bold).text('Điểm (tự đánh giá / nhận xét)').font(f.regular);
        for (const k of criteria)
          doc.text(`${k.label}: ${e.selfScores?.[k.key] ?? '—'} / ${e.reviewScores?.[k.key] ?? '—'}`);
        doc.moveDown(0.5).text(`Tổng điểm: ${e.total ?? '—'}`);
        doc.text(`Xếp loại đề xuất: ${e.proposedGrade ?? '—'}; xếp loại: ${e.finalGrade ?? '—'}`);
        if (e.selfComment) doc.text(`Tự nhận xét: ${e.selfComment}`);
        if (e.reviewComment) doc.text(`Nhận xét: ${e.reviewComment}`);
        if (e.missed.length > 0) doc.text(`Bước quá hạn: ${e.missed.join(', ')}`);
      });
    },
  );
  return app;
}
