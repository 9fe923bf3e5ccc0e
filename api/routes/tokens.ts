/**
 * Bearer tokens: an admin issues them (each with an expiry), everyone lists the tokens they may
 * see (an admin all, a person their own) and revokes one. A token is shown once, when issued; a
 * list shows its short id, never the token.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { findToken, listTokens, revokeToken, type TokenRow } from '../../db/tokens';
import { TOKEN_ACTOR_PREFIX } from '../../domain/actors';
import { tokenStatus } from '../../domain/tokens';
import { isAdmin, type AppEnv, type Caller } from '../auth';
import type { ApiDeps } from '../deps';
import { forbidden, notFound } from '../errors';
import { storeInstead } from '../idempotency';
import { issueToken } from '../admin-commands';
import { pagedOk, pageQuery, pageRequest } from '../pagination';
import { iso } from '../read-model';
import { err, ok } from '../route-docs';
import { TokenIdParam, TokenIssued, TokenRequest, TokenView } from '../schemas';

const TokenQuery = z.object({ ...pageQuery('tokens') });

function view(t: TokenRow): z.infer<typeof TokenView> {
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

const mayRevoke = (caller: Caller, token: TokenRow): boolean => {
  const scope = scopeOf(caller);
  if (scope === 'all') return true;
  return 'personId' in scope ? token.personId === scope.personId : token.id === scope.tokenId;
};

export function tokenRoutes(deps: ApiDeps) {
  const { sql } = deps;
  return new OpenAPIHono<AppEnv>()
    .openapi(
      createRoute({
        method: 'post',
        path: '/v1/tokens',
        operationId: 'issueToken',
        summary: 'Issue a token for a person or for roles (admin), with an expiry',
        request: { body: { content: { 'application/json': { schema: TokenRequest } }, required: true } },
        responses: {
          201: ok('The token, shown once', TokenIssued),
          400: err('Invalid input'),
          403: err('Not an admin'),
          404: err('Unknown person'),
          422: err('The expiry is not after now, or past the longest life (`details.rule`: future, max-life)'),
        },
      }),
      async (c) => {
        const { token, ...issued } = await issueToken(sql, c.get('caller'), c.req.valid('json'));
        // A repeat of this request answers without the token: the plain token is never stored, and minting another would leave two.
        storeInstead(c, {
          ...issued,
          message: `Token ${issued.tokenId} was issued by the first request with this Idempotency-Key; a token is shown only once.`,
        });
        return c.json({ token, ...issued }, 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/v1/tokens',
        operationId: 'listTokens',
        summary: "Tokens, newest first: an admin sees all, anyone else their own (never the token's secret)",
        request: { query: TokenQuery },
        responses: { 200: pagedOk('Tokens', 'tokens', TokenView), 400: err('Invalid input') },
      }),
      async (c) => {
        const { items, next } = await listTokens(sql, scopeOf(c.get('caller')), pageRequest(c.req.valid('query')));
        return c.json({ tokens: items.map(view), next }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/v1/tokens/{id}',
        operationId: 'revokeToken',
        summary: 'Revoke a token (an admin any, anyone else their own); revoking it again changes nothing',
        request: { params: TokenIdParam },
        responses: {
          200: ok('The token, revoked', TokenView),
          400: err('Invalid input'),
          403: err('Not your token'),
          404: err('Unknown token'),
        },
      }),
      async (c) => {
        const { id } = c.req.valid('param');
        const caller = c.get('caller');
        const token = await findToken(sql, id);
        if (!token) throw notFound(`There is no token ${id}.`);
        if (!mayRevoke(caller, token)) throw forbidden('Only an admin revokes the tokens of others.');
        const revoked = await revokeToken(sql, id, caller.id);
        return c.json(view(revoked!), 200);
      },
    );
}
