/**
 * What every /v1 request passes before a route reads its body: a limit on failed sign-ins, the
 * rights that depend on the caller's role alone, a JSON media type and a body size limit.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { isAdmin, isHr, type AppEnv, type Caller } from './auth';
import { HttpError } from './errors';

/** The largest body a request may carry; the directory upload has its own, {@link DIRECTORY_BODY_LIMIT}. */
export const BODY_LIMIT = 1024 * 1024;
/** A whole city's directory (hundreds of thousands of people) fits. */
export const DIRECTORY_BODY_LIMIT = 64 * 1024 * 1024;

export interface AuthFailureLimit {
  /** Failed sign-ins one address may make in `seconds` before it is answered 429. */
  failures: number;
  seconds: number;
}

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { failures: 60, seconds: 60 };

function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Served without Node's server (app.fetch in a test): every caller shares one bucket.
    return 'unknown';
  }
}

/**
 * Counts the requests that present an unknown token, per address, and answers 429 with
 * `Retry-After` once an address has spent its allowance, so tokens cannot be guessed at speed.
 */
export function authFailureLimit(limit: AuthFailureLimit): MiddlewareHandler<AppEnv> {
  const limiter = new RateLimiterMemory({ points: limit.failures, duration: limit.seconds });
  return async (c, next) => {
    const address = clientAddress(c);
    const spent = await limiter.get(address);
    if (spent && spent.consumedPoints >= limit.failures) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(spent.msBeforeNext / 1000))));
      throw new HttpError(429, 'Too many failed sign-ins from this address; wait before trying again.');
    }
    await next();
    // A request with no token at all is not a guess; one with a token we do not know is.
    if (c.res.status === 401 && c.req.header('authorization')) await limiter.penalty(address, 1);
  };
}

type Guard = { method: string; path: RegExp; allowed: (caller: Caller) => boolean; message: string };

const hrOrAdmin = (c: Caller) => isHr(c) || isAdmin(c);

/**
 * Routes whose right depends on the caller's role alone: refused before the body is parsed, so a
 * caller without the right learns nothing from validation and costs nothing to parse. This table
 * is the only place those rights are checked; the handlers do not check them again.
 */
const ROLE_GUARDS: Guard[] = [
  {
    method: 'GET',
    path: /^\/v1\/audit(?:\/export(?:\.xlsx)?)?$/,
    allowed: hrOrAdmin,
    message: 'Only HR or an admin reads the audit trail.',
  },
  { method: 'PUT', path: /^\/v1\/org$/, allowed: hrOrAdmin, message: 'Only an admin or HR changes the directory.' },
  { method: 'POST', path: /^\/v1\/tokens$/, allowed: isAdmin, message: 'Only an admin issues tokens.' },
  {
    method: 'POST',
    path: /^\/v1\/units\/targets\/import$/,
    allowed: hrOrAdmin,
    message: "Only HR imports units' targets.",
  },
  { method: 'PUT', path: /^\/v1\/holidays$/, allowed: isAdmin, message: 'Only an admin manages holidays.' },
  { method: 'POST', path: /^\/v1\/people\/[^/]+\/discipline$/, allowed: isHr, message: 'Only HR records discipline.' },
  { method: 'POST', path: /^\/v1\/people\/[^/]+\/leave$/, allowed: isHr, message: 'Only HR records leave.' },
  {
    method: 'POST',
    path: /^\/v1\/people\/[^/]+\/confidence-votes$/,
    allowed: isHr,
    message: 'Only HR records confidence votes.',
  },
  {
    method: 'PUT',
    path: /^\/v1\/cycles\/[^/]+\/[^/]+\/deadlines$/,
    allowed: isAdmin,
    message: 'Only an admin overrides deadlines.',
  },
  { method: 'POST', path: /^\/v1\/cases$/, allowed: isHr, message: 'Only HR opens cases.' },
  { method: 'POST', path: /^\/v1\/cases\/[^/]+\/proposal$/, allowed: isHr, message: 'Only HR puts the proposal.' },
  { method: 'GET', path: /^\/v1\/proposals$/, allowed: isHr, message: 'Only HR sees and decides automatic proposals.' },
  {
    method: 'POST',
    path: /^\/v1\/proposals\/(?:[^/]+\/dismiss|scan)$/,
    allowed: isHr,
    message: 'Only HR sees and decides automatic proposals.',
  },
];

export function roleGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const guard = ROLE_GUARDS.find((g) => g.method === c.req.method && g.path.test(c.req.path));
    if (guard && !guard.allowed(c.get('caller'))) throw new HttpError(403, guard.message);
    await next();
  };
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** A write must say it sends JSON: anything else is 415, before its body is read. */
export function requireJson(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'POST' || c.req.method === 'PUT' || c.req.method === 'PATCH') {
      const type = c.req.header('content-type') ?? '';
      if (!JSON_TYPE.test(type)) {
        throw new HttpError(
          415,
          `Send the body as JSON with "Content-Type: application/json"${type ? `, not ${type.slice(0, 100)}` : ''}.`,
          [{ field: 'Content-Type', rule: 'media-type' }],
        );
      }
    }
    await next();
  };
}

/** 413 past the body limit, whether or not the client announced its length. */
export function limitBody(): MiddlewareHandler<AppEnv> {
  const tooLarge = (max: number) => () => {
    throw new HttpError(413, `The body is larger than ${max / (1024 * 1024)} MiB.`, [
      { field: '(body)', rule: 'too-large', max },
    ]);
  };
  const normal = bodyLimit({ maxSize: BODY_LIMIT, onError: tooLarge(BODY_LIMIT) });
  const directory = bodyLimit({ maxSize: DIRECTORY_BODY_LIMIT, onError: tooLarge(DIRECTORY_BODY_LIMIT) });
  return (c, next) => (c.req.path === '/v1/org' ? directory(c, next) : normal(c, next));
}
