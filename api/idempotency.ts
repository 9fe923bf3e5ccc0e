/**
 * `Idempotency-Key`: the first response to a (caller, key) is stored and replayed for every
 * repeat, so a client retrying after a timeout never acts twice. The key also becomes the
 * Temporal update ID, which covers the window between the update and storing its answer.
 */
import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/sql';
import type { AppEnv } from './auth';
import { badRequest } from './errors';

export function idempotency(sql: Sql): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (!key || c.req.method === 'GET') return next();
    if (key.length > 200) throw badRequest('Idempotency-Key is at most 200 characters.', [{ field: 'Idempotency-Key', rule: 'too_big' }]);
    const actor = c.get('caller').id;
    const [seen] = await sql<{ status: number; body: unknown; method: string; path: string }[]>`
      select status, body, method, path from idempotency where actor = ${actor} and key = ${key}`;
    if (seen) {
      if (seen.method !== c.req.method || seen.path !== c.req.path) {
        throw badRequest('This Idempotency-Key was already used for another request.', [{ field: 'Idempotency-Key', rule: 'reused' }]);
      }
      return c.json(seen.body as object, seen.status as 200);
    }
    await next();
    if (c.res.status < 500 && c.res.headers.get('content-type')?.includes('application/json')) {
      const body = await c.res.clone().json();
      await sql`
        insert into idempotency (actor, key, method, path, status, body)
        values (${actor}, ${key}, ${c.req.method}, ${c.req.path}, ${c.res.status}, ${sql.json(body as never)})
        on conflict (actor, key) do nothing`;
    }
  };
}

/** The Temporal update ID for a request: stable under retry when the client sent a key. */
export function updateIdFor(actorId: string, key: string | undefined): string | undefined {
  return key ? `${actorId}:${key}` : undefined;
}
