/**
 * Reads an HR directory file (CSV or XLSX, columns in docs/web.md) into the body `PUT /v1/org`
 * takes, checking each row with the API's own schema and naming the row, column and rule of every
 * problem. The file is read whole: the page bounds its size before it gets here.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { Directory } from '../api/schemas';

export const COLUMNS = ['kind', 'id', 'name', 'parentId', 'active', 'unitId', 'role', 'email', 'reviewerId'] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED: Column[] = ['kind', 'id', 'name'];
/** The largest file the page reads. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ROWS = 20_000;

export interface RowError {
  /** The row as a spreadsheet numbers it (the header is row 1); 0 for the file as a whole. */
  row: number;
  column: string | null;
  rule: string;
  /** The value or limit the rule concerns, when it helps to show it. */
  detail?: string;
}

export interface DirectoryFile {
  directory: z.infer<typeof Directory>;
  /** `units:id` / `people:id` → the row it came from. */
  rows: Record<string, number>;
  errors: RowError[];
}

const UnitRow = Directory.shape.units.element;
const PersonRow = Directory.shape.people.element;
const YES = new Set(['yes', 'true', '1', 'có', 'co', 'x']);
const NO = new Set(['no', 'false', '0', 'không', 'khong']);

/** The table of cells, header first: XLSX by its zip signature, otherwise CSV in UTF-8. */
async function cellsOf(file: Uint8Array): Promise<string[][] | RowError> {
  if (file[0] === 0x50 && file[1] === 0x4b) {
    const book = new ExcelJS.Workbook();
    try {
      await book.xlsx.load(Buffer.from(file) as unknown as ArrayBuffer);
    } catch {
      return { row: 0, column: null, rule: 'unreadable' };
    }
    const sheet = book.worksheets[0];
    if (!sheet) return { row: 0, column: null, rule: 'empty' };
    const table: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      table[n - 1] = Array.from({ length: Math.max(row.cellCount, 0) }, (_, i) => row.getCell(i + 1).text.trim());
    });
    return Array.from(table, (r) => r ?? []);
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(file);
  if (text.includes('\uFFFD')) return { row: 0, column: null, rule: 'not-utf8' };
  try {
    return parse(text, { bom: true, relax_column_count: true, trim: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    return { row: typeof line === 'number' ? line : 0, column: null, rule: 'unreadable' };
  }
}

/** The header's columns by position, or what is wrong with it. */
function headerOf(cells: string[]): { at: Partial<Record<Column, number>>; errors: RowError[] } {
  const at: Partial<Record<Column, number>> = {};
  const errors: RowError[] = [];
  cells.forEach((name, i) => {
    const column = COLUMNS.find((c) => c.toLowerCase() === name.toLowerCase());
    if (column) at[column] = i;
    else if (name !== '') errors.push({ row: 1, column: name, rule: 'unknown-column' });
  });
  for (const c of REQUIRED) if (at[c] === undefined) errors.push({ row: 1, column: c, rule: 'missing-column' });
  return { at, errors };
}

/** The API schema's complaints about one row, by column (the schema's `fullName` is the file's `name`). */
function schemaErrors(row: number, error: z.ZodError): RowError[] {
  return error.issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    const limit = 'maximum' in issue ? String(issue.maximum) : undefined;
    return {
      row,
      column: field === 'fullName' ? 'name' : field || null,
      rule: issue.code,
      ...(limit ? { detail: limit } : {}),
    };
  });
}

export async function readDirectoryFile(file: Uint8Array): Promise<DirectoryFile> {
  const result: DirectoryFile = { directory: { units: [], people: [] }, rows: {}, errors: [] };
  const cells = await cellsOf(file);
  if (!Array.isArray(cells)) return { ...result, errors: [cells] };
  if (cells.length < 2) return { ...result, errors: [{ row: 0, column: null, rule: 'empty' }] };
  if (cells.length - 1 > MAX_ROWS)
    return { ...result, errors: [{ row: 0, column: null, rule: 'too-many-rows', detail: String(MAX_ROWS) }] };
  const { at, errors } = headerOf(cells[0]);
  if (errors.length > 0) return { ...result, errors };
  cells.slice(1).forEach((line, i) => {
    const row = i + 2;
    const get = (c: Column): string => (at[c] === undefined ? '' : (line[at[c]] ?? ''));
    if (line.every((v) => v === '')) return;
    const kind = get('kind').toLowerCase();
    if (kind === 'unit') {
      const active = get('active').toLowerCase();
      if (active !== '' && !YES.has(active) && !NO.has(active)) {
        result.errors.push({ row, column: 'active', rule: 'yes-or-no', detail: get('active') });
        return;
      }
      const parsed = UnitRow.safeParse({
        id: get('id'),
        name: get('name'),
        parentId: get('parentId') || null,
        ...(active === '' ? {} : { active: YES.has(active) }),
      });
      if (!parsed.success) return result.errors.push(...schemaErrors(row, parsed.error));
      result.directory.units.push(parsed.data);
      result.rows[`units:${parsed.data.id}`] ??= row;
    } else if (kind === 'person') {
      const parsed = PersonRow.safeParse({
        id: get('id'),
        fullName: get('name'),
        unitId: get('unitId'),
        role: get('role'),
        email: get('email') || null,
        reviewerId: get('reviewerId') || null,
      });
      if (!parsed.success) return result.errors.push(...schemaErrors(row, parsed.error));
      result.directory.people.push(parsed.data);
      result.rows[`people:${parsed.data.id}`] ??= row;
    } else {
      result.errors.push({ row, column: 'kind', rule: 'unit-or-person', detail: get('kind') });
    }
  });
  return result;
}
