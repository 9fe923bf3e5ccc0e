/**
 * The API's Prometheus metrics (prom-client): requests by method, route pattern and status with
 * their latency, and the business gauges an operator watches, read from the database at each
 * scrape (db/metrics.ts), so they are as fresh as the scrape and cost nothing between scrapes.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { operationalCounts, type OperationalCounts } from '../db/metrics';
import type { Sql } from '../db/sql';

export interface ApiMetrics {
  registry: Registry;
  observeRequest: (method: string, route: string, status: number, seconds: number) => void;
}

export function createApiMetrics(sql: Sql, opts: { processMetrics?: boolean } = {}): ApiMetrics {
  // A registry per app, not prom-client's global one: tests build many apps in one process.
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    // Reads answer in milliseconds; commands wait on a workflow update, up to COMMAND_TIMEOUT_MS.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  businessGauges(sql, registry);
  return {
    registry,
    observeRequest: (method, route, status, seconds) => {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      latency.observe(labels, seconds);
    },
  };
}

function businessGauges(sql: Sql, registry: Registry): void {
  // One query fills the four gauges: the first gauge collected runs it, the others reuse its answer.
  // A database that does not answer leaves them out of the scrape (an absent series, not a 500).
  let pending: Promise<OperationalCounts | null> | null = null;
  const counts = () =>
    (pending ??= operationalCounts(sql)
      .catch(() => null)
      .finally(() => setTimeout(() => (pending = null), 0)));
  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (g: Gauge<L>, c: OperationalCounts) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const c = await counts();
        if (c) fill(this, c);
      },
    });
  gauge('evaluation_open_escalations', 'Escalations waiting for a decision.', [], (g, c) => g.set(c.openEscalations));
  gauge('evaluation_overdue_steps', 'Open steps past their due time, by step.', ['step'], (g, c) => {
    for (const r of c.overdueSteps) g.set({ step: r.kind }, r.count);
  });
  gauge('evaluation_cycles', 'Monthly cycles, by phase.', ['phase'], (g, c) => {
    for (const r of c.cyclesByPhase) g.set({ phase: r.phase }, r.count);
  });
  gauge(
    'evaluation_outbox_messages',
    'Notification e-mails in the outbox, by status (pending and sending wait; failed gave up).',
    ['status'],
    (g, c) => {
      // Always present, so an alert on failed mail has a series to watch before the first failure.
      for (const status of ['pending', 'failed']) g.set({ status }, 0);
      for (const r of c.outboxByStatus) g.set({ status: r.status }, r.count);
    },
  );
}
