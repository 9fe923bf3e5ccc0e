/** The thinnest slice: a cycle opens on the time-skipping server and a plan lands in Postgres with its audit record. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, nextPeriod } from '../../domain/calendar';
import { evaluationWorkflowId, submitPlan } from '../../contracts/messages';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

describe('thin slice', () => {
  let stack: TimeSkippingStack;
  beforeAll(async () => {
    stack = await startTimeSkippingStack('slice');
  });
  afterAll(async () => {
    await stack?.stop();
  });
  /** The month `n` months after the server's clock (it starts at the real time), so every default deadline lies ahead. */
  const ahead = async (n: number) => {
    let period = fromMs(await stack.env.currentTimeMs()).slice(0, 7);
    for (let i = 0; i < n; i++) period = nextPeriod(period);
    return period;
  };

  it('opens a cycle and records a plan in Postgres', async () => {
    const period = await ahead(1);
    const { env, db } = stack;
    const opened = await openCycleWith(env.client, 'hn', period, 'r1');
    expect(opened.created).toBe(true);
    expect(opened.view.members.map((m) => m.personId).sort()).toEqual(['an', 'binh', 'cuong', 'dung', 'em', 'khanh']);
    expect((await openCycleWith(env.client, 'hn', period, 'r2')).created).toBe(false);
    const handle = env.client.workflow.getHandle(evaluationWorkflowId(period, 'cuong'));
    const line = await handle.executeUpdate(submitPlan, {
      args: [{ actor: { id: 'cuong', roles: [] }, tasks: [{ title: 'Báo cáo', target: '100%' }] }],
    });
    expect(line.status).toBe('planned');
    const [row] = await db.sql<
      { status: string; plan: unknown }[]
    >`select status, plan from evaluations where period = ${period} and person_id = 'cuong'`;
    expect(row).toEqual({ status: 'planned', plan: [{ title: 'Báo cáo', target: '100%' }] });
    const audit =
      await db.sql`select action from audit where subject = ${evaluationWorkflowId(period, 'cuong')} order by id`;
    expect(audit.map((a) => a.action)).toEqual(['evaluation.opened', 'evaluation.plan']);
  });

  it('writes a command and the phase change it causes to the read model once', async () => {
    const period = await ahead(2);
    const { env, db } = stack;
    await openCycleWith(env.client, 'hn', period, 'r1');
    const handle = env.client.workflow.getHandle(evaluationWorkflowId(period, 'dung'));
    await handle.executeUpdate(submitPlan, {
      args: [{ actor: { id: 'dung', roles: [] }, tasks: [{ title: 'Kế hoạch', target: '100%' }] }],
    });
    const events = (await handle.fetchHistory()).events ?? [];
    const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    // One update sent, one answered.
    expect(events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes)).toHaveLength(1);
    // The rest of the workflow task that answered the update: its commands, up to the next task.
    const next = events.findIndex((e, i) => i > completed && e.workflowTaskScheduledEventAttributes);
    const answered = events.slice(completed, next === -1 ? undefined : next);
    const writes = answered.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
    expect(writes).toHaveLength(1);
    // That one write carried both: the plan, and the plan step no longer open (the month waits for the self-assessment).
    const [row] = await db.sql<
      { status: string }[]
    >`select status from evaluations where period = ${period} and person_id = 'dung'`;
    expect(row?.status).toBe('planned');
    const open = await db.sql`select kind from open_steps where workflow_id = ${evaluationWorkflowId(period, 'dung')}`;
    expect(open).toEqual([]);
  });

  it('keeps an evaluation findable by unit, period and person, and its phase in the read model only', async () => {
    const period = await ahead(3);
    const { env, db } = stack;
    await openCycleWith(env.client, 'hn', period, 'r1');
    const handle = env.client.workflow.getHandle(evaluationWorkflowId(period, 'khanh'));
    await handle.executeUpdate(submitPlan, {
      args: [{ actor: { id: 'khanh', roles: [] }, tasks: [{ title: 'Kế hoạch', target: '100%' }] }],
    });
    const events = (await handle.fetchHistory()).events ?? [];
    // One upsert of ours when it starts; the plan, which moves the phase, adds none (each was a
    // visibility write). The SDK upserts TemporalChangeVersion for each patch itself.
    const upserts = events
      .map((e) => Object.keys(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}))
      .filter((fields) => fields.length > 0 && !fields.includes('TemporalChangeVersion'));
    expect(upserts.map((fields) => fields.sort())).toEqual([['Period', 'PersonId', 'UnitId']]);
    const [row] = await db.sql<
      { status: string }[]
    >`select status from evaluations where period = ${period} and person_id = 'khanh'`;
    expect(row?.status).toBe('planned');
  });
});
