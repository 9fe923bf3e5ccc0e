/**
 * Starting while PostgreSQL is away (a restart, a failover, a database that comes up after the
 * worker) waits for it instead of exiting: a worker that exits then needs a supervisor to come
 * back, and one that cannot start at all leaves every workflow without a worker.
 * p-retry keeps the backoff; this module only says which failures are worth waiting out.
 */
import pRetry, { AbortError } from 'p-retry';
import { migrate } from './migrate';
import type { Sql } from './sql';

/** Socket-level failures (node and postgres.js codes): the server is not there or went away. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
]);

/**
 * SQLSTATEs of a server that is there but not serving yet: class 08 (connection exception) but
 * 08P01 (a protocol violation does not clear by waiting), 53300 (too many connections: others
 * will close), 57P01–57P03 (shut down by an administrator, crash shutdown, cannot connect now:
 * starting up or recovering). Our own pool ended (CONNECTION_ENDED, _DESTROYED) is not waited out.
 */
const SERVER_NOT_READY = /^(08(?!P01)...|53300|57P0[123])$/;

/** True when waiting may help: the database is unreachable or still starting, not misconfigured. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return NETWORK_CODES.has(code) || SERVER_NOT_READY.test(code);
}

export interface WaitOptions {
  /** How long to keep starting new attempts (default two minutes; one attempt may run past it). */
  maxWaitMs?: number;
  /** First delay between attempts; doubles up to `maxDelayMs` (defaults 500 ms and 5 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  log?: (line: string) => void;
}

/**
 * Applies pending migrations once PostgreSQL answers, waiting out an unreachable or starting
 * server with a line per attempt. A wrong password, a missing database or a failing migration is
 * not waited out: it throws at once.
 */
export async function migrateWhenReachable(sql: Sql, opts: WaitOptions = {}): Promise<string[]> {
  const maxWaitMs = opts.maxWaitMs ?? 120_000;
  const minDelayMs = opts.minDelayMs ?? 500;
  const maxDelayMs = opts.maxDelayMs ?? 5000;
  const started = Date.now();
  return pRetry(
    async () => {
      try {
        return await migrate(sql);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw new AbortError(err instanceof Error ? err : String(err));
        throw err;
      }
    },
    {
      retries: Infinity,
      maxRetryTime: maxWaitMs,
      minTimeout: minDelayMs,
      maxTimeout: maxDelayMs,
      onFailedAttempt: ({ error, attemptNumber }) => {
        const code = (error as { code?: string }).code ?? error.message;
        // p-retry gives up once the wait has used its time; otherwise it waits the doubling delay.
        const left = maxWaitMs - (Date.now() - started);
        const retryDelay = left <= 0 ? 0 : Math.min(minDelayMs * 2 ** (attemptNumber - 1), maxDelayMs);
        if (retryDelay > 0)
          opts.log?.(
            `PostgreSQL is not reachable (${code}, attempt ${attemptNumber}); trying again in ${(retryDelay / 1000).toFixed(1)} s`,
          );
        // One attempt can outlast the bound (a connect timeout), so say how long it really was.
        else
          opts.log?.(
            `PostgreSQL is still not reachable (${code}) after ${Math.round((Date.now() - started) / 1000)} s; giving up`,
          );
      },
    },
  );
}

/** Whether the database answers a query now (readiness). */
export async function databaseAnswers(sql: Sql): Promise<boolean> {
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  }
}
