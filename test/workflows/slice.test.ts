/** The thinnest slice: a cycle opens on the time-skipping server and a plan lands in Postgres with its audit record. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluationWorkflowId, submitPlan } from '../../workflows/messages';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

describe('thin slice', () => {
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    stack = await startTimeSkippingStack('slice');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('opens a cycle and records a plan in Postgres', async () => {
    const period = '2032-06';
    const { env, db } = stack;
    const opened = await openCycleWith(env.client, 'hn', period, 'r1');
    expect(opened.created).toBe(true);
    expect(opened.view.members.map((m) => m.personId).sort()).toEqual(['an', 'binh', 'cuong', 'dung', 'em', 'khanh']);
    expect((await openCycleWith(env.client, 'hn', period, 'r2')).created).toBe(false);
    const handle = env.client.workflow.getHandle(evaluationWorkflowId(period, 'cuong'));
    const line = await handle.executeUpdate(submitPlan, { args: [{ actor: { id: 'cuong', roles: [] }, tasks: [{ title: 'Báo cáo', target: '100%' }] }] });
    expect(line.status).toBe('planned');
    const [row] = await db.sql<{ status: string; plan: unknown }[]>`select status, plan from evaluations where period = ${period} and person_id = 'cuong'`;
    expect(row).toEqual({ status: 'planned', plan: [{ title: 'Báo cáo', target: '100%' }] });
    const audit = await db.sql`select action from audit where subject = ${evaluationWorkflowId(period, 'cuong')} order by id`;
    expect(audit.map((a) => a.action)).toContain('evaluation.plan');
  });
});
