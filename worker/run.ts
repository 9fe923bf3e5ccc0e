/**
 * Runs a worker and the outbox mailer until `stop()`; used by the production entry point and by
 * `npm run dev`. Stopping lets in-flight tasks finish (graceful shutdown).
 */
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type LogLevel } from '@temporalio/worker';
import { getHeapStatistics } from 'node:v8';
import { migrateWhenReachable } from '../db/reachable';
import { createSql } from '../db/sql';
import { createLogger, type Logger } from '../telemetry/log';
import { RequestIdClientInterceptor } from '../telemetry/request-id';
import { startTracing } from '../telemetry/tracing';
import { defaultMaxCachedWorkflows, type WorkerConfig } from './config';
import { createWorker } from './create-worker';
import { smtpTransport, startOutboxDelivery } from './outbox';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/** The SDK's and its Rust core's log lines, written by `logger` as JSON like every other line. */
export const temporalLogger = (logger: Logger, level: LogLevel) =>
  new DefaultLogger(level, ({ level: at, message, meta }) => logger[PINO_LEVEL[at]]({ ...meta }, message));

/**
 * Installs the process's Temporal runtime: its logs through `logger`, and its own metrics (task
 * latencies, slots, sticky cache) served for Prometheus at WORKER_METRICS_ADDRESS when set.
 */
export function installRuntime(config: WorkerConfig, logger: Logger): void {
  try {
    Runtime.install({
      logger: temporalLogger(logger, config.LOG_LEVEL),
      ...(config.WORKER_METRICS_ADDRESS
        ? {
            telemetryOptions: {
              metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS, useSecondsForDurations: true } },
            },
          }
        : {}),
    });
  } catch {
    // The runtime is per process and may already be installed (tests).
  }
}

export async function runWorker(
  config: WorkerConfig,
  logger: Logger = createLogger({ level: config.LOG_LEVEL, base: { service: 'worker' } }),
): Promise<{ stop: () => Promise<void>; done: Promise<void>; maxCachedWorkflows: number }> {
  // Waiting for the database and mail left undelivered are what an operator must see at any level but ERROR.
  const log = (line: string) => logger.warn(line);
  installRuntime(config, logger);
  const tracing = startTracing('hanoi-eval-worker');
  const sql = createSql(config.DATABASE_URL, { max: 20 });
  await migrateWhenReachable(sql, { log });
  const maxCachedWorkflows =
    config.WORKER_MAX_CACHED_WORKFLOWS ?? defaultMaxCachedWorkflows(getHeapStatistics().heap_size_limit / 2 ** 20);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({
    connection: clientConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    // The monthly opener and case moves call workflows from activities: the request ID and the trace go on.
    interceptors: {
      workflow: [new RequestIdClientInterceptor(), ...(tracing ? [new OpenTelemetryWorkflowClientInterceptor()] : [])],
    },
  });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    sql,
    temporal,
    ...(config.WORKFLOW_BUNDLE ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE } } : {}),
    stackTraces: config.WORKER_STACK_TRACES === 'on',
    logger,
    tracing,
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
        log: (line) => logger.warn(line),
      })
    : null;
  if (!mailer)
    log('SMTP_URL is not set: notifications stay in the outbox table until a worker with SMTP_URL delivers them.');
  const done = worker.run().finally(async () => {
    await mailer?.stop();
    await connection.close();
    await clientConnection.close();
    await sql.end({ timeout: 5 });
    await tracing?.shutdown();
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
