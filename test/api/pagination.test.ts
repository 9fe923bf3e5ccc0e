/**
 * Every list route pages with `?cursor=&limit=`: walking a list page by page yields each item
 * once, in the list's order, even where rows tie on the ordering instant (or differ in it by a
 * microsecond only); a cursor that is not one of the list's own is refused (400, naming `cursor`).
 * The lists are read straight from the read model, so rows are written there directly and the app
 * runs without a Temporal server (no list route calls it).
 */
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../telemetry/log';
import { hashToken } from '../../api/auth';
import { NEXT_CURSOR_HEADER } from '../../api/pagination';
import { encodeCursor } from '../../db/pagination';
import { TASK_QUEUE } from '../../contracts/messages';
import { freshDatabase, type FreshDatabase } from '../support/db';

type Answer = { status: number; body: any; next: string | null };

describe('cursor pagination of the list routes', () => {
  let db: FreshDatabase;
  let call: (who: 'hr' | 'khanh', path: string) => Promise<Answer>;

  // Instants with ties and a one-microsecond difference, so the keys must be exact and the id must break ties.
  const T = [
    '2026-03-01 10:00:00.000001+07',
    '2026-03-01 10:00:00.000002+07',
    '2026-03-02 09:00:00+07',
    '2026-03-02 09:00:00+07',
    '2026-03-02 09:00:00+07',
  ];

  // Written `::text::timestamptz`: postgres.js would pass a timestamptz parameter through a Date, rounding to milliseconds.
  beforeAll(async () => {
    db = await freshDatabase('pagination');
    const { sql } = db;
    await sql`insert into tokens (hash, person_id, roles) values (${hashToken('tok-hr')}, 'dung', ${['hr']}), (${hashToken('tok-khanh')}, 'khanh', ${[]})`;
    const app = createApp(
      { sql, temporal: {} as Client, taskQueue: TASK_QUEUE, adminTokenHash: hashToken('admin-pagination-0123456789') },
      silentLogger,
    );
    call = async (who, path) => {
      const res = await app.request(path, { headers: { authorization: `Bearer tok-${who}` } });
      return { status: res.status, body: await res.json(), next: res.headers.get(NEXT_CURSOR_HEADER) };
    };

    for (let i = 0; i < 11; i++) {
      const at = T[i % T.length];
      await sql`insert into proposals (id, kind, person_id, evidence, status, created_at)
        values (${`p-${String(i).padStart(2, '0')}`}, 'replacement', 'an', ${sql.json({ i })}, ${i % 4 === 0 ? 'dismissed' : 'open'}, ${at}::text::timestamptz)`;
      await sql`insert into cases (id, workflow_id, kind, person_id, status, step, request, parties, votes, actor_ids, version, created_at)
        values (${`c-${String(10 - i).padStart(2, '0')}`}, ${`case-${i}`}, 'transfer', ${`person-${i}`}, 'open', 'opinions', ${sql.json({})},
                ${sql.json({ collective: [] })}, ${sql.json({ approve: 0, reject: 0, of: 1 })}, ${i % 3 === 0 ? ['khanh'] : ['em']}, 1, ${at}::text::timestamptz)`;
      await sql`insert into escalations (id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, version)
        values (${`e-${String((i * 7) % 11).padStart(2, '0')}`}, 'wf', 'self-assessment', ${`person-${i}`}, 'snv', '2026-03', 1,
                ${i % 5 === 4 ? 'hr' : 'khanh'}, ${at}::text::timestamptz, ${i % 2 ? 'open' : 'decided'}, now(), 1)`;
      // Undated steps come last; several steps share a link and a due instant.
      await sql`insert into open_steps (workflow_id, step_key, owner_id, kind, due_at, link)
        values (${`wf-${i % 3}`}, ${`step-${i}`}, ${i === 5 ? 'hr' : 'khanh'}, 'review', ${i % 4 === 3 ? null : at}::text::timestamptz, ${`/v1/x/${i % 2}`})`;
    }
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** Walks a list from its first page, `limit` at a time, gathering each page's items and its cursor. */
  async function walk(who: 'hr' | 'khanh', path: string, field: string | null, limit: number) {
    const sizes: number[] = [];
    const items: any[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await call(
        who,
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const page = field ? res.body[field] : res.body;
      const next = field ? res.body.next : res.next;
      if (field) expect(Object.keys(res.body).sort()).toEqual([field, 'next'].sort());
      sizes.push(page.length);
      items.push(...page);
      if (next === null) return { items, sizes };
      cursor = next;
    }
    throw new Error('the walk never ended');
  }

  it('keeps the microseconds of the instants it pages on', async () => {
    const [{ n }] = await db.sql<
      { n: number }[]
    >`select count(distinct created_at)::int as n from proposals where created_at < '2026-03-02'`;
    expect(n).toBe(2);
  });

  it('GET /v1/proposals: every proposal once, newest first then by id, in pages of `limit`', async () => {
    const expected = await db.sql<{ id: string }[]>`select id from proposals order by created_at desc, id`;
    const { items, sizes } = await walk('hr', '/v1/proposals', 'proposals', 3);
    expect(items.map((p) => p.id)).toEqual(expected.map((r) => r.id));
    expect(sizes).toEqual([3, 3, 3, 2]);
    // One at a time, every boundary falls somewhere: between ties and across the microsecond.
    expect((await walk('hr', '/v1/proposals', 'proposals', 1)).items.map((p) => p.id)).toEqual(
      expected.map((r) => r.id),
    );
    const open = await db.sql<
      { id: string }[]
    >`select id from proposals where status = 'open' order by created_at desc, id`;
    expect((await walk('hr', '/v1/proposals?status=open', 'proposals', 2)).items.map((p) => p.id)).toEqual(
      open.map((r) => r.id),
    );
  });

  it('GET /v1/cases: every case once, newest first then by id, for HR and for an actor', async () => {
    const all = await db.sql<{ id: string }[]>`select id from cases order by created_at desc, id`;
    const { items, sizes } = await walk('hr', '/v1/cases', 'cases', 4);
    expect(items.map((c) => c.id)).toEqual(all.map((r) => r.id));
    expect(sizes).toEqual([4, 4, 3]);
    expect((await walk('hr', '/v1/cases', 'cases', 1)).items.map((c) => c.id)).toEqual(all.map((r) => r.id));
    const mine = await db.sql<
      { id: string }[]
    >`select id from cases where 'khanh' = any(actor_ids) order by created_at desc, id`;
    // khanh acts in every third case of the eleven: 0, 3, 6 and 9.
    expect(mine).toHaveLength(4);
    expect((await walk('khanh', '/v1/cases', 'cases', 1)).items.map((c) => c.id)).toEqual(mine.map((r) => r.id));
  });

  it('GET /v1/escalations: every escalation addressed to the caller once, soonest due first then by id; `next` in the header', async () => {
    const expected = await db.sql<
      { id: string }[]
    >`select id from escalations where target_id in ('dung', 'hr') order by due_at, id`;
    // HR is the target of the fifth and the tenth escalation; none is addressed to dung.
    expect(expected).toHaveLength(2);
    const hr = await walk('hr', '/v1/escalations', null, 1);
    expect(hr.items.map((e) => e.id)).toEqual(expected.map((r) => r.id));
    const khanh = await db.sql<
      { id: string }[]
    >`select id from escalations where target_id = 'khanh' and status = 'open' order by due_at, id`;
    expect((await walk('khanh', '/v1/escalations?status=open', null, 2)).items.map((e) => e.id)).toEqual(
      khanh.map((r) => r.id),
    );
  });

  it('GET /v1/me/tasks: every step once, soonest due first, undated last; `next` in the header', async () => {
    const expected = await db.sql<{ link: string; stepKey: string }[]>`
      select link, step_key from open_steps where owner_id = 'khanh' order by due_at nulls last, link, workflow_id, step_key`;
    const { items, sizes } = await walk('khanh', '/v1/me/tasks', null, 3);
    expect(items).toHaveLength(expected.length);
    expect(items.map((t) => t.link)).toEqual(expected.map((r) => r.link));
    expect(sizes).toEqual([3, 3, 3, 1]);
    expect((await walk('khanh', '/v1/me/tasks', null, 1)).items).toEqual(items);
    expect(items.slice(-2).map((t) => t.dueAt)).toEqual([null, null]);
    const oneCall = await call('khanh', '/v1/me/tasks');
    expect(oneCall.body).toHaveLength(10);
    expect(oneCall.next).toBeNull();
  });

  it('answers 100 items when no limit is given, and at most 500', async () => {
    await db.sql`insert into proposals (id, kind, person_id, evidence) select 'bulk-' || lpad(n::text, 3, '0'), 'replacement', 'an', '{}' from generate_series(1, 120) n`;
    const first = await call('hr', '/v1/proposals');
    expect(first.body.proposals).toHaveLength(100);
    expect(typeof first.body.next).toBe('string');
    const rest = await call('hr', `/v1/proposals?cursor=${first.body.next}&limit=500`);
    expect(rest.body.proposals).toHaveLength(120 + 11 - 100);
    expect(rest.body.next).toBeNull();
    for (const limit of ['0', '501', '2.5', 'ten']) {
      const res = await call('hr', `/v1/proposals?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['limit']);
    }
  });

  it.each([
    ['/v1/proposals', 'hr'],
    ['/v1/cases', 'hr'],
    ['/v1/escalations', 'khanh'],
    ['/v1/me/tasks', 'khanh'],
  ] as const)('%s refuses a cursor that is not its own with 400 naming `cursor`', async (path, who) => {
    const foreign =
      path === '/v1/cases'
        ? encodeCursor('proposals', ['2026-03-01T03:00:00.000001Z', 'p-01'])
        : encodeCursor('cases', ['2026-03-01T03:00:00.000001Z', 'c-01']);
    const bad = [
      'garbage',
      '!!!',
      foreign,
      Buffer.from('{"l": "cases"').toString('base64url'),
      encodeCursor(
        path === '/v1/me/tasks'
          ? 'tasks'
          : path === '/v1/cases'
            ? 'cases'
            : path === '/v1/escalations'
              ? 'escalations'
              : 'proposals',
        ['2026-02-30T00:00:00.000000Z', 'x', 'x', 'x', 'x'].slice(0, path === '/v1/me/tasks' ? 5 : 2),
      ),
    ];
    for (const cursor of bad) {
      const res = await call(who, `${path}?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status, cursor).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(['cursor']);
    }
  });

  it('documents the paging in the OpenAPI document', async () => {
    const app = createApp(
      { sql: db.sql, temporal: {} as Client, taskQueue: TASK_QUEUE, adminTokenHash: hashToken('x') },
      silentLogger,
    );
    const doc = (await (await app.request('/openapi.json')).json()) as any;
    for (const [path, field] of [
      ['/v1/proposals', 'proposals'],
      ['/v1/tokens', 'tokens'],
      ['/v1/cases', 'cases'],
      ['/v1/escalations', null],
      ['/v1/me/tasks', null],
    ] as const) {
      const op = doc.paths[path].get;
      const params = Object.fromEntries(op.parameters.map((p: any) => [p.name, p]));
      expect(params.cursor).toMatchObject({
        in: 'query',
        required: false,
        description: expect.stringContaining('next'),
      });
      expect(params.limit).toMatchObject({ in: 'query', description: expect.stringContaining('500') });
      const ok = op.responses['200'];
      if (field) {
        expect(Object.keys(ok.content['application/json'].schema.properties).sort()).toEqual([field, 'next'].sort());
      } else {
        expect(ok.headers[NEXT_CURSOR_HEADER].description).toContain('next');
      }
    }
  });
});
