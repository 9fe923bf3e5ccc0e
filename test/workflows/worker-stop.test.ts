/**
 * Stopping the worker is safe to repeat: Ctrl-C reaches both the SDK's runtime, which shuts its
 * workers down on SIGINT and SIGTERM, and `npm run dev`'s own handler, which calls stop().
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../worker/config';
import { silentLogger } from '../../telemetry/log';
import { runWorker } from '../../worker/run';
import { freshDatabase, type FreshDatabase } from '../support/db';
import { timeSkippingEnv } from '../support/temporal';

describe('stopping the worker', () => {
  let env: TestWorkflowEnvironment;
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('worker_stop');
    env = await timeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
    await db?.drop();
  });

  it('can be asked twice at once, and again after it has stopped', async () => {
    const config = loadWorkerConfig({
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: 'stop-twice',
      LOG_LEVEL: 'WARN',
    });
    const worker = await runWorker(config, silentLogger);
    // Both callers wait for the same shutdown, and neither sees the SDK's error for a second shutdown().
    await expect(Promise.all([worker.stop(), worker.stop()])).resolves.toEqual([undefined, undefined]);
    await expect(worker.stop()).resolves.toBeUndefined();
    await expect(worker.done).resolves.toBeUndefined();
  });
});
