/**
 * A time-skipping stack with the API in-process, and the calls the behaviour tests of
 * test/workflows/ share: a call that must answer a given status, waiting for the read model,
 * skipping the server's clock, and walking a unit's cycle to published results.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import { fromMs, toMs } from '../../domain/calendar';
import { inProcessApi, type InProcessApi } from './api';
import { eventually } from './stack';
import { startTimeSkippingStack, type TimeSkippingStack } from './temporal';

export const PEOPLE = ['an', 'binh', 'cuong', 'dung', 'em', 'giang', 'hai', 'hoa', 'khanh', 'lan', 'minh', 'ngoc'];
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Scores of profile HN-2023 worth 85 points: a B. */
export const B_SCORES = { discipline: 18, tasks: 62, bonus: 5 };

export interface ApiStack {
  stack: TimeSkippingStack;
  env: TestWorkflowEnvironment;
  api: InProcessApi;
}

/** One stack for the file (started in beforeAll, stopped in afterAll); read its fields inside tests. */
export function apiStack(name: string) {
  const h = {} as ApiStack;
  beforeAll(async () => {
    h.stack = await startTimeSkippingStack(name);
    h.env = h.stack.env;
    h.api = await inProcessApi(h.stack.db.sql, h.env.client, PEOPLE, { name });
  });
  afterAll(async () => {
    await h.stack?.stop();
  });

  /** Calls the API and fails, showing the answer, unless it answers `status`; returns the body. */
  async function expectCall(status: number, who: string, method: string, path: string, body?: unknown): Promise<any> {
    const res = await h.api.call(who, method, path, body);
    expect(res.status, `${method} ${path} as ${who}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  /** The server's clock now, as an instant. */
  const now = async (): Promise<string> => fromMs(await h.env.currentTimeMs());

  /**
   * Skips the server's clock to `iso` plus `margin` (negative: just before). The time-skipping
   * server has known stalls in this call (temporalio/sdk-java#1618, #2670): fail naming the skip.
   */
  async function sleepUntil(iso: string, margin = MINUTE): Promise<void> {
    const ms = toMs(iso) + margin - (await h.env.currentTimeMs());
    if (ms <= 0) throw new Error(`already past ${fromMs(toMs(iso) + margin)} (now ${await now()})`);
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the time skip to ${iso} did not return within 60 s of real time`)),
        60_000,
      );
    });
    try {
      await Promise.race([h.env.sleep(ms), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Outbox rows whose key matches a LIKE pattern, oldest first. */
  const outbox = (like: string) =>
    h.stack.db.sql<
      { key: string; recipientId: string }[]
    >`select key, recipient_id from outbox where key like ${like} order by id`;

  /**
   * Opens `unitId`'s cycle for `period` with its steps due within hours of the server's clock,
   * and walks it to published results: every member self-assesses (after the plan deadline,
   * when no plan filed holds the step open), is reviewed by their reviewer with {@link B_SCORES},
   * and the head puts a list of B for all that the collective approves. Returns the published cycle.
   */
  async function publishCycle(unitId: string, period: string, approverId: string): Promise<any> {
    const t = await h.env.currentTimeMs();
    const at = (hours: number) => fromMs(t + hours * HOUR);
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cycles', {
      unitId,
      period,
      deadlines: { plan: at(1), selfAssessment: at(3), review: at(5), deliberation: at(7) },
    });
    await sleepUntil(opened.deadlines.plan);
    const members: { personId: string; reviewerId: string | null }[] = opened.members;
    for (const m of members)
      await expectCall(200, m.personId, 'PUT', `/v1/evaluations/${period}/${m.personId}/self-assessment`, {
        scores: B_SCORES,
      });
    for (const m of members.filter((x) => x.reviewerId)) {
      await eventually(`${m.personId}'s review to open`, async () => {
        const e = await expectCall(200, 'admin', 'GET', `/v1/evaluations/${period}/${m.personId}`);
        return e.status === 'self-assessed';
      });
      await expectCall(200, m.reviewerId!, 'PUT', `/v1/evaluations/${period}/${m.personId}/review`, {
        scores: B_SCORES,
      });
    }
    const cycle = await eventually('the deliberation to open', async () => {
      const c = await expectCall(200, 'admin', 'GET', `/v1/cycles/${unitId}/${period}`);
      return c.phase === 'deliberation' ? c : null;
    });
    await expectCall(200, cycle.headId, 'PUT', `/v1/cycles/${unitId}/${period}/deliberation`, {
      decisions: members.map((m) => ({ personId: m.personId, grade: 'B' })),
    });
    const published = await expectCall(
      200,
      approverId,
      'POST',
      `/v1/cycles/${unitId}/${period}/deliberation/approvals`,
      {},
    );
    expect(published.phase).toBe('published');
    return published;
  }

  return { h, expectCall, now, sleepUntil, outbox, publishCycle };
}
