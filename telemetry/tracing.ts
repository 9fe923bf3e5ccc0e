/**
 * OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then the process
 * registers a tracer provider that exports over OTLP (HTTP), and the API, the Temporal client,
 * the workflows and the activities make spans of one trace (the interceptors of
 * @temporalio/interceptors-opentelemetry carry it through Temporal's headers). Off, nothing is
 * registered, no span is made and the workflow bundle carries no tracing code.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import type { Sql } from '../db/sql';

export interface Tracing {
  /** Hands the spans to their exporter; the worker gives it the workflows' spans too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes what is buffered and stops exporting. */
  shutdown: () => Promise<void>;
}

/** The process's tracing once started: the provider is global, so `npm run dev`'s worker and API share one. */
let started: Tracing | null = null;

/**
 * Starts tracing for `service` when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or a test hands in its
 * own span processor), registering the provider as the process's; null when tracing is off. A
 * second call in the same process returns the first one's.
 */
export function startTracing(
  service: string,
  opts: { env?: NodeJS.ProcessEnv; spanProcessor?: SpanProcessor } = {},
): Tracing | null {
  const env = opts.env ?? process.env;
  if (started) return started;
  if (!opts.spanProcessor && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  // The OTLP exporter reads the endpoint, headers and timeout from the standard OTEL_* variables.
  const spanProcessor = opts.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? service });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  let stopping: Promise<void> | undefined;
  started = { spanProcessor, resource, shutdown: () => (stopping ??= provider.shutdown()) };
  return started;
}

/** The Temporal plugin that traces client calls, workflows and activities into `tracing`. */
export const temporalTracingPlugin = (tracing: Tracing) =>
  new OpenTelemetryPlugin({ spanProcessor: tracing.spanProcessor, resource: tracing.resource });

/**
 * `sql` with a span around each transaction (`sql.begin`), a child of the activity's span: the
 * activities write every snapshot in one transaction, so the trace shows the time in PostgreSQL.
 * Single queries outside a transaction are not traced: postgres.js builds them lazily and reuses
 * the same call for fragments, so there is no one place where a query starts and ends.
 */
export function tracedSql(sql: Sql): Sql {
  const tracer = trace.getTracer('hanoi-eval-db');
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop !== 'begin') return Reflect.get(target, prop, receiver);
      return (...args: unknown[]) =>
        tracer.startActiveSpan(
          'postgres transaction',
          { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.operation': 'transaction' } },
          async (span) => {
            try {
              return await (target.begin as (...a: unknown[]) => Promise<unknown>)(...args);
            } catch (err) {
              span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
              throw err;
            } finally {
              span.end();
            }
          },
        );
    },
  });
}
