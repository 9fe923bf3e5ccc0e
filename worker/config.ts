/**
 * Configuration from the environment, validated with zod at start-up so that a missing or bad
 * variable stops the process with a message naming it, not a stack trace an hour later.
 */
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
  TEMPORAL_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port, e.g. temporal.internal:7233').default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('evaluations'),
});

export const WorkerEnv = TemporalEnv.extend({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected smtp://host:port or smtps://user:pass@host:port').optional(),
  MAIL_FROM: z.string().min(3).default('Đánh giá cán bộ <no-reply@evaluation.local>'),
  HR_EMAIL: z.email().optional(),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  // The SDK's own default caches nearly every running workflow (GiBs at city scale); 600 kept a
  // 10,000-person month's worker under 1 GiB (bench/README.md).
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).default(600),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().optional(),
});
export type WorkerConfig = z.infer<typeof WorkerEnv>;

export const loadWorkerConfig = (env: NodeJS.ProcessEnv = process.env): WorkerConfig => parseEnv(WorkerEnv, env, 'worker');
