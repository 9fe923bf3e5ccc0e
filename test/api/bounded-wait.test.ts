/**
 * A request never waits without a bound on a workflow that cannot move: with no worker to run
 * it, a command answers 503 once its bound runs out, and the client's retry under the same
 * Idempotency-Key, once the worker is back, is applied exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { startStack, type Stack } from '../support/stack';

const PERIOD = '2026-08';
const DAY = 86_400_000;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const BOUND_MS = 3000;

describe('a command on a workflow that cannot move', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('bounded', { commandTimeoutMs: BOUND_MS });
    const deadlines = { plan: at(DAY), selfAssessment: at(8 * DAY), review: at(9 * DAY), deliberation: at(10 * DAY) };
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD, deadlines })).status).toBe(
      201,
    );
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('answers 503 within its bound, then applies the retry once when the worker is back', async () => {
    const plan = { tasks: [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }] };
    const key = { 'idempotency-key': 'plan-minh-1' };
    await s.stopWorker();
    const started = Date.now();
    const stuck = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, plan, key);
    const waited = Date.now() - started;
    expect(stuck.status).toBe(503);
    expect(stuck.body.error.code).toBe('unavailable');
    expect(waited).toBeGreaterThanOrEqual(BOUND_MS - 100);
    expect(waited).toBeLessThan(BOUND_MS + 20_000);

    await s.startWorker();
    const retried = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, plan, key);
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('planned');
    const entries = await s.sql`select 1 from audit where action = 'evaluation.plan' and subject like ${'%minh%'}`;
    expect(entries).toHaveLength(1);
  });
});
