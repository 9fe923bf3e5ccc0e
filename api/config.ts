/** The API's configuration, validated at start-up (see worker/config.ts for the shared parts). */
import { z } from 'zod';
import { parseEnv, TemporalEnv } from '../worker/config';
import { WebEnv } from '../web/config';

export const ApiEnv = TemporalEnv.extend({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** 127.0.0.1 keeps a developer's API private; set 0.0.0.0 behind a load balancer. */
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'),
  ADMIN_TOKEN: z.string().min(16, 'the bootstrap admin token must be at least 16 characters'),
  /** Lets a scraper off this host read /metrics (`Authorization: Bearer …`); unset, only the loopback address may. */
  METRICS_TOKEN: z.string().min(16, 'the metrics token must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
}).extend(WebEnv.shape);
export type ApiConfig = z.infer<typeof ApiEnv>;

export const loadApiConfig = (env: NodeJS.ProcessEnv = process.env): ApiConfig => parseEnv(ApiEnv, env, 'API');
