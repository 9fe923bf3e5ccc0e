/**
 * Hostile input on the real servers: each request below once wedged a workflow, answered 5xx or
 * stored an impossible value. Each must now answer a 4xx naming the field or the rule, change
 * nothing, and leave the process it aimed at working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { startStack, type Stack } from '../support/stack';

const PERIOD = '2026-10';
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const DAY = 86_400_000;
// Impossible dates of next year: in a past year the API could refuse them as past instead.
const NEXT_YEAR = Number(fromMs(Date.now()).slice(0, 4)) + 1;
const NUL = '\u0000';

describe('hostile input on the real servers', () => {
  let s: Stack;
  const count = async (table: string) =>
    Number((await s.sql<{ n: string }[]>`select count(*) as n from ${s.sql(table)}`)[0].n);
  const tableCounts = async () => {
    const tables = [
      'audit',
      'cycles',
      'evaluations',
      'people',
      'units',
      'tokens',
      'holidays',
      'discipline',
      'leaves',
      'confidence_votes',
      'cases',
    ];
    return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await count(t)] as const)));
  };
  /** Sends raw bytes as `who`, so the media type and the body are exactly as given. */
  const raw = async (
    who: string,
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ) => {
    const res = await fetch(`${s.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${who === 'admin' ? s.adminToken : s.tokens[who]}`, ...headers },
      body,
    });
    return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
  };
  const fields = (body: { error: { details?: { field: string }[] } }) => (body.error.details ?? []).map((d) => d.field);

  beforeAll(async () => {
    s = await startStack('hostile');
    const deadlines = { plan: at(DAY), selfAssessment: at(8 * DAY), review: at(9 * DAY), deliberation: at(10 * DAY) };
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD, deadlines })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('refuses a NUL byte in a plan title, and the evaluation still takes a valid plan', async () => {
    const before = await tableCounts();
    const bad = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, {
      tasks: [{ title: `Rà soát${NUL}`, target: '100 hồ sơ' }],
    });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['tasks.0.title']);
    expect(await tableCounts()).toEqual(before);
    const good = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, {
      tasks: [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }],
    });
    expect(good.status).toBe(200);
    expect(good.body.status).toBe('planned');
  });

  it('refuses control characters and unpaired surrogates in every free-text field it reaches', async () => {
    const cases: [string, string, string, unknown, string][] = [
      [
        'khanh',
        'POST',
        '/v1/escalations/x/decision',
        { action: 'extend', until: at(DAY), note: `ghi chú${NUL}` },
        'note',
      ],
      ['ngoc', 'POST', `/v1/evaluations/${PERIOD}/ngoc/complaints`, { reason: `khiếu nại\u0007` }, 'reason'],
      [
        'admin',
        'PUT',
        '/v1/org',
        { units: [{ id: 'u1', name: `Phòng${NUL}`, parentId: null }], people: [] },
        'units.0.name',
      ],
      ['admin', 'POST', '/v1/tokens', { roles: ['hr'], label: `nhãn${NUL}` }, 'label'],
      [
        'admin',
        'POST',
        '/v1/people/minh/discipline',
        { date: '2026-01-05', level: 'reprimand', note: `\uD800` },
        'note',
      ],
      ['admin', 'POST', '/v1/cases', { kind: 'replacement', personId: 'khanh', reason: `lý do${NUL}` }, 'reason'],
      ['minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/self-assessment`, { scores: { [`tasks${NUL}`]: 1 } }, 'scores'],
    ];
    const before = await tableCounts();
    for (const [who, method, path, body, field] of cases) {
      const res = await s.call(who, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(
        fields(res.body).some((f) => f === field || f.startsWith(`${field}.`)),
        `${method} ${path}: ${fields(res.body)}`,
      ).toBe(true);
    }
    expect(await tableCounts()).toEqual(before);
  });

  it('refuses a NUL byte in a path ID with 400, not a database error', async () => {
    for (const path of [
      '/v1/cases/a%00b',
      '/v1/people/a%00b',
      `/v1/evaluations/${PERIOD}/a%00b`,
      '/v1/cycles/snv%00/2026-10',
    ]) {
      const res = await s.call('admin', 'GET', path);
      expect(res.status, path).toBe(400);
    }
  });

  it('opens no cycle for a month without a scoring profile, nor past the calendar it knows', async () => {
    const noProfile = await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: '2017-12' });
    expect(noProfile.status).toBe(422);
    expect(noProfile.body.error.details.rule).toBe('scoring-profile-in-force');
    for (const period of ['9999-12', '0000-01', '1999-12']) {
      const res = await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period });
      expect(res.status, period).toBe(400);
      expect(fields(res.body)).toEqual(['period']);
    }
    expect(await s.sql`select period from cycles where period <> ${PERIOD}`).toHaveLength(0);
    const started = await s.temporal.workflow.list({
      query: `WorkflowId = 'cycle:snv:2017-12' OR WorkflowId = 'cycle:snv:9999-12'`,
    });
    const ids: string[] = [];
    for await (const w of started) ids.push(w.workflowId);
    expect(ids).toEqual([]);
  });

  it('refuses impossible instants and dates, naming the field, and stores none of them', async () => {
    const before = await tableCounts();
    const override = await s.call('admin', 'POST', '/v1/cycles', {
      unitId: 'sxd',
      period: PERIOD,
      deadlines: { plan: `${NEXT_YEAR}-13-45T99:99+07:00` },
    });
    expect(override.status).toBe(400);
    expect(fields(override.body)).toEqual(['deadlines.plan']);
    const feb31 = await s.call('admin', 'PUT', `/v1/cycles/snv/${PERIOD}/deadlines`, {
      plan: `${NEXT_YEAR}-02-31T17:00:00+07:00`,
    });
    expect(feb31.status).toBe(400);
    expect(fields(feb31.body)).toEqual(['plan']);
    const discipline = await s.call('admin', 'POST', '/v1/people/minh/discipline', {
      date: `${NEXT_YEAR}-02-30`,
      level: 'reprimand',
    });
    expect(discipline.status).toBe(400);
    expect(fields(discipline.body)).toEqual(['date']);
    const leave = await s.call('admin', 'POST', '/v1/people/minh/leave', { from: '0000-01-01', to: '2026-01-02' });
    expect(leave.status).toBe(400);
    expect(fields(leave.body)).toEqual(['from']);
    const votes = await s.call('admin', 'POST', '/v1/people/khanh/confidence-votes', {
      date: '2026-11-20',
      low: 1,
      total: 2 ** 31,
    });
    expect(votes.status).toBe(400);
    expect(fields(votes.body)).toEqual(['total']);
    expect(await tableCounts()).toEqual(before);
  });

  it('answers 415 to a body that is not JSON, whatever it holds', async () => {
    const json = JSON.stringify({ tasks: [{ title: 'Rà soát', target: '1' }] });
    const mediaTypes: Record<string, string>[] = [
      { 'content-type': 'text/plain' },
      {},
      { 'content-type': 'application/x-www-form-urlencoded' },
    ];
    for (const headers of mediaTypes) {
      const res = await raw('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, json, headers);
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
    }
  });

  it('answers 413 past the body limit at once, and lets the directory upload carry more', async () => {
    const reason = 'x'.repeat(5 * 1024 * 1024);
    const started = Date.now();
    const big = await s.call('admin', 'POST', '/v1/cases', { kind: 'replacement', personId: 'khanh', reason });
    expect(big.status).toBe(413);
    expect(Date.now() - started).toBeLessThan(30_000);
    const list = await s.call('khanh', 'PUT', `/v1/cycles/snv/${PERIOD}/deliberation`, {
      decisions: Array.from({ length: 2001 }, (_, i) => ({ personId: `p${i}`, grade: 'B' })),
    });
    expect(list.status).toBe(400);
    expect(fields(list.body)).toEqual(['decisions']);
    // Two MiB of units is past the ordinary limit but within the directory's own.
    const units = Array.from({ length: 12_000 }, (_, i) => ({
      id: `unit-${i}`,
      name: `Đơn vị thử nghiệm số ${i} ${'y'.repeat(120)}`,
      parentId: 'hn',
    }));
    const body = JSON.stringify({ units, people: [] });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const upload = await raw('admin', 'PUT', '/v1/org', body, { 'content-type': 'application/json' });
    expect(upload.status).toBe(200);
    expect(upload.body).toEqual({ units: 12_000, people: 0 });
  });

  it('checks a role-only right before reading the body', async () => {
    const res = await raw('minh', 'PUT', '/v1/org', '{not json', { 'content-type': 'application/json' });
    expect(res.status).toBe(403);
  });

  it('sends the usual security headers', async () => {
    for (const path of ['/healthz', '/v1/cycles/snv/2026-10']) {
      const res = await fetch(`${s.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  // Last: once the address has spent its allowance, every request from it waits.
  it('answers 429 with Retry-After once an address has made too many failed sign-ins', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const started = Date.now();
    for (let i = 0; i < 61; i++) {
      const res = await fetch(`${s.url}/v1/me/tasks`, { headers: { authorization: `Bearer guess-${i}` } });
      statuses.push(res.status);
      retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 60).every((x) => x === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
    // The allowance renews 60 s after the first failure: what is left of that, in whole seconds.
    const elapsed = Math.ceil((Date.now() - started) / 1000);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(60 - elapsed);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    const valid = await s.call('minh', 'GET', '/v1/me/tasks');
    expect(valid.status).toBe(429);
  });
});
