/**
 * The worker's stack-trace switch, which works through our patch of @temporalio/worker
 * (patches/): off by default, a waiting workflow answers the stack-trace query with a clear
 * refusal and its replays skip a stack trace per promise; on, the query shows where it waits, in
 * our source. Each worker starts its own workflow thread, which reads the switch as it starts.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_WORKFLOWS_PATH } from '../../worker/bundle';
import { createWorker } from '../../worker/create-worker';
import { benchFloorWorkflow, ping } from '../../scripts/bench/floor-workflow';
import { freshDatabase, type FreshDatabase } from '../support/db';
import { timeSkippingEnv } from '../support/temporal';

describe('workflow stack traces', () => {
  let env: TestWorkflowEnvironment;
  let db: FreshDatabase;
  const workers: { worker: Worker; running: Promise<void> }[] = [];

  const startWorker = async (taskQueue: string, stackTraces?: boolean) => {
    const worker = await createWorker({
      connection: env.nativeConnection,
      sql: db.sql,
      taskQueue,
      workflowsPath: BENCH_WORKFLOWS_PATH,
      ...(stackTraces === undefined ? {} : { stackTraces }),
    });
    workers.push({ worker, running: worker.run() });
  };

  beforeAll(async () => {
    db = await freshDatabase('stack_traces');
    env = await timeSkippingEnv();
    await startWorker('traces-default');
    await startWorker('traces-on', true);
  });
  afterAll(async () => {
    for (const w of workers) w.worker.shutdown();
    await Promise.all(workers.map((w) => w.running));
    await env?.teardown();
    await db?.drop();
  });

  const waiting = async (taskQueue: string) => {
    return env.client.workflow.start(benchFloorWorkflow, { taskQueue, workflowId: `${taskQueue}-${Date.now()}` });
  };

  it('are off by default: the query says so, and the workflow still runs', async () => {
    const handle = await waiting('traces-default');
    const refused = await handle.query('__stack_trace').then(
      () => new Error('the query answered'),
      (err: Error) => err,
    );
    expect(String(refused.cause)).toMatch(/stack traces are not enabled on this worker/);
    expect(await handle.executeUpdate(ping, { args: [{ n: 7 }] })).toBe(7);
    await handle.result();
  });

  it('when on, show where the workflow waits, in our source', async () => {
    const handle = await waiting('traces-on');
    const trace = await handle.query<string>('__stack_trace');
    expect(trace).toMatch(/benchFloorWorkflow/);
    expect(trace).toMatch(/floor-workflow\.ts/);
    expect(await handle.executeUpdate(ping, { args: [{ n: 8 }] })).toBe(8);
    await handle.result();
  });
});
