/**
 * `GET /v1/audit` and `GET /v1/audit/export` on the real stack: HR's and the admin's writes
 * through the API show in the trail with their actors, the filters select what they say, a walk
 * by cursor sees every row once, the CSV export parsed back (csv-parse) holds the same rows, and
 * the trail the API wrote verifies.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../db/audit';
import { startStack, type Stack } from '../support/stack';

interface Row {
  id: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

describe('the audit trail over the API', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('audit_api', { hr: ['dung'] });
    const writes: [string, string, string, unknown][] = [
      ['dung', 'POST', '/v1/people/ngoc/leave', { from: '2030-01-07', to: '2030-01-08' }],
      ['dung', 'POST', '/v1/people/ngoc/discipline', { date: '2030-01-09', level: 'reprimand' }],
      ['dung', 'POST', '/v1/people/khanh/confidence-votes', { date: '2030-01-10', low: 2, total: 15 }],
      ['admin', 'PUT', '/v1/holidays', { holidays: [{ date: '2031-01-23', name: 'Tết Nguyên đán' }] }],
      ['admin', 'POST', '/v1/tokens', { personId: 'minh', roles: [] }],
      ['dung', 'POST', '/v1/people/em/leave', { from: '2030-02-04', to: '2030-02-05' }],
    ];
    for (const [who, method, path, body] of writes) {
      const res = await s.call(who, method, path, body, { 'Idempotency-Key': `audit-${method}-${path}` });
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await s?.stop();
  });

  const all = async (query: string): Promise<Row[]> => {
    const rows: Row[] = [];
    let cursor: string | null = null;
    do {
      const res = await s.call('dung', 'GET', `/v1/audit?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.audit.length).toBeLessThanOrEqual(2);
      rows.push(...res.body.audit);
      cursor = res.body.next;
    } while (cursor);
    return rows;
  };

  it('shows every write HR and the admin made, by whom, oldest first', async () => {
    const res = await s.call('admin', 'GET', '/v1/audit?limit=500');
    expect(res.status).toBe(200);
    const rows: Row[] = res.body.audit;
    expect(res.body.next).toBeNull();
    const ids = rows.map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(rows.map((r) => [r.action, r.actor, r.subject])).toEqual(
      expect.arrayContaining([
        ['directory.upserted', 'system', 'directory'],
        ['person.leave', 'dung', 'person:ngoc'],
        ['person.discipline', 'dung', 'person:ngoc'],
        ['person.confidence-vote', 'dung', 'person:khanh'],
        ['holidays.stored', 'admin', 'holidays'],
        ['token.issued', 'admin', expect.stringMatching(/^token:[0-9a-f]{12}$/)],
        ['person.leave', 'dung', 'person:em'],
      ]),
    );
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    expect(await verifyAuditChain(s.sql)).toEqual({ rows: rows.length, broken: null });
  });

  it('walks a filter by cursor, each row once, and filters by person, unit and day', async () => {
    const ngoc = await all('personId=ngoc');
    expect(ngoc.map((r) => r.action)).toEqual(['person.leave', 'person.discipline']);
    const byDung = await all('personId=dung');
    expect(byDung.map((r) => r.action)).toEqual([
      'person.leave',
      'person.discipline',
      'person.confidence-vote',
      'person.leave',
    ]);
    // snv holds ngoc and khanh; em heads sxd.
    const snv = await all('unitId=snv');
    expect(snv.map((r) => r.subject)).toEqual(['person:ngoc', 'person:ngoc', 'person:khanh']);
    const sxd = await all('unitId=sxd');
    expect(sxd.map((r) => r.subject)).toEqual(['person:em']);
    const everything = await all('');
    expect(new Set(everything.map((r) => r.id)).size).toBe(everything.length);
    expect(everything.length).toBeGreaterThanOrEqual(7);
    // Days are Hanoi's: the rows were all written today there, none tomorrow.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
    const [y, m, d] = today.split('-').map(Number);
    const tomorrow = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
    const yesterday = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
    // A row written just before midnight in Hanoi falls on yesterday: ask for both days.
    expect((await all(`from=${yesterday}&to=${today}`)).length).toBe(everything.length);
    expect(await all(`from=${tomorrow}`)).toEqual([]);
  });

  it('refuses a range that ends before it starts, a bad date and a foreign cursor, naming the field', async () => {
    const range = await s.call('dung', 'GET', '/v1/audit?from=2030-02-01&to=2030-01-31');
    expect(range.status).toBe(400);
    expect(range.body.error.details).toEqual([expect.objectContaining({ field: 'to', rule: 'after-from' })]);
    const date = await s.call('dung', 'GET', '/v1/audit/export?from=2030-02-30');
    expect(date.status).toBe(400);
    expect(JSON.stringify(date.body.error.details)).toContain('from');
    const proposals = await s.call('dung', 'GET', '/v1/proposals?limit=1');
    expect(proposals.status).toBe(200);
    const foreign = Buffer.from(JSON.stringify({ l: 'proposals', k: ['x', 'y'] })).toString('base64url');
    const cursor = await s.call('dung', 'GET', `/v1/audit?cursor=${foreign}`);
    expect(cursor.status).toBe(400);
    expect(JSON.stringify(cursor.body.error.details)).toContain('cursor');
  });

  it('exports the same rows as CSV, parsed back with csv-parse', async () => {
    const res = await s.call('admin', 'GET', '/v1/audit/export?personId=dung');
    expect(res.status).toBe(200);
    const records: Record<string, string>[] = parse(res.body, { columns: true });
    const listed = await all('personId=dung');
    expect(records.map((r) => ({ ...r, payload: JSON.parse(r.payload) }))).toEqual(listed);
    expect(Object.keys(records[0])).toEqual(['id', 'at', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash']);
  });

  it('exports the same rows as XLSX, read back with exceljs, and refuses it to a staff member', async () => {
    const res = await fetch(`${s.url}/v1/audit/export.xlsx?personId=dung`, {
      headers: { authorization: `Bearer ${s.adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await res.arrayBuffer()) as never);
    const [header, ...rows] = book.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    expect(header.slice(1)).toEqual(['id', 'at', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash']);
    const listed = await all('personId=dung');
    expect(
      rows.map((r) => {
        const [id, at, actor, action, subject, payload, prevHash, hash] = r.slice(1) as string[];
        return { id: String(id), at, actor, action, subject, payload: JSON.parse(payload), prevHash, hash };
      }),
    ).toEqual(listed.map((r: { id: unknown }) => ({ ...r, id: String(r.id) })));
    const staff = await fetch(`${s.url}/v1/audit/export.xlsx`, {
      headers: { authorization: `Bearer ${s.tokens.minh}` },
    });
    expect(staff.status).toBe(403);
  });

  it('exports an empty selection as the header alone', async () => {
    const res = await s.call('dung', 'GET', '/v1/audit/export?personId=nobody');
    expect(res.status).toBe(200);
    expect(parse(res.body ?? '', { columns: false })).toEqual([
      ['id', 'at', 'actor', 'action', 'subject', 'payload', 'prevHash', 'hash'],
    ]);
  });
});
