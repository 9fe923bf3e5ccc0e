/**
 * OpenTelemetry traces, off unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set: then the process
 * registers a tracer provider that exports over OTLP (HTTP), and the API, the Temporal client,
 * the workflows and the activities make spans of one trace (the interceptors of
 * @temporalio/interceptors-opentelemetry carry it through Temporal's headers). Off, nothing is
 * registered, no span is made and the workflow bundle carries no tracing code.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';

export interface Tracing {
  /** Hands the spans to their exporter; the worker gives it the workflows' spans too. */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes what is buffered and stops exporting. */
  shutdown: () => Promise<void>;
}

/**
 * Starts tracing for `service` when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or a test hands in its
 * own span processor), registering the provider as the process's; null when tracing is off.
 */
export function startTracing(
  service: string,
  opts: { env?: NodeJS.ProcessEnv; spanProcessor?: SpanProcessor } = {},
): Tracing | null {
  const env = opts.env ?? process.env;
  if (!opts.spanProcessor && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  // The OTLP exporter reads the endpoint, headers and timeout from the standard OTEL_* variables.
  const spanProcessor = opts.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter());
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME ?? service });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/** The Temporal plugin that traces client calls, workflows and activities into `tracing`. */
export const temporalTracingPlugin = (tracing: Tracing) =>
  new OpenTelemetryPlugin({ spanProcessor: tracing.spanProcessor, resource: tracing.resource });
