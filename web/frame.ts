/** What every signed-in page needs before it renders: the session, or a way to sign in; the header's facts. */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { identities } from '../api/auth';
import type { ApiDeps } from '../api/deps';
import { taskCountFor } from '../api/read-model';
import { personName } from '../db/web-sessions';
import type { Frame } from './layout';
import { SESSION_COOKIE, type WebEnv, type WebSession } from './session';

/** The frame of a signed-in page: who, and how many tasks wait for them. */
export async function frameFor(
  c: Context<WebEnv>,
  deps: ApiDeps,
  session: WebSession,
): Promise<Frame & { session: WebSession }> {
  const [name, taskCount] = await Promise.all([
    personName(deps.sql, session.caller.id),
    taskCountFor(deps.sql, identities(session.caller)),
  ]);
  return { speech: c.get('speech'), path: c.req.path, session, me: { name: name ?? session.caller.id, taskCount } };
}

/** The session of a signed-in request, or a response sending the reader to sign in (nothing done). */
export function requireSession(c: Context<WebEnv>): WebSession | Response {
  const session = c.get('session');
  if (session) return session;
  const next = encodeURIComponent(c.req.method === 'GET' ? c.req.path : '/tasks');
  const expired = getCookie(c, SESSION_COOKIE) ? '&expired=1' : '';
  const to = `/sign-in?next=${next}${expired}`;
  if (c.req.header('hx-request')) return c.body(null, 401, { 'HX-Redirect': to });
  return c.redirect(to, 303);
}
