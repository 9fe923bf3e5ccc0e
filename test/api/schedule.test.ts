/** The monthly Schedule on the real dev server: created then updated idempotently; opening a month twice is harmless. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, nextPeriod } from '../../domain/calendar';
import { ensureMonthlySchedule, SCHEDULE_ID } from '../../scripts/schedule';
import { monthlyOpenerWorkflow } from '../../workflows/monthly-opener';
import { TASK_QUEUE } from '../../contracts/messages';
import { startStack, type Stack } from '../support/stack';

describe('monthly schedule', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('schedule');
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('is created once and updated after, on the first of each month in Asia/Ho_Chi_Minh', async () => {
    const opts = { address: s.server.address, namespace: 'default', taskQueue: TASK_QUEUE };
    expect(await ensureMonthlySchedule(opts)).toBe('created');
    expect(await ensureMonthlySchedule(opts)).toBe('updated');
    const desc = await s.temporal.schedule.getHandle(SCHEDULE_ID).describe();
    expect(desc.spec.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(desc.action).toMatchObject({ type: 'startWorkflow', workflowType: 'monthlyOpenerWorkflow' });
    const next = desc.info.nextActionTimes[0];
    // 00:00 on the 1st in Hanoi is 17:00 UTC on the last day of the previous month.
    expect(next.getUTCHours()).toBe(17);
    expect(new Date(next.getTime() + 7 * 3_600_000).getUTCDate()).toBe(1);
  });

  it("opens every active unit's cycle, and a second run opens nothing new", async () => {
    // A month to come, as when the schedule fires: its default deadlines are all ahead.
    const period = nextPeriod(localDate(fromMs(Date.now())).slice(0, 7));
    const run = (id: string) =>
      s.temporal.workflow.execute(monthlyOpenerWorkflow, { workflowId: id, taskQueue: TASK_QUEUE, args: [{ period }] });
    expect(await run('opener-1')).toEqual({ period, opened: 3, existing: 0 });
    expect(await run('opener-2')).toEqual({ period, opened: 0, existing: 3 });
    const ids = [];
    for await (const wf of s.temporal.workflow.list({ query: `WorkflowType = 'cycleWorkflow'` }))
      ids.push(wf.workflowId);
    expect(ids.sort()).toEqual([`cycle:hn:${period}`, `cycle:snv:${period}`, `cycle:sxd:${period}`]);
  });
});
