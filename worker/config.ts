/**
 * Configuration from the environment, validated with zod at start-up so that a missing or bad
 * variable stops the process with a message naming it, not a stack trace an hour later.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

/** Parses `env` with `schema`, or throws one message listing every bad variable. */
export function parseEnv<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv, what: string): z.infer<T> {
  // An empty variable (`SMTP_URL=`) means unset, as shells and compose files write it.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`The ${what} cannot start; fix these environment variables:\n${lines.join('\n')}`);
}

export const TemporalEnv = z.object({
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'expected host:port, e.g. temporal.internal:7233')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('evaluations'),
});

export const WorkerEnv = TemporalEnv.extend({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'expected smtp://host:port or smtps://user:pass@host:port')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Đánh giá cán bộ <no-reply@evaluation.local>'),
  HR_EMAIL: z.email().optional(),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  // A bundle written by `npm run bundle:workflows`; without it the worker bundles the workflows
  // with webpack at start, which takes seconds and leaves webpack's memory in the process.
  WORKFLOW_BUNDLE: z
    .string()
    .refine((path) => existsSync(path), 'no such file; write it with `npm run bundle:workflows`')
    .optional(),
  // Unset: derived from the heap limit (defaultMaxCachedWorkflows).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().optional(),
  // Off: workflows keep no stack trace per promise, which saves about a third of a replay's CPU (docs/benchmarks.md);
  // on: the Temporal UI's stack-trace view works, for debugging where a workflow waits.
  WORKER_STACK_TRACES: z.enum(['on', 'off']).default('off'),
  // Where the Temporal SDK serves its metrics for Prometheus; unset, it serves none (`npm run dev` sets 127.0.0.1:9464).
  WORKER_METRICS_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'expected host:port, e.g. 0.0.0.0:9464')
    .optional(),
});
export type WorkerConfig = z.infer<typeof WorkerEnv>;

/**
 * The V8 heap limit `npm run worker` starts the worker with (`--max-old-space-size`, in MiB). It
 * applies to each isolate, so the workflow thread, where the cached workflows live, gets it too;
 * with it the 10,000-person month's worker stays under 1 GiB (docs/benchmarks.md).
 */
export const WORKER_HEAP_MB = 384;

/**
 * glibc's malloc arenas `npm run worker` allows the worker (`MALLOC_ARENA_MAX`, unless already set).
 * The worker allocates native memory from many threads (its workflow thread, the SDK's Rust core,
 * libuv's pool), and glibc's default of eight arenas per core left it fragmented: at 10,000 people
 * the worker peaked at 1038 MiB with the default and 945 MiB with 2 (docs/benchmarks.md).
 */
export const WORKER_MALLOC_ARENAS = 2;

/**
 * Measured live heap of one cached evaluation with its cycle's share: 92 KiB with stack traces off
 * and the domain modules shared (104–111 with a copy of them per workflow, 140 with stack traces
 * on; docs/benchmarks.md); 108 leaves some slack.
 */
const CACHED_WORKFLOW_KIB = 108;
/** Heap kept for the bundle, activities, garbage between collections. */
const HEAP_RESERVE_MIB = 256;

/**
 * How many workflows to keep cached in a heap of `heapLimitMiB`: as many as fit beside the
 * reserve. (The SDK's own default assumes 1.7 MiB per workflow, ten times what ours cost.)
 */
export function defaultMaxCachedWorkflows(heapLimitMiB: number): number {
  return Math.max(100, Math.floor(((heapLimitMiB - HEAP_RESERVE_MIB) * 1024) / CACHED_WORKFLOW_KIB));
}

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig =>
  parseEnv(WorkerEnv, env, 'worker');
