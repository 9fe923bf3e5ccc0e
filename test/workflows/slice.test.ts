import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { freshDatabase } from '../support/db';
import { timeSkippingEnv } from '../support/temporal';
import { upsertDirectory } from '../../db/directory';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { createWorker } from '../../worker/create-worker';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleWorkflowId, evaluationWorkflowId, openCycle, submitPlan, TASK_QUEUE } from '../../workflows/messages';
import type { Sql } from '../../db/sql';

describe('thin slice', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sql: Sql;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase('slice');
    sql = db.sql;
    await upsertDirectory(sql, DEMO_DIRECTORY);
    env = await timeSkippingEnv();
    worker = await createWorker({ connection: env.nativeConnection, sql });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  it('opens a cycle and records a plan in Postgres', async () => {
    const period = '2026-12';
    const op = new WithStartWorkflowOperation(cycleWorkflow, {
      workflowId: cycleWorkflowId('hn', period),
      taskQueue: TASK_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ unitId: 'hn', period, requestId: 'r1', openedBy: 'admin' }],
    });
    const opened = await env.client.workflow.executeUpdateWithStart(openCycle, { startWorkflowOperation: op, args: [{ requestId: 'r1' }] });
    expect(opened.created).toBe(true);
    expect(opened.view.members.map((m) => m.personId).sort()).toEqual(['an', 'binh', 'cuong', 'dung', 'em', 'khanh']);
    // the child may not have started yet when the update returns
    let handle = env.client.workflow.getHandle(evaluationWorkflowId(period, 'cuong'));
    for (let i = 0; i < 50; i++) {
      try { await handle.describe(); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    const line = await handle.executeUpdate(submitPlan, { args: [{ actor: { id: 'cuong', roles: [] }, tasks: [{ title: 'Báo cáo', target: '100%' }] }] });
    expect(line.status).toBe('planned');
    const [row] = await sql<{ status: string; plan: unknown }[]>`select status, plan from evaluations where period = ${period} and person_id = 'cuong'`;
    expect(row.status).toBe('planned');
    expect(row.plan).toEqual([{ title: 'Báo cáo', target: '100%' }]);
    const audit = await sql`select action from audit where subject = ${evaluationWorkflowId(period, 'cuong')} order by id`;
    expect(audit.map((a) => a.action)).toContain('evaluation.plan');
  });
});
