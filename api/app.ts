/**
 * The Hono application: auth on every /v1 route, idempotency on writes, one router per
 * resource, one error handler, and the OpenAPI document with a page to try it.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { ServiceError } from '@temporalio/client';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { databaseAnswers } from '../db/reachable';
import { createLogger, currentLogger, type Logger } from '../telemetry/log';
import { requireAuth, type AppEnv } from './auth';
import type { ApiDeps } from './deps';
import { mountDocsPage } from './docs-page';
import { errorBody, HttpError, zodDetails } from './errors';
import {
  authFailureLimit,
  DEFAULT_AUTH_FAILURE_LIMIT,
  limitBody,
  requireJson,
  roleGuard,
  type AuthFailureLimit,
} from './guards';
import { idempotency } from './idempotency';
import { methodAllowed, methodsByPath, withCommonAnswers } from './openapi';
import { createApiMetrics } from './metrics';
import { metricsAllowed, observe, remoteAddressOf } from './observability';
import { annualRoutes } from './routes/annual';
import { auditRoutes } from './routes/audit';
import { caseRoutes } from './routes/cases';
import { cycleRoutes } from './routes/cycles';
import { escalationRoutes } from './routes/escalations';
import { evaluationRoutes } from './routes/evaluations';
import { holidayRoutes } from './routes/holidays';
import { exportRoutes } from './routes/exports';
import { orgRoutes } from './routes/org';
import { proposalRoutes } from './routes/proposals';
import { targetRoutes } from './routes/targets';
import { reportRoutes } from './routes/reports';
import { DEFAULT_WEB } from '../web/config';
import { webRoutes } from '../web/routes';
import { tokenRoutes } from './routes/tokens';

export interface AppOptions {
  authFailureLimit?: AuthFailureLimit;
  /** The bearer token that lets a scraper off this host read `/metrics` (METRICS_TOKEN). */
  metricsToken?: string;
  /** Whether to make a server span per request: tracing is on in this process (telemetry/tracing.ts). */
  tracing?: boolean;
  /** Node's process metrics (heap, event loop, CPU) in `/metrics` too: once per process, not per test app. */
  processMetrics?: boolean;
}

export function createApp(
  deps: ApiDeps,
  logger: Logger = createLogger({ base: { service: 'api' } }),
  opts: AppOptions = {},
) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const details = zodDetails(result.error);
        throw new HttpError(
          400,
          `Invalid input: ${details.map((d) => `${d.field} (${d.message})`).join('; ')}.`,
          details,
        );
      }
    },
  });

  const documentConfig = {
    openapi: '3.1.0' as const,
    info: {
      title: 'Monthly evaluation engine (Hanoi model)',
      version: '1.0.0',
      description: 'See docs/api-guide.md: errors are {"error": {"code", "message", "details"}}.',
    },
    // Relative: the API is wherever this document was fetched from, behind whatever proxy.
    servers: [{ url: '/', description: 'The server that serves this document' }],
    security: [{ bearer: [] }],
  };

  const metrics = createApiMetrics(deps.sql, { processMetrics: opts.processMetrics });
  app.use('*', observe({ logger, metrics, tracing: opts.tracing ?? false }));
  app.use('*', secureHeaders());
  app.get('/metrics', async (c) => {
    if (!metricsAllowed(remoteAddressOf(c), c.req.header('authorization'), opts.metricsToken))
      throw new HttpError(
        403,
        'Metrics are served to the loopback address, or with the metrics token (METRICS_TOKEN).',
      );
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = { postgres: false, temporal: false };
    checks.postgres = await databaseAnswers(deps.sql);
    try {
      await deps.temporal.workflowService.getSystemInfo({});
      checks.temporal = true;
    } catch {
      // reported below
    }
    const ready = checks.postgres && checks.temporal;
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });

  app.use('/v1/*', authFailureLimit(opts.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT));
  app.use('/v1/*', requireAuth(deps.sql, deps.adminTokenHash));
  // Before the guards that read the body: a method the path does not take is a 405, whatever it sends.
  app.use('/v1/*', methodAllowed(methodsByPath(() => app.getOpenAPI31Document(documentConfig))));
  app.use('/v1/*', roleGuard());
  app.use('/v1/*', requireJson());
  app.use('/v1/*', limitBody());
  app.use('/v1/*', idempotency(deps.sql));
  // Downloads first: their paths end in `.pdf`/`.xlsx` where the JSON routes take an id or a period.
  app.route('/', exportRoutes(deps));
  app.route('/', reportRoutes(deps));
  app.route('/', orgRoutes(deps));
  app.route('/', holidayRoutes(deps));
  app.route('/', tokenRoutes(deps));
  app.route('/', cycleRoutes(deps));
  app.route('/', evaluationRoutes(deps));
  app.route('/', escalationRoutes(deps));
  app.route('/', annualRoutes(deps));
  app.route('/', caseRoutes(deps));
  app.route('/', proposalRoutes(deps));
  app.route('/', targetRoutes(deps));
  app.route('/', auditRoutes(deps));

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  app.get('/openapi.json', (c) => c.json(withCommonAnswers(app.getOpenAPI31Document(documentConfig))));
  mountDocsPage(app);
  // The web pages come last: their middleware then never runs for a route the API answers.
  app.route('/', webRoutes(deps, deps.web ?? DEFAULT_WEB));

  app.notFound((c) => c.json(errorBody(new HttpError(404, `No route ${c.req.method} ${c.req.path}.`)), 404));
  app.onError((err, c) => {
    if (err instanceof HttpError) return c.json(errorBody(err), err.status);
    if (err instanceof SyntaxError || (err instanceof HTTPException && err.status === 400)) {
      return c.json(
        errorBody(new HttpError(400, 'The body is not valid JSON.', [{ field: '(body)', rule: 'json' }])),
        400,
      );
    }
    const log = currentLogger(logger);
    if (err instanceof ServiceError) {
      log.warn({ err }, `Temporal unavailable on ${c.req.method} ${c.req.path}`);
      return c.json(
        errorBody(new HttpError(503, 'The workflow service is not reachable; nothing was changed. Try again shortly.')),
        503,
      );
    }
    log.error({ err }, `unhandled error on ${c.req.method} ${c.req.path}`);
    return c.json(
      errorBody(
        new HttpError(
          500,
          'Something went wrong on our side; nothing was changed by this request unless it says otherwise.',
        ),
      ),
      500,
    );
  });
  return app;
}
