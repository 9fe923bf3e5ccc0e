/** Temporal test environments on the provisioned binaries (never the SDK's own download). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { upsertDirectory } from '../../db/directory';
import type { Deadlines } from '../../domain/calendar';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { SEARCH_ATTRIBUTES } from '../../scripts/temporal-dev';
import { createWorker } from '../../worker/create-worker';
import { cycleWorkflow } from '../../workflows/cycle';
import { cycleWorkflowId, openCycle, TASK_QUEUE } from '../../contracts/messages';
import { freshDatabase, type FreshDatabase } from './db';

let runtimeInstalled = false;

/** Quiet logs, installed at most once per process as the SDK requires. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in this process.
  }
}

/** The time-skipping test server; its first start can exceed the SDK's 5 s, so try twice. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const start = () =>
    TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } },
    });
  let env: TestWorkflowEnvironment;
  try {
    env = await start();
  } catch {
    env = await start();
  }
  // The workflows set these; the test server knows none until told (it cannot list them, but it can add them).
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((name) => [name, 2 /* KEYWORD */])),
  });
  return env;
}

/** Opens (or finds) a unit's cycle the way the API does, and returns its view once every evaluation exists. */
export async function openCycleWith(
  client: Client,
  unitId: string,
  period: string,
  requestId = `test-${unitId}-${period}`,
  overrides?: Partial<Deadlines>,
) {
  return client.workflow.executeUpdateWithStart(openCycle, {
    args: [{ requestId }],
    startWorkflowOperation: new WithStartWorkflowOperation(cycleWorkflow, {
      workflowId: cycleWorkflowId(unitId, period),
      taskQueue: TASK_QUEUE,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [{ unitId, period, requestId, openedBy: 'admin', ...(overrides ? { overrides } : {}) }],
    }),
  });
}

export interface TimeSkippingStack {
  env: TestWorkflowEnvironment;
  db: FreshDatabase;
  stop: () => Promise<void>;
}

/** A fresh database with the demo directory, the time-skipping server and an in-process worker. */
export async function startTimeSkippingStack(
  name: string,
  opts: { workflowsPath?: string } = {},
): Promise<TimeSkippingStack> {
  const db = await freshDatabase(name);
  await upsertDirectory(db.sql, DEMO_DIRECTORY);
  const env = await timeSkippingEnv();
  const worker = await createWorker({
    connection: env.nativeConnection,
    sql: db.sql,
    temporal: env.client,
    workflowsPath: opts.workflowsPath,
  });
  const running = worker.run();
  return {
    env,
    db,
    stop: async () => {
      worker.shutdown();
      await running;
      await env.teardown();
      await db.drop();
    },
  };
}
