/**
 * GET /my-tokens and POST /my-tokens/{id}/revoke, for anyone signed in: their own tokens only,
 * read and revoked through the functions `GET` and `DELETE /v1/tokens` call (api/token-commands.ts).
 */
import { Hono, type Context } from 'hono';
import type { ApiDeps } from '../../api/deps';
import { HttpError } from '../../api/errors';
import { TokenIdParam } from '../../api/schemas';
import { revokeTokenAs, tokensFor } from '../../api/token-commands';
import { frameFor, requireSession } from '../frame';
import type { WebEnv, WebSession } from '../session';
import { MyTokensPage } from './my-tokens';

export function myTokensRoutes(deps: ApiDeps) {
  const render = async (
    c: Context<WebEnv>,
    session: WebSession,
    outcome: { error: string | null; revoked: string | null },
    status: 200 | 403 | 404 | 422 = 200,
  ) => {
    const frame = await frameFor(c, deps, session);
    const { tokens } = await tokensFor(deps.sql, session.caller, { limit: 100 }, true);
    return c.html(
      <MyTokensPage frame={frame} tokens={tokens} {...outcome} />,
      c.req.header('hx-request') ? 200 : status,
    );
  };

  return new Hono<WebEnv>()
    .get('/my-tokens', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      return render(c, session, { error: null, revoked: null });
    })
    .post('/my-tokens/:id/revoke', async (c) => {
      const session = requireSession(c);
      if (session instanceof Response) return session;
      const { t } = c.get('speech');
      const id = TokenIdParam.safeParse({ id: c.req.param('id') });
      if (!id.success) return render(c, session, { error: t('field.invalid'), revoked: null }, 422);
      try {
        await revokeTokenAs(deps.sql, session.caller, id.data.id, true);
      } catch (err) {
        if (!(err instanceof HttpError)) throw err;
        const status = err.status === 403 || err.status === 404 ? err.status : 422;
        return render(c, session, { error: t([`refusal.${err.status}`, 'refusal.other']), revoked: null }, status);
      }
      return render(c, session, { error: null, revoked: id.data.id });
    });
}
