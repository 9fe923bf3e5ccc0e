/**
 * `Idempotency-Key`: the first response to a (caller, key) is stored and replayed for every
 * repeat, so a client retrying after a timeout never acts twice. The key is reserved before the
 * request runs, so two concurrent retries cannot both act; it also becomes the Temporal update ID,
 * which covers a crash between the update and storing its answer.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Sql } from '../db/sql';
import type { AppEnv } from './auth';
import { badRequest, conflict } from './errors';

/** Reserved but not answered yet. */
const IN_PROGRESS = 0;
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

interface Stored {
  status: number;
  body: unknown;
  method: string;
  path: string;
}

export function idempotency(sql: Sql): MiddlewareHandler<AppEnv> {
  /** True when this request now holds the key: a fresh reservation, or one taken over from a dead request. */
  const reserve = async (actor: string, key: string, method: string, path: string): Promise<boolean> => {
    const fresh = await sql`
      insert into idempotency (actor, key, method, path, status, body)
      values (${actor}, ${key}, ${method}, ${path}, ${IN_PROGRESS}, ${sql.json({})})
      on conflict (actor, key) do nothing returning key`;
    if (fresh.length > 0) return true;
    const taken = await sql`
      update idempotency set created_at = now()
      where actor = ${actor} and key = ${key} and method = ${method} and path = ${path} and status = ${IN_PROGRESS}
        and created_at < now() - make_interval(secs => ${STALE_SECONDS})
      returning key`;
    return taken.length > 0;
  };

  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (!key || c.req.method === 'GET') return next();
    if (key.length > 200) throw badRequest('Idempotency-Key is at most 200 characters.', [{ field: 'Idempotency-Key', rule: 'too_big' }]);
    const actor = c.get('caller').id;
    if (!(await reserve(actor, key, c.req.method, c.req.path))) {
      const [seen] = await sql<Stored[]>`select status, body, method, path from idempotency where actor = ${actor} and key = ${key}`;
      // Released between the two statements by a request that failed on our side: its retry may run now.
      if (!seen) throw conflict('A request with this Idempotency-Key has just failed; retry it.', { phase: 'in-progress' });
      if (seen.method !== c.req.method || seen.path !== c.req.path) {
        throw badRequest('This Idempotency-Key was already used for another request.', [{ field: 'Idempotency-Key', rule: 'reused' }]);
      }
      if (seen.status === IN_PROGRESS) throw conflict('A request with this Idempotency-Key is still running; retry shortly.', { phase: 'in-progress' });
      return c.json(seen.body as object, seen.status as 200);
    }
    try {
      await next();
    } finally {
      // A failure on our side may be retried.
      const keep = c.res.status < 500 && !!c.res.headers.get('content-type')?.includes('application/json');
      if (keep) {
        const body = substitutes.has(c.req.raw) ? substitutes.get(c.req.raw) : await c.res.clone().json();
        await sql`update idempotency set status = ${c.res.status}, body = ${sql.json(body as never)} where actor = ${actor} and key = ${key}`;
      } else {
        release(actor, key);
      }
    }
  };

  /** Frees a reservation so the client's retry can run; while the database is away, keeps trying in the background. */
  function release(actor: string, key: string, attempt = 0): void {
    sql`delete from idempotency where actor = ${actor} and key = ${key} and status = ${IN_PROGRESS}`.catch(() => {
      if (attempt < 300) setTimeout(() => release(actor, key, attempt + 1), 1000).unref();
    });
  }
}

/** The Temporal update ID for a request: stable under retry when the client sent a key. */
export function updateIdFor(actorId: string, key: string | undefined): string | undefined {
  return key ? `${actorId}:${key}` : undefined;
}
