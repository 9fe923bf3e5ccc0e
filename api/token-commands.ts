/**
 * The token list and revocation, shared by `GET`/`DELETE /v1/tokens` and the web pages: an admin
 * sees and revokes every token, anyone else their own (a person-less token itself). A list shows a
 * token's short id and status, never its secret.
 */
import type { z } from '@hono/zod-openapi';
import { findToken, listTokens, revokeToken, type TokenRow } from '../db/tokens';
import { TOKEN_ACTOR_PREFIX } from '../domain/actors';
import { tokenStatus } from '../domain/tokens';
import { isAdmin, type Caller } from './auth';
import type { ApiDeps } from './deps';
import { forbidden, notFound } from './errors';
import type { PageRequest } from '../db/pagination';
import { iso } from './read-model';
import type { TokenView } from './schemas';

export function tokenView(t: TokenRow): z.infer<typeof TokenView> {
  const shown = { ...t, createdAt: iso(t.createdAt)!, expiresAt: iso(t.expiresAt), revokedAt: iso(t.revokedAt) };
  return { ...shown, status: tokenStatus(Date.now(), shown) };
}

/**
 * The tokens a caller sees: all for an admin, else their person's (by the caller's id, so a person
 * who has left the directory still sees theirs), or for a person-less token itself.
 */
function scopeOf(caller: Caller): { personId: string } | { tokenId: string } | 'all' {
  if (isAdmin(caller)) return 'all';
  if (caller.id.startsWith(TOKEN_ACTOR_PREFIX)) return { tokenId: caller.id.slice(TOKEN_ACTOR_PREFIX.length) };
  return { personId: caller.id };
}

const mayRevoke = (caller: Caller, token: TokenRow, own: boolean): boolean => {
  const scope = scopeOf(own ? { ...caller, roles: [] } : caller);
  if (scope === 'all') return true;
  return 'personId' in scope ? token.personId === scope.personId : token.id === scope.tokenId;
};

/** A page of the tokens `caller` may see, newest first; `own` narrows an admin to their own. */
export async function tokensFor(sql: ApiDeps['sql'], caller: Caller, page: PageRequest, own = false) {
  const { items, next } = await listTokens(sql, scopeOf(own ? { ...caller, roles: [] } : caller), page);
  return { tokens: items.map(tokenView), next };
}

/** Revokes a token the caller may revoke (with `own`, only their own); revoking it again changes nothing. */
export async function revokeTokenAs(sql: ApiDeps['sql'], caller: Caller, id: string, own = false) {
  const token = await findToken(sql, id);
  if (!token) throw notFound(`There is no token ${id}.`);
  if (!mayRevoke(caller, token, own)) throw forbidden('Only an admin revokes the tokens of others.');
  return tokenView((await revokeToken(sql, id, caller.id))!);
}
