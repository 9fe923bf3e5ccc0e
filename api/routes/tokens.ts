/**
 * Bearer tokens: an admin issues them (each with an expiry), everyone lists the tokens they may
 * see (an admin all, a person their own) and revokes one. A token is shown once, when issued; a
 * list shows its short id, never the token.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../auth';
import type { ApiDeps } from '../deps';
import { storeInstead } from '../idempotency';
import { issueToken } from '../admin-commands';
import { pagedOk, pageQuery, pageRequest } from '../pagination';
import { revokeTokenAs, tokensFor } from '../token-commands';
import { err, ok } from '../route-docs';
import { TokenIdParam, TokenIssued, TokenRequest, TokenView } from '../schemas';

const TokenQuery = z.object({ ...pageQuery('tokens') });

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
        return c.json(await tokensFor(sql, c.get('caller'), pageRequest(c.req.valid('query'))), 200);
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
        return c.json(await revokeTokenAs(sql, c.get('caller'), c.req.valid('param').id), 200);
      },
    );
}
