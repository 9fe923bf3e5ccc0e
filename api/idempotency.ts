/**
 * `Idempotency-Key`: the first response to a (caller, key) is stored and replayed for every
 * repeat, so a client retrying after a timeout never acts twice. The key is reserved before the
 * request runs, so two concurrent retries cannot both act; it also becomes the Temporal update ID,
 * which covers a crash between the update and storing its answer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import {
  findStoredAnswer,
  IN_PROGRESS,
  releaseIdempotencyKey,
  reserveIdempotencyKey,
  storeAnswer,
} from '../db/idempotency';
import type { Sql } from '../db/sql';
import type { AppEnv } from './auth';
import { badRequest, conflict } from './errors';

/** Longer than any request runs: a reservation this old belongs to a request that died with its process or its database. */
const STALE_SECONDS = 90;

/**
 * What a route asked to keep in place of its answer, for the few answers that must not be stored
 * as given (a new token, a secret ballot's outcome as its closing voter saw it). Keyed by the
 * request so a route needs no context variable of the app's type.
 */
const substitutes = new WeakMap<Request, unknown>();

/** Stores `body` (with the answer's status) for repeats of this request instead of the answer itself. */
export function storeInstead(c: Context, body: object): void {
  substitutes.set(c.req.raw, body);
}

export function idempotency(sql: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (!key || c.req.method === 'GET') return next();
    if (key.length > 200)
      throw badRequest('Idempotency-Key is at most 200 characters.', [{ field: 'Idempotency-Key', rule: 'too_big' }]);
    const actor = c.get('caller').id;
    // Held when reserved freshly or taken over from a dead request.
    if (!(await reserveIdempotencyKey(sql, { actor, key, method: c.req.method, path: c.req.path }, STALE_SECONDS))) {
      const seen = await findStoredAnswer(sql, actor, key);
      // Released between the two statements by a request that failed on our side: its retry may run now.
      if (!seen)
        throw conflict('A request with this Idempotency-Key has just failed; retry it.', { phase: 'in-progress' });
      if (seen.method !== c.req.method || seen.path !== c.req.path) {
        throw badRequest('This Idempotency-Key was already used for another request.', [
          { field: 'Idempotency-Key', rule: 'reused' },
        ]);
      }
      if (seen.status === IN_PROGRESS)
        throw conflict('A request with this Idempotency-Key is still running; retry shortly.', {
          phase: 'in-progress',
        });
      return c.json(seen.body as object, seen.status as 200);
    }
    try {
      await next();
    } finally {
      // A failure on our side may be retried.
      const keep = c.res.status < 500 && !!c.res.headers.get('content-type')?.includes('application/json');
      if (keep) {
        const body = substitutes.has(c.req.raw) ? substitutes.get(c.req.raw) : await c.res.clone().json();
        await storeAnswer(sql, actor, key, c.res.status, body);
      } else {
        release(actor, key);
      }
    }
  };

  /** Frees a reservation so the client's retry can run; while the database is away, keeps trying in the background. */
  function release(actor: string, key: string, attempt = 0): void {
    releaseIdempotencyKey(sql, actor, key).catch(() => {
      if (attempt < 300) setTimeout(() => release(actor, key, attempt + 1), 1000).unref();
    });
  }
}

/** The Temporal update ID for a request: stable under retry when the client sent a key. */
export function updateIdFor(actorId: string, key: string | undefined): string | undefined {
  return key ? `${actorId}:${key}` : undefined;
}
