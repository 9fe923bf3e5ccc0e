/** Stored answers of `Idempotency-Key` requests, per (actor, key); api/idempotency.ts says how they are used. */
import type { Sql } from './sql';

/** The status of a key reserved but not answered yet. */
export const IN_PROGRESS = 0;

export interface IdempotencyRequest {
  actor: string;
  key: string;
  method: string;
  path: string;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
  method: string;
  path: string;
}

/**
 * Reserves the key for this request: true when it now holds it, either freshly or by taking over
 * a reservation of the same request older than `staleSeconds` (its request died).
 */
export async function reserveIdempotencyKey(sql: Sql, req: IdempotencyRequest, staleSeconds: number): Promise<boolean> {
  const fresh = await sql`
    insert into idempotency (actor, key, method, path, status, body)
    values (${req.actor}, ${req.key}, ${req.method}, ${req.path}, ${IN_PROGRESS}, ${sql.json({})})
    on conflict (actor, key) do nothing returning key`;
  if (fresh.length > 0) return true;
  const taken = await sql`
    update idempotency set created_at = now()
    where actor = ${req.actor} and key = ${req.key} and method = ${req.method} and path = ${req.path} and status = ${IN_PROGRESS}
      and created_at < now() - make_interval(secs => ${staleSeconds})
    returning key`;
  return taken.length > 0;
}

export async function findStoredAnswer(sql: Sql, actor: string, key: string): Promise<StoredAnswer | undefined> {
  const [row] = await sql<
    StoredAnswer[]
  >`select status, body, method, path from idempotency where actor = ${actor} and key = ${key}`;
  return row;
}

export async function storeAnswer(sql: Sql, actor: string, key: string, status: number, body: unknown): Promise<void> {
  await sql`update idempotency set status = ${status}, body = ${sql.json(body as never)} where actor = ${actor} and key = ${key}`;
}

/** Frees a reservation that was never answered. */
export async function releaseIdempotencyKey(sql: Sql, actor: string, key: string): Promise<void> {
  await sql`delete from idempotency where actor = ${actor} and key = ${key} and status = ${IN_PROGRESS}`;
}
