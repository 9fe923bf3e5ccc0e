/**
 * Builds a worker for the evaluation task queue with its activities wired to Postgres; shared by
 * the production entry point, `npm run dev`, the tests and the benchmark.
 */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Sql } from '../db/sql';
import { TASK_QUEUE } from '../contracts/messages';
import { silentLogger, type Logger } from '../telemetry/log';
import { activityLogging } from '../telemetry/request-id';
import { temporalTracingPlugin, tracedSql, type Tracing } from '../telemetry/tracing';
import { WORKFLOWS_PATH, workflowBundlerOptions, workflowInterceptorModules } from './bundle';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  sql: Sql;
  /** Lets the monthly opener start cycles. */
  temporal?: Client;
  taskQueue?: string;
  /** Tuning that the benchmark measured; see docs/benchmarks.md. */
  tuning?: Pick<
    WorkerOptions,
    'maxCachedWorkflows' | 'maxConcurrentWorkflowTaskExecutions' | 'maxConcurrentActivityTaskExecutions'
  >;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The workflows to bundle when no bundle is given: production's by default. */
  workflowsPath?: string;
  /**
   * Whether workflows keep a stack trace for each promise, for the stack-trace query (the Temporal
   * UI's view of where a workflow waits). Off by default: capturing them is about a third of what a
   * replay costs (docs/benchmarks.md).
   */
  stackTraces?: boolean;
  /** The activities' logger (each activity's lines carry its request ID, workflow and type); silent when absent. */
  logger?: Logger;
  /** Traces workflows and activities into this (telemetry/tracing.ts); no tracing when absent. */
  tracing?: Tracing | null;
}

/**
 * Sets whether the SDK's workflow threads started from now on keep per-promise stack traces. They
 * read it as they start, which Worker.create does (our patch of @temporalio/worker, patches/); a
 * thread keeps the value it started with. The setting is the process's: create workers with
 * different settings one after the other.
 */
export function setWorkflowStackTraces(on: boolean): void {
  process.env.TEMPORAL_WORKFLOW_STACK_TRACES = on ? 'on' : 'off';
}

export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  setWorkflowStackTraces(opts.stackTraces ?? false);
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: opts.workflowsPath ?? WORKFLOWS_PATH, bundlerOptions: workflowBundlerOptions() }),
    activities: createActivities({
      sql: opts.tracing ? tracedSql(opts.sql) : opts.sql,
      temporal: opts.temporal,
      taskQueue: opts.taskQueue ?? TASK_QUEUE,
    }),
    interceptors: {
      activity: [activityLogging(opts.logger ?? silentLogger)],
      // With a prebuilt bundle the SDK takes the interceptor modules from the bundle (worker/bundle.ts).
      ...(opts.workflowBundle ? {} : { workflowModules: workflowInterceptorModules() }),
    },
    plugins: opts.tracing ? [temporalTracingPlugin(opts.tracing)] : [],
    ...opts.tuning,
  });
}
