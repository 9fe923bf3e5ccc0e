/**
 * The web pages, served by the API's own Hono app: sign-in through OpenID Connect, sessions,
 * the language switch, static assets, and one handler per page. Pages call the same command and
 * read-model functions as the API; a refusal comes back as the same HttpError, shown in words.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import type { ApiDeps } from '../api/deps';
import { createSession, endSession, findPersonForSignIn, startSignIn, takeSignIn } from '../db/web-sessions';
import type { WebOptions } from './config';
import { isLang, pickLang, speech } from './i18n';
import { oidcClient } from './oidc';
import { MessagePage } from './pages/message';
import { SignInPage } from './pages/sign-in';
import { boardRoutes } from './pages/board-routes';
import { complaintsRoutes } from './pages/complaints-routes';
import { oversightRoutes } from './pages/oversight-routes';
import { planRoutes } from './pages/plan-routes';
import { importRoutes } from './pages/import-routes';
import { adminRoutes } from './pages/admin-routes';
import { myTokensRoutes } from './pages/my-tokens-routes';
import { MAX_FILE_BYTES } from './directory-file';
import { resultsRoutes } from './pages/results-routes';
import { caseRoutes } from './pages/cases-routes';
import { escalationRoutes } from './pages/escalations';
import { proposalRoutes } from './pages/proposals';
import { tasksRoutes } from './pages/tasks-routes';
import { liveScoreRoutes } from './pages/evaluation-routes';
import { monthRoutes } from './pages/month-routes';
import { reviewRoutes } from './pages/review-routes';
import { selfAssessmentRoutes } from './pages/self-assessment-routes';
import {
  clearCookie,
  CSRF_FIELD,
  csrfMatches,
  hashSecret,
  loadSession,
  localPath,
  newSecret,
  SESSION_COOKIE,
  setSecretCookie,
  SIGN_IN_COOKIE,
  type WebEnv,
} from './session';

const require = createRequire(import.meta.url);
const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': {
    type: 'text/css; charset=utf-8',
    body: readFileSync(new URL('./assets/app.css', import.meta.url), 'utf8'),
  },
  'htmx.min.js': {
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'),
  },
};

export function webRoutes(deps: ApiDeps, web: WebOptions) {
  const oidc = web.oidc ? oidcClient(web.oidc) : null;
  const app = new Hono<WebEnv>();

  // Mounted after the API's routes, these run only for what the API does not answer; never for /v1.
  app.use('*', async (c, next) => {
    if (c.req.path.startsWith('/v1/')) return next();
    c.set('speech', speech(pickLang(getCookie(c, 'lang'), c.req.header('accept-language'))));
    await next();
    // A page shows one person's data: no shared cache keeps it, and the back button after sign-out asks again.
    if (!c.req.path.startsWith('/assets/')) c.header('cache-control', 'no-store');
  });
  app.get('/assets/:name', (c) => {
    const asset = ASSETS[c.req.param('name')];
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
  });
  app.get('/lang', (c) => {
    const to = c.req.query('to');
    if (isLang(to)) setCookie(c, 'lang', to, { path: '/', sameSite: 'Lax', maxAge: 365 * 86_400 });
    return c.redirect(localPath(c.req.query('back')), 303);
  });

  // A page's form is a few kilobytes; anything far larger is refused before it is read.
  const formLimit = bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('The form is too large.', 413) });
  // The directory file is the one upload: its own bound, a little over the file's for the form around it.
  const uploadLimit = bodyLimit({
    maxSize: MAX_FILE_BYTES + 64 * 1024,
    onError: (c) => c.text('The file is too large.', 413),
  });
  app.use('*', (c, next) =>
    c.req.path.startsWith('/v1/')
      ? next()
      : c.req.path === '/directory/import/preview'
        ? uploadLimit(c, next)
        : formLimit(c, next),
  );
  app.use('*', (c, next) => (c.req.path.startsWith('/v1/') ? next() : loadSession(deps.sql, web.idleSeconds)(c, next)));
  // Every write of a page carries its session's CSRF token; without it nothing is done.
  app.use('*', async (c, next) => {
    const session = c.get('session');
    if (c.req.method !== 'POST' || !session || c.req.path.startsWith('/v1/')) return next();
    // `all`, as the pages read it: Hono keeps the first parse of a body.
    const form = await c.req.parseBody({ all: true });
    if (!csrfMatches(session, form[CSRF_FIELD])) {
      const { t } = c.get('speech');
      return c.html(
        <MessagePage
          frame={{ speech: c.get('speech'), path: c.req.path, session: null }}
          title={t('app.name')}
          message={t('csrf.refused')}
        />,
        403,
      );
    }
    return next();
  });

  app.get('/', (c) => c.redirect(c.get('session') ? '/tasks' : '/sign-in', 303));
  app.get('/sign-in', (c) => {
    const { t } = c.get('speech');
    const reason = c.req.query('expired') ? t('signIn.expired') : c.req.query('out') ? t('signIn.signedOut') : null;
    return c.html(
      <SignInPage
        frame={{ speech: c.get('speech'), path: c.req.path, session: null }}
        message={reason}
        configured={oidc !== null}
        next={localPath(c.req.query('next'))}
      />,
    );
  });
  app.get('/auth/start', async (c) => {
    if (!oidc) return c.redirect('/sign-in', 303);
    const { url, pending } = await oidc.start(redirectUri(c, web), localPath(c.req.query('next')));
    const id = newSecret();
    await startSignIn(deps.sql, hashSecret(id), pending);
    setSecretCookie(c, SIGN_IN_COOKIE, id, 600);
    return c.redirect(url.href, 303);
  });
  app.get('/auth/callback', async (c) => {
    const { t } = c.get('speech');
    const refuse = (message: string, status: 401 | 403) =>
      c.html(
        <SignInPage
          frame={{ speech: c.get('speech'), path: '/sign-in', session: null }}
          message={message}
          configured={oidc !== null}
          next="/tasks"
        />,
        status,
      );
    const id = getCookie(c, SIGN_IN_COOKIE);
    clearCookie(c, SIGN_IN_COOKIE);
    const pending = id ? await takeSignIn(deps.sql, hashSecret(id)) : undefined;
    if (!oidc || !pending) return refuse(t('signIn.refused'), 401);
    let claims: { sub: string; email?: string };
    try {
      claims = await oidc.finish(callbackUrl(c, web), pending);
    } catch {
      return refuse(t('signIn.refused'), 401);
    }
    const personId = await findPersonForSignIn(deps.sql, claims);
    if (!personId) return refuse(t('signIn.unknownPerson'), 403);
    const sid = newSecret();
    await createSession(deps.sql, { idHash: hashSecret(sid), personId, csrf: newSecret() }, web.idleSeconds);
    // No max-age: the browser forgets it when closed, and the server ends it after the idle time.
    setSecretCookie(c, SESSION_COOKIE, sid);
    return c.redirect(pending.returnTo, 303);
  });
  app.post('/sign-out', async (c) => {
    const session = c.get('session');
    if (session) await endSession(deps.sql, session.idHash);
    clearCookie(c, SESSION_COOKIE);
    return c.redirect('/sign-in?out=1', 303);
  });

  app.route('/', tasksRoutes(deps));
  app.route('/', planRoutes(deps));
  app.route('/', selfAssessmentRoutes(deps));
  app.route('/', reviewRoutes(deps));
  app.route('/', liveScoreRoutes(deps));
  app.route('/', monthRoutes(deps));
  app.route('/', importRoutes(deps));
  app.route('/', adminRoutes(deps));
  app.route('/', boardRoutes(deps));
  app.route('/', resultsRoutes(deps));
  app.route('/', complaintsRoutes(deps));
  app.route('/', escalationRoutes(deps));
  app.route('/', caseRoutes(deps));
  app.route('/', proposalRoutes(deps));
  app.route('/', oversightRoutes(deps));
  app.route('/', myTokensRoutes(deps));
  return app;
}

const origin = (c: Context, web: WebOptions) => web.publicUrl?.replace(/\/$/, '') ?? new URL(c.req.url).origin;
const redirectUri = (c: Context, web: WebOptions) => `${origin(c, web)}/auth/callback`;
/** The provider's answer as the browser was sent to it, at the public origin. */
const callbackUrl = (c: Context, web: WebOptions) => {
  const here = new URL(c.req.url);
  return new URL(`${redirectUri(c, web)}${here.search}`);
};
