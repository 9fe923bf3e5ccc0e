/**
 * The OpenAPI document the API serves: each route's own answers, plus those the middleware in
 * front of every /v1 route can give (a token refused, too many failed sign-ins, a body too large
 * or not JSON, a repeat still running, a dependency away), so a client and a fuzzer see every
 * status the API can answer.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './auth';
import { HttpError } from './errors';

type Document = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>;
type Responses = Record<string, unknown>;

const ERROR = { $ref: '#/components/schemas/Error' };
const error = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } });

/** What every /v1 route may answer before or beside its own work. */
const EVERY_ROUTE: Responses = {
  400: error('Invalid input: a parameter, the body or the Idempotency-Key header, each named in `details`'),
  401: error('No token, or one that is unknown, expired or revoked'),
  429: {
    ...error('Too many failed sign-ins from this address'),
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  },
  // Node's HTTP server answers it before the API sees the request, with no body.
  431: { description: 'The request line and headers exceed 16 KiB' },
  503: error('PostgreSQL or the workflow service did not answer in time; nothing was changed, retry'),
};

/** What a write may also answer: its Idempotency-Key may be held by a request still running. */
const EVERY_WRITE: Responses = {
  409: error('Wrong phase, or a request with the same Idempotency-Key is still running'),
};

/** What a route that reads a body may also answer. */
const EVERY_BODY: Responses = {
  413: error('The body is larger than the limit'),
  415: error('The body is not sent as application/json'),
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

export function withCommonAnswers(doc: Document): Document {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!path.startsWith('/v1/') || !item) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      // A route's own description of a status is more precise than the common one, so it wins.
      const all: Responses = {
        ...EVERY_ROUTE,
        ...(method === 'get' ? {} : EVERY_WRITE),
        ...(op.requestBody ? EVERY_BODY : {}),
        ...op.responses,
      };
      op.responses = Object.fromEntries(
        Object.keys(all)
          .sort()
          .map((status) => [status, all[status]]),
      ) as typeof op.responses;
    }
  }
  return doc;
}

/**
 * The methods each documented path takes, for a 405's `Allow`: read from the document once, on
 * the first request that needs it (the routes are all registered by then).
 */
export function methodsByPath(document: () => Document): (path: string) => string[] {
  let routes: { pattern: RegExp; methods: string[] }[] | undefined;
  return (path) => {
    routes ??= Object.entries(document().paths ?? {}).map(([template, item]) => ({
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      methods: METHODS.filter((m) => item?.[m]).map((m) => m.toUpperCase()),
    }));
    return routes.find((r) => r.pattern.test(path))?.methods ?? [];
  };
}

/** A method the path does not take is a 405 naming those it does; an unknown path goes on to the 404. */
export function methodAllowed(methodsOf: (path: string) => string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const methods = methodsOf(c.req.path);
    const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
    if (methods.length > 0 && !methods.includes(method)) {
      c.header('Allow', methods.join(', '));
      throw new HttpError(405, `${c.req.path} takes ${methods.join(', ')}, not ${c.req.method}.`);
    }
    await next();
  };
}
