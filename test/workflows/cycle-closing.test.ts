/**
 * How a cycle learns that its evaluations have closed when the usual signal does not come: the
 * read model is checked again at the review deadline. (An evaluation stopped on its own fails its
 * cycle: test/api/cycle-api.test.ts, on the dev server, since this server does not tell a parent
 * that its child was terminated.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, nextPeriod } from '../../domain/calendar';
import { upsertDirectory } from '../../db/directory';
import { BENCH_WORKFLOWS_PATH } from '../../worker/bundle';
import { benchDirectory } from '../../scripts/bench/directory';
import { benchFloorWorkflow } from '../../scripts/bench/floor-workflow';
import { cycleWorkflowId, evaluationWorkflowId, getCycle, TASK_QUEUE } from '../../contracts/messages';
import { eventually } from '../support/stack';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

const HOUR = 60 * 60 * 1000;

describe('a cycle waiting for its evaluations to close', () => {
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    stack = await startTimeSkippingStack('cycle-closing', { workflowsPath: BENCH_WORKFLOWS_PATH });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  /** The month `n` months after the one the server's clock is in. */
  async function monthsAhead(n: number): Promise<string> {
    let period = localDate(fromMs(await stack.env.currentTimeMs())).slice(0, 7);
    for (let i = 0; i < n; i++) period = nextPeriod(period);
    return period;
  }

  /** Opens `unitId`'s cycle with its steps due within hours of the server's clock. */
  async function openSoon(unitId: string, period: string) {
    const now = await stack.env.currentTimeMs();
    const at = (hours: number) => fromMs(now + hours * HOUR);
    await openCycleWith(stack.env.client, unitId, period, 'r1', {
      plan: at(1),
      selfAssessment: at(2),
      review: at(3),
      deliberation: at(200),
    });
    return stack.env.client.workflow.getHandle(cycleWorkflowId(unitId, period));
  }

  it('finds its evaluations closed at the review deadline although none signalled it', async () => {
    const period = await monthsAhead(1);
    const { env, db } = stack;
    const cycle = await openSoon('snv', period);
    await eventually(
      'the seeded rows',
      async () => (await db.sql`select 1 from evaluations where period = ${period}`).length === 3,
    );
    // Closings whose signal never came (say, written by workers of two versions).
    await db.sql`update evaluations set closed_at = now(), total = 80, proposed_grade = 'B' where period = ${period}`;
    expect((await cycle.query(getCycle)).phase).toBe('open');
    await env.sleep(3 * HOUR + 60_000);
    await eventually('the deliberation to open', async () => (await cycle.query(getCycle)).phase === 'deliberation');
    expect((await cycle.query(getCycle)).members.map((m) => m.status)).toEqual(['reviewed', 'reviewed', 'reviewed']);
    const events = (await cycle.fetchHistory()).events ?? [];
    expect(
      events.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'evaluationsClosed'),
    ).toEqual([]);
  });

  it('starts every member of a unit larger than one batch, when one is evaluated elsewhere', async () => {
    const period = await monthsAhead(2);
    const { env, db } = stack;
    // 229 members settled by u0001: two batches of starts. The fifth already has this month's
    // evaluation (a workflow holds its ID), so the first batch leaves it out.
    await upsertDirectory(db.sql, benchDirectory(232, 1));
    const elsewhere = 'p000008';
    await env.client.workflow.start(benchFloorWorkflow, {
      workflowId: evaluationWorkflowId(period, elsewhere),
      taskQueue: TASK_QUEUE,
    });
    const cycle = await openSoon('u0001', period);
    const members = (await cycle.query(getCycle)).members.map((m) => m.personId);
    expect(members).toHaveLength(228);
    expect(members).not.toContain(elsewhere);
    // Each started evaluation writes its own row (version 1 and up) over the cycle's seed (version 0).
    await eventually("every member's evaluation", async () => {
      const [{ n }] = await db.sql<
        { n: number }[]
      >`select count(*)::int as n from evaluations where period = ${period} and unit_id = 'u0001' and version > 0`;
      return n === 228;
    });
  });
});
