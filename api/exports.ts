/**
 * Downloads: tables written as streamed XLSX (exceljs's streaming writer, so a large unit never
 * sits whole in memory), CSV with a byte-order mark (Excel reads it as UTF-8 and shows Vietnamese)
 * and PDF (pdfkit with Be Vietnam Pro embedded, so every Vietnamese letter is drawn and its text
 * extracts with its diacritics). File routes are declared in the OpenAPI document with their
 * `.xlsx`/`.pdf` paths and served by a pattern Hono can route.
 */
import type { OpenAPIHono, RouteConfig } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import { createRequire } from 'node:module';
import { PassThrough, Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { AppEnv } from './auth';
import { HttpError, zodDetails } from './errors';
import { err } from './route-docs';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_TYPE = 'text/csv; charset=utf-8';
export const PDF_TYPE = 'application/pdf';

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf');

export interface Column<T> {
  header: string;
  width?: number;
  value: (row: T) => string | number | null;
}

/** The OpenAPI answers of a download: the file, or the usual errors. */
export function fileResponses(type: string, description: string) {
  return {
    200: { description, content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } } },
    400: err('Invalid input'),
    403: err('Not allowed'),
    404: err('Not found'),
    409: err('Wrong phase'),
  };
}

const fileResponse = (body: Readable, type: string, filename: string): Response =>
  new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      'content-type': type,
      // The ASCII name for old clients, the UTF-8 one for the rest.
      'content-disposition': `attachment; filename="${filename.replace(/[^\w.-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    },
  });

/** Title lines above the table, then the table, in one sheet written row by row. */
export function xlsxResponse<T>(
  filename: string,
  sheet: { name: string; title: string[]; columns: Column<T>[]; rows: Iterable<T> | AsyncIterable<T> },
): Response {
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = book.addWorksheet(sheet.name.slice(0, 31));
  ws.columns = sheet.columns.map((c) => ({ width: c.width ?? 14 }));
  void (async () => {
    for (const line of sheet.title) ws.addRow([line]).commit();
    if (sheet.title.length > 0) ws.addRow([]).commit();
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    let n = 0;
    for await (const r of sheet.rows) {
      ws.addRow(sheet.columns.map((c) => c.value(r))).commit();
      // Lets the response drain between batches instead of buffering the whole sheet first.
      if (++n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    ws.commit();
    await book.commit();
  })().catch((e: unknown) => out.destroy(e as Error));
  return fileResponse(out, XLSX_TYPE, filename);
}

/**
 * A CSV cell: text that a spreadsheet would read as a formula (starting with =, +, -, @, a tab or a
 * carriage return) is prefixed with an apostrophe, so a name or a rationale can never run as one.
 */
export function csvCell(value: string | number | null): string | number {
  if (value === null) return '';
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A CSV with a byte-order mark and a header line. */
export function csvResponse<T>(filename: string, columns: Column<T>[], rows: Iterable<T>): Response {
  const out = stringify({ bom: true, header: true, columns: columns.map((c) => c.header) });
  void (async () => {
    for (const r of rows) {
      if (!out.write(columns.map((c) => csvCell(c.value(r)))))
        await new Promise((resolve) => out.once('drain', resolve));
    }
    out.end();
  })();
  return fileResponse(out, CSV_TYPE, filename);
}

/** A PDF drawn by `draw` in Be Vietnam Pro; `bold` switches the weight. */
export function pdfResponse(
  filename: string,
  draw: (doc: PDFKit.PDFDocument, fonts: { regular: string; bold: string }) => void,
): Response {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: filename } });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('regular');
  draw(doc, { regular: 'regular', bold: 'bold' });
  doc.end();
  return fileResponse(doc as unknown as Readable, PDF_TYPE, filename);
}

/**
 * Declares a download in the OpenAPI document under `route.path` and serves it at `honoPath`, a
 * pattern whose last parameter carries the extension (Hono cannot route `{period}.xlsx`).
 * `toParams` turns the matched parameters back into the documented ones for the schema.
 */
export function fileRoute<S extends z.ZodType>(
  app: OpenAPIHono<AppEnv>,
  route: RouteConfig & { request: { params: S } },
  honoPath: string,
  toParams: (matched: Record<string, string>) => Record<string, string>,
  handler: (c: Context<AppEnv>, params: z.infer<S>) => Promise<Response>,
): void {
  app.openAPIRegistry.registerPath(route);
  app.get(honoPath, async (c) => {
    const parsed = route.request.params.safeParse(toParams(c.req.param() as Record<string, string>));
    if (!parsed.success) {
      const details = zodDetails(parsed.error);
      throw new HttpError(
        400,
        `Invalid input: ${details.map((d) => `${d.field} (${d.message})`).join('; ')}.`,
        details,
      );
    }
    return handler(c, parsed.data);
  });
}

/** 'YYYY-MM' as the month a unit files: 'tháng MM/YYYY'. */
export const monthLabel = (period: string): string => `tháng ${period.slice(5, 7)}/${period.slice(0, 4)}`;

/** An instant as a date and time in Hanoi (UTC+7), for a filed document. */
export function hanoiTime(d: Date | string | null): string {
  if (d === null) return '';
  const t = new Date(new Date(d).getTime() + 7 * 3_600_000).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}
