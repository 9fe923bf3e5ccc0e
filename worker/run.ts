/**
 * Runs a worker and the outbox mailer until `stop()`; used by the production entry point and by
 * `npm run dev`. Stopping lets in-flight tasks finish (graceful shutdown).
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { getHeapStatistics } from 'node:v8';
import { migrateWhenReachable } from '../db/reachable';
import { createSql } from '../db/sql';
import { defaultMaxCachedWorkflows, type WorkerConfig } from './config';
import { createWorker } from './create-worker';
import { smtpTransport, startOutboxDelivery } from './outbox';

export async function runWorker(
  config: WorkerConfig,
  log: (msg: string) => void = console.log,
): Promise<{ stop: () => Promise<void>; done: Promise<void>; maxCachedWorkflows: number }> {
  try {
    Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL) });
  } catch {
    // The runtime is per process and may already be installed (tests).
  }
  const sql = createSql(config.DATABASE_URL, { max: 20 });
  await migrateWhenReachable(sql, { log });
  const maxCachedWorkflows =
    config.WORKER_MAX_CACHED_WORKFLOWS ?? defaultMaxCachedWorkflows(getHeapStatistics().heap_size_limit / 2 ** 20);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    sql,
    temporal,
    ...(config.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } } : {}),
    stackTraces: config.WORKER_STACK_TRACES === 'on',
    tuning: {
      maxCachedWorkflows,
      ...(config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS
        ? { maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS }
        : {}),
      ...(config.WORKER_MAX_CONCURRENT_ACTIVITIES
        ? { maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES }
        : {}),
    },
  });
  const mailer = config.SMTP_URL
    ? startOutboxDelivery({
        sql,
        transport: smtpTransport(config.SMTP_URL),
        from: config.MAIL_FROM,
        hrEmail: config.HR_EMAIL,
        log,
      })
    : null;
  if (!mailer)
    log('SMTP_URL is not set: notifications stay in the outbox table until a worker with SMTP_URL delivers them.');
  const done = worker.run().finally(async () => {
    await mailer?.stop();
    await connection.close();
    await clientConnection.close();
    await sql.end({ timeout: 5 });
  });
  return {
    stop: async () => {
      // The SDK's runtime also shuts its workers down on SIGINT and SIGTERM, and a second
      // shutdown() throws: stop only a running worker, then wait as every caller does.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
    done,
    maxCachedWorkflows,
  };
}
