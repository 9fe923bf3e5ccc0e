/**
 * Traces: one HTTP request makes one trace, from the API's server span through the Temporal
 * client, the workflow and its activities to their PostgreSQL transactions, each span a child of
 * the one before. The spans go to an in-memory exporter instead of OTLP.
 */
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind } from '@opentelemetry/api';
import { Client } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDirectory } from '../../db/directory';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { startTracing, type Tracing } from '../../telemetry/tracing';
import { createWorker } from '../../worker/create-worker';
import { inProcessApi, type InProcessApi } from '../support/api';
import { freshDatabase, type FreshDatabase } from '../support/db';
import { eventually } from '../support/stack';
import { timeSkippingEnv } from '../support/temporal';
import { PEOPLE } from '../support/time-skipping-api';

const PERIOD = '2026-08';

describe('a trace from the HTTP request to SQL', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let env: TestWorkflowEnvironment;
  let db: FreshDatabase;
  let worker: Worker;
  let running: Promise<void>;
  let api: InProcessApi;

  beforeAll(async () => {
    tracing = startTracing('tracing-test', { spanProcessor: new SimpleSpanProcessor(exporter) })!;
    db = await freshDatabase('tracing');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    env = await timeSkippingEnv();
    const client = new Client({
      connection: env.connection,
      interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    });
    worker = await createWorker({ connection: env.nativeConnection, sql: db.sql, temporal: client, tracing });
    running = worker.run();
    api = await inProcessApi(db.sql, client, PEOPLE, { name: 'tracing', app: { tracing: true } });
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
    await tracing?.shutdown();
  });

  it('links the API, the client call, the workflow, its activities and their transactions in one trace', async () => {
    const res = await api.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD });
    expect(res.status, JSON.stringify(res.body)).toBe(201);

    const spans = () => exporter.getFinishedSpans();
    const http = await eventually('the API’s server span', async () =>
      spans().find((s) => s.kind === SpanKind.SERVER && s.name === 'POST /v1/cycles'),
    );
    expect(http.attributes['http.route']).toBe('/v1/cycles');
    expect(http.attributes['http.response.status_code']).toBe(201);
    const inTrace = () => spans().filter((s) => s.spanContext().traceId === http.spanContext().traceId);
    const byId = () => new Map(inTrace().map((s) => [s.spanContext().spanId, s]));
    /** The names from `span` up to the trace's root. */
    const ancestry = (span: ReadableSpan): string[] => {
      const all = byId();
      const names = [span.name];
      for (let p = span.parentSpanId; p && all.has(p); p = all.get(p)!.parentSpanId) names.push(all.get(p)!.name);
      return names;
    };

    // Every span of the request's work shares the trace the API's span began: the trace ID went
    // through the client's headers into the workflow and from there into each activity.
    const transaction = await eventually('a PostgreSQL transaction of an activity in the request’s trace', async () =>
      inTrace().find((s) => s.name === 'postgres transaction'),
    );
    const names = inTrace()
      .map((s) => s.name)
      .join(', ');
    const chain = ancestry(transaction);
    // Child to parent: the transaction, its activity, the workflow's scheduling of it. (The workflow's
    // own run span, their parent, ends with the workflow, a month later, so it is not exported yet.)
    expect(chain[0]).toBe('postgres transaction');
    expect(chain[1], names).toMatch(/^RunActivity:/);
    expect(chain[2], names).toBe(chain[1].replace('RunActivity:', 'StartActivity:'));
    // The update the request sent: handled in the workflow, under the client's call, under the request.
    const update = inTrace().find((s) => s.name === 'HandleUpdate:openCycle');
    expect(update, names).toBeDefined();
    expect(ancestry(update!)).toEqual([
      'HandleUpdate:openCycle',
      'UpdateWithStartWorkflow:openCycle',
      'POST /v1/cycles',
    ]);
    const start = inTrace().find((s) => s.name === 'UpdateWithStartWorkflow:openCycle')!;
    expect(start.parentSpanId).toBe(http.spanContext().spanId);
  });
});
