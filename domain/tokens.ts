/**
 * How long a bearer token lives. A token that never expires is a credential that outlives the
 * person's need for it, so every token the API issues has an expiry: the default when the
 * request names none, and never later than the maximum.
 */
import { fromMs, toMs } from './calendar';
import type { Issue } from './types';

const DAY_MS = 86_400_000;
/** A token's life when its request names no expiry. */
export const TOKEN_DEFAULT_DAYS = 90;
/** The longest life a token may be given. */
export const TOKEN_MAX_DAYS = 365;

/** A stored token's state: usable, past its expiry, or revoked. */
export type TokenStatus = 'active' | 'expired' | 'revoked';

/**
 * The expiry of a token issued at `now` (ms): the requested instant, or the default when none;
 * an issue naming `expiresAt` when it is not after `now` or past the maximum.
 */
export function tokenExpiry(now: number, requested: string | undefined): { expiresAt: string } | { issue: Issue } {
  if (requested === undefined) return { expiresAt: fromMs(now + TOKEN_DEFAULT_DAYS * DAY_MS) };
  const at = toMs(requested);
  if (at <= now)
    return { issue: { field: 'expiresAt', rule: 'future', message: 'A token must expire after it is issued.' } };
  if (at > now + TOKEN_MAX_DAYS * DAY_MS)
    return {
      issue: {
        field: 'expiresAt',
        rule: 'max-life',
        message: `A token lives at most ${TOKEN_MAX_DAYS} days.`,
      },
    };
  return { expiresAt: fromMs(at) };
}

/** A stored token's state at `now`: revocation wins over expiry; a null expiry never expires. */
export function tokenStatus(now: number, token: { expiresAt: string | null; revokedAt: string | null }): TokenStatus {
  if (token.revokedAt !== null) return 'revoked';
  if (token.expiresAt !== null && toMs(token.expiresAt) <= now) return 'expired';
  return 'active';
}
