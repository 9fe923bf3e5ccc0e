/**
 * `Idempotency-Key` on the real servers, beyond the plain repeat: a repeat while the first request
 * still runs (409), a reservation left by a request that died (taken over once stale, not before),
 * keys kept per caller, and a key reused for another request (400).
 *
 * The first request is made slow deterministically by stopping the worker: its update waits on
 * the server until the worker is back. A dead request's reservation is written as it would have
 * left it, an in-progress row, with its age set in SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, nextPeriod } from '../../domain/calendar';
import { eventually, startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
/** Two cycles taking plans: their default deadlines are all ahead. */
const A = nextPeriod(localDate(fromMs(Date.now())).slice(0, 7));
const B = nextPeriod(A);
/** The age past which a reservation is taken over (`STALE_SECONDS` in api/idempotency.ts is 90). */
const YOUNGER = 80;
const OLDER = 100;

const plan = (title: string) => ({ tasks: [{ title, target: '100 hồ sơ' }] });
const planPath = (period: string, personId: string) => `/v1/evaluations/${period}/${personId}/plan`;
const key = (k: string) => ({ 'idempotency-key': k });

describe('Idempotency-Key on the real servers', () => {
  let s: Stack;
  const planOf = async (period: string, personId: string) =>
    (
      await s.sql<
        { plan: unknown }[]
      >`select plan from evaluations where period = ${period} and person_id = ${personId}`
    )[0].plan;
  const planAudits = async (period: string, personId: string) =>
    s.sql`select 1 from audit where action = 'evaluation.plan' and subject = ${`eval:${period}:${personId}`}`;
  const reservation = async (actor: string, k: string) =>
    (
      await s.sql<
        { status: number; body: unknown; createdAt: Date }[]
      >`select status, body, created_at from idempotency where actor = ${actor} and key = ${k}`
    )[0];
  /** The in-progress row a request that died with its process leaves, `ageSeconds` old. */
  const deadReservation = async (actor: string, k: string, path: string, ageSeconds: number) => {
    await s.sql`
      insert into idempotency (actor, key, method, path, status, body, created_at)
      values (${actor}, ${k}, 'PUT', ${path}, 0, ${s.sql.json({})}, now() - make_interval(secs => ${ageSeconds}))`;
  };

  beforeAll(async () => {
    s = await startStack('idempotency');
    for (const period of [A, B]) {
      const res = await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('answers 409 in-progress to a repeat sent while the first request still runs, and acts once', async () => {
    const path = planPath(A, 'minh');
    await s.stopWorker();
    let first: ReturnType<Stack['call']> | undefined;
    try {
      first = s.call('minh', 'PUT', path, plan('Rà soát hồ sơ'), key('slow'));
      await eventually(
        'the first request to reserve its key',
        async () => (await reservation('minh', 'slow'))?.status === 0,
      );
      const repeat = await s.call('minh', 'PUT', path, plan('Rà soát hồ sơ'), key('slow'));
      expect(repeat.status, JSON.stringify(repeat.body)).toBe(409);
      expect(repeat.body.error.details).toEqual({ phase: 'in-progress' });
    } finally {
      await s.startWorker();
    }
    expect((await first).status).toBe(200);
    expect(await planAudits(A, 'minh')).toHaveLength(1);
  });

  it('lets a retry take over a reservation older than the stale limit: it acts and its answer is kept', async () => {
    const path = planPath(A, 'ngoc');
    await deadReservation('ngoc', 'died', path, OLDER);
    const res = await s.call('ngoc', 'PUT', path, plan('Tiếp nhận hồ sơ'), key('died'));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await planOf(A, 'ngoc')).toEqual(plan('Tiếp nhận hồ sơ').tasks);
    expect(await reservation('ngoc', 'died')).toMatchObject({ status: 200, body: res.body });
  });

  it('does not take over a reservation younger than the stale limit (409), changing nothing', async () => {
    const path = planPath(A, 'lan');
    await deadReservation('lan', 'running', path, YOUNGER);
    const before = await reservation('lan', 'running');
    const res = await s.call('lan', 'PUT', path, plan('Tổng hợp báo cáo'), key('running'));
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body.error.details).toEqual({ phase: 'in-progress' });
    expect(await planOf(A, 'lan')).toBeNull();
    expect(await reservation('lan', 'running')).toEqual(before);
  });

  it('keeps keys per caller: two callers sending one key each get their own answer', async () => {
    const minh = await s.call('minh', 'PUT', planPath(B, 'minh'), plan('Kế hoạch của Minh'), key('shared'));
    const ngoc = await s.call('ngoc', 'PUT', planPath(B, 'ngoc'), plan('Kế hoạch của Ngọc'), key('shared'));
    expect([minh.status, ngoc.status]).toEqual([200, 200]);
    expect([minh.body.personId, ngoc.body.personId]).toEqual(['minh', 'ngoc']);
    expect([await planOf(B, 'minh'), await planOf(B, 'ngoc')]).toEqual([
      plan('Kế hoạch của Minh').tasks,
      plan('Kế hoạch của Ngọc').tasks,
    ]);
    expect(await s.call('minh', 'PUT', planPath(B, 'minh'), plan('Kế hoạch của Minh'), key('shared'))).toEqual(minh);
    expect(await s.call('ngoc', 'PUT', planPath(B, 'ngoc'), plan('Kế hoạch của Ngọc'), key('shared'))).toEqual(ngoc);
  });

  it("never hands one caller's stored answer to another sending the same key on the same path", async () => {
    const path = planPath(B, 'lan');
    const own = await s.call('lan', 'PUT', path, plan('Kế hoạch của Lan'), key('lan-plan'));
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const stranger = await s.call('minh', 'PUT', path, plan('Kế hoạch của Lan'), key('lan-plan'));
    expect(stranger.status, JSON.stringify(stranger.body)).toBe(403);
    expect(stranger.body.error.code).toBe('forbidden');
  });

  it('refuses a key reused for another path (400), changing nothing', async () => {
    const moved = await s.call(
      'admin',
      'PUT',
      `/v1/cycles/snv/${A}/deadlines`,
      { plan: at(3 * DAY) },
      key('move-plan'),
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    const [before] = await s.sql`select deadlines, version from cycles where unit_id = 'snv' and period = ${B}`;
    const reused = await s.call(
      'admin',
      'PUT',
      `/v1/cycles/snv/${B}/deadlines`,
      { plan: at(3 * DAY) },
      key('move-plan'),
    );
    expect(reused.status, JSON.stringify(reused.body)).toBe(400);
    expect(reused.body.error.details).toEqual([{ field: 'Idempotency-Key', rule: 'reused' }]);
    expect((await s.sql`select deadlines, version from cycles where unit_id = 'snv' and period = ${B}`)[0]).toEqual(
      before,
    );
  });
});
