/**
 * What an operator sees of each HTTP request: its request ID (the caller's `X-Request-Id` when
 * sane, else a new one, echoed in the answer and carried into Temporal), one JSON log line, the
 * request count and latency by route pattern and status for `/metrics`, and, when tracing is on,
 * a server span that the Temporal client's spans join.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { HTTP_REQUEST_ID, SANE_REQUEST_ID } from '../contracts/headers';
import { logContext, type Logger } from '../telemetry/log';
import { requestIdContext } from '../telemetry/request-id';
import type { ApiMetrics } from './metrics';

/** The route pattern that answered (`/v1/cycles/{unitId}/{period}`), or `unmatched`: a bounded label. */
export function routeOf(c: Context): string {
  const handlers = matchedRoutes(c).filter((r) => r.method !== 'ALL');
  const last = handlers[handlers.length - 1];
  return last ? last.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}') : 'unmatched';
}

/** The caller's request ID when it is one (bounded, safe to log), else a fresh one. */
export const requestIdFor = (incoming: string | undefined): string =>
  incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();

const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

export interface ObservabilityOptions {
  logger: Logger;
  metrics: ApiMetrics;
  /** Whether to make a server span per request (tracing is on in this process). */
  tracing: boolean;
}

export function observe(opts: ObservabilityOptions): MiddlewareHandler {
  const tracer = trace.getTracer('hanoi-eval-api');
  return async (c, next) => {
    const requestId = requestIdFor(c.req.header(HTTP_REQUEST_ID));
    const log = opts.logger.child({ requestId });
    const started = performance.now();
    const handle = () => requestIdContext.run(requestId, () => logContext.run(log, next));
    if (opts.tracing) {
      const parent = propagation.extract(context.active(), Object.fromEntries(c.req.raw.headers));
      // Named by its route pattern once it is known; the raw path would make every ID a span name.
      await tracer.startActiveSpan(
        c.req.method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': c.req.method, 'request.id': requestId } },
        parent,
        async (span) => {
          try {
            await handle();
          } finally {
            const route = routeOf(c);
            span.updateName(`${c.req.method} ${route}`);
            span.setAttributes({ 'http.route': route, 'http.response.status_code': c.res.status });
            if (c.res.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          }
        },
      );
    } else {
      await handle();
    }
    c.res.headers.set(HTTP_REQUEST_ID, requestId);
    const route = routeOf(c);
    const seconds = (performance.now() - started) / 1000;
    opts.metrics.observeRequest(c.req.method, route, c.res.status, seconds);
    // Probes and scrapes come every few seconds: their lines only at debug, unless they fail.
    const routine = PROBES.has(route) && c.res.status < 400;
    log[routine ? 'debug' : 'info'](
      { method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) },
      `${c.req.method} ${route} ${c.res.status}`,
    );
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may read `/metrics`: a scraper on this host (the loopback address) without a token, anyone
 * else only with the bearer METRICS_TOKEN; with no METRICS_TOKEN set, only the loopback address.
 */
export function metricsAllowed(
  remoteAddress: string | undefined,
  authorization: string | undefined,
  metricsToken: string | undefined,
): boolean {
  if (remoteAddress !== undefined && LOOPBACK.test(remoteAddress)) return true;
  if (!metricsToken || !authorization?.startsWith('Bearer ')) return false;
  const given = Buffer.from(authorization.slice('Bearer '.length));
  const expected = Buffer.from(metricsToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The caller's address, when the app runs behind @hono/node-server (undefined in-process). */
export function remoteAddressOf(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
