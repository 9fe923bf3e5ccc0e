/**
 * Bearer-token authentication. Tokens are stored as SHA-256 hashes; the bootstrap admin token
 * comes from ADMIN_TOKEN and is compared by hash too, so no plain token is ever kept. An expired
 * or revoked token is refused like an unknown one (401), before anything runs; the bootstrap admin
 * token does not expire (it is replaced by changing ADMIN_TOKEN).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Sql } from '../db/sql';
import { findTokenHolder, type TokenHolder } from '../db/tokens';
import { ADMIN_ACTOR, ADMIN_ROLE, HR_ACTOR, HR_ROLE, TOKEN_ACTOR_PREFIX } from '../domain/actors';
import { tokenStatus } from '../domain/tokens';
import type { Role } from '../domain/types';
import type { Actor } from '../contracts/messages';
import { HttpError } from './errors';
import { iso } from './read-model';

export interface Caller extends Actor {
  /** The directory person behind the token; null for the bootstrap admin. */
  person: { id: string; unitId: string; role: Role } | null;
}

export type AppEnv = { Variables: { caller: Caller } };

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => randomBytes(24).toString('base64url');

export function requireAuth(sql: Sql, adminTokenHash: string): MiddlewareHandler<AppEnv> {
  const adminHash = Buffer.from(adminTokenHash, 'hex');
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new HttpError(401, 'Send "Authorization: Bearer <token>".');
    const hash = hashToken(match[1]);
    if (timingSafeEqual(Buffer.from(hash, 'hex'), adminHash)) {
      c.set('caller', { id: ADMIN_ACTOR, roles: [ADMIN_ROLE, HR_ROLE], person: null });
      return next();
    }
    const row = await findTokenHolder(sql, hash);
    if (!row) throw new HttpError(401, 'This token is not known.');
    const status = tokenStatus(Date.now(), { expiresAt: iso(row.expiresAt), revokedAt: iso(row.revokedAt) });
    if (status !== 'active')
      throw new HttpError(
        401,
        `Token ${row.id} ${status === 'revoked' ? 'was revoked' : 'has expired'}; ask for a new one.`,
      );
    c.set('caller', callerFor(row, hash));
    return next();
  };
}

/**
 * The caller a token (or a web session, which carries the same facts) acts as. A holder without a
 * person acts under an id made from `hash`, so its audit trail and idempotency keys are its own.
 */
export function callerFor(row: Pick<TokenHolder, 'personId' | 'roles' | 'unitId' | 'role'>, hash: string): Caller {
  const person =
    row.personId && row.unitId && row.role ? { id: row.personId, unitId: row.unitId, role: row.role } : null;
  return { id: row.personId ?? `${TOKEN_ACTOR_PREFIX}${hash.slice(0, 12)}`, roles: row.roles, person };
}

export const isAdmin = (c: Caller): boolean => c.roles.includes(ADMIN_ROLE);
/** HR rights come from the `hr` role alone; an admin token is for configuration (the bootstrap admin holds both). */
export const isHr = (c: Caller): boolean => c.roles.includes(HR_ROLE);

/** Whom the caller answers for in to-do lists and escalations: HR role holders for the `hr` rung of every ladder too. */
export const identities = (caller: Caller): string[] => (isHr(caller) ? [caller.id, HR_ACTOR] : [caller.id]);
