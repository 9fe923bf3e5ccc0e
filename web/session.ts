/**
 * Sessions of the web pages: a random id in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` over
 * https), only its hash kept in PostgreSQL; it ends after the idle time or on sign-out. Each
 * session has a CSRF token that every form carries back; a write without it is refused.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { callerFor, type Caller } from '../api/auth';
import type { Sql } from '../db/sql';
import { touchSession } from '../db/web-sessions';
import type { Speech } from './i18n';

export const SESSION_COOKIE = 'sid';
export const SIGN_IN_COOKIE = 'signin';
export const CSRF_FIELD = '_csrf';

export interface WebSession {
  idHash: string;
  csrf: string;
  caller: Caller;
}

export type WebEnv = { Variables: { speech: Speech; session: WebSession | null; caller: Caller } };

export const newSecret = (): string => randomBytes(24).toString('base64url');
export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const isHttps = (c: Context): boolean =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

export function setSecretCookie(c: Context, name: string, value: string, maxAgeSeconds?: number): void {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: isHttps(c),
    path: '/',
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearCookie(c: Context, name: string): void {
  deleteCookie(c, name, { path: '/', secure: isHttps(c) });
}

/** Loads the session (null when absent or expired) and, when there is one, the caller it acts as. */
export function loadSession(sql: Sql, idleSeconds: number): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    const sid = getCookie(c, SESSION_COOKIE);
    const holder = sid ? await touchSession(sql, hashSecret(sid), idleSeconds) : undefined;
    if (holder) {
      const idHash = hashSecret(sid!);
      const session = { idHash, csrf: holder.csrf, caller: callerFor(holder, idHash) };
      c.set('session', session);
      c.set('caller', session.caller);
    } else {
      c.set('session', null);
    }
    await next();
  };
}

/** The CSRF token a form sent matches its session's. */
export function csrfMatches(session: WebSession, sent: unknown): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(session.csrf);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A path of this app to go back to after signing in (never another site). */
export function localPath(value: string | undefined): string {
  return value && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/tasks';
}
