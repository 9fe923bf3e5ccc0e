/**
 * What an operator sees, on the real servers: a request's ID reaches the log lines of the
 * activities it set going, no token reaches any line, and the API's and the worker's /metrics
 * serve the named series to a Prometheus parser (the API's only to the loopback address or with
 * the metrics token).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import parsePrometheus, { type PromFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashToken } from '../../api/auth';
import { TASK_QUEUE } from '../../contracts/messages';
import { PROJECT_ROOT } from '../../scripts/tools';
import { createLogger, silentLogger } from '../../telemetry/log';
import { eventually, freePort, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-09';
const REQUEST_ID = 'ops-test-request-42';
const METRICS_TOKEN = 'metrics-token-for-the-test-0123';

const lines: string[] = [];
const logger = createLogger({
  level: 'debug',
  destination: new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  }),
});
const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

/** Every family either scrape served, for the dashboard's check at the end. */
const scraped = new Map<string, PromFamily>();
let scrapedText = '';
const remember = (text: string) => {
  scrapedText += text;
  const families = parsePrometheus(text);
  for (const f of families) scraped.set(f.name, f);
  return families;
};

const family = (families: PromFamily[], name: string) => {
  const f = families.find((x) => x.name === name);
  expect(f, `series ${name} in the scrape`).toBeDefined();
  return f!;
};

describe('logs and metrics on the real servers', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('observability', { logger });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('carries a request ID from the HTTP request into the activities it starts, and echoes it', async () => {
    const res = await fetch(`${s.url}/v1/cycles`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${s.adminToken}`,
        'content-type': 'application/json',
        'x-request-id': REQUEST_ID,
      },
      body: JSON.stringify({ unitId: 'snv', period: PERIOD }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get('x-request-id')).toBe(REQUEST_ID);
    const line = await eventually('an activity log line with the request ID', async () =>
      entries().find((e) => e.requestId === REQUEST_ID && typeof e.activity === 'string'),
    );
    expect(line.workflowId).toBe(`cycle:snv:${PERIOD}`);
    const request = entries().find((e) => e.requestId === REQUEST_ID && e.route === '/v1/cycles');
    expect(request).toMatchObject({ method: 'POST', status: 201 });
  });

  it('gives a request without a sane ID a fresh one', async () => {
    const res = await fetch(`${s.url}/healthz`, { headers: { 'x-request-id': 'not sane <script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes no bearer token to any line, even of a refused request', async () => {
    const bogus = 'Bogus-Bearer-Value-9876543210';
    expect((await s.call(null, 'GET', '/v1/cycles', undefined, { authorization: `Bearer ${bogus}` })).status).toBe(401);
    expect((await s.call('admin', 'GET', `/v1/cycles/snv/${PERIOD}`)).status).toBe(200);
    const all = lines.join('');
    expect(all).toContain('/v1/cycles/{unitId}/{period}');
    for (const secret of [bogus, s.adminToken, ...Object.values(s.tokens)]) expect(all).not.toContain(secret);
  });

  it('serves the request and business series to a scraper on the loopback address', async () => {
    const res = await fetch(`${s.url}/metrics`);
    expect(res.status).toBe(200);
    const families = remember(await res.text());
    const requests = family(families, 'http_requests_total');
    expect(requests.metrics).toContainEqual(
      expect.objectContaining({ labels: { method: 'POST', route: '/v1/cycles', status: '201' } }),
    );
    const latency = family(families, 'http_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    expect(family(families, 'evaluation_cycles').metrics).toContainEqual({ labels: { phase: 'open' }, value: '1' });
    const [{ open }] = await s.sql<
      { open: number }[]
    >`select count(*)::int as open from escalations where status = 'open'`;
    expect(family(families, 'evaluation_open_escalations').metrics).toEqual([{ value: String(open) }]);
    expect(family(families, 'evaluation_outbox_messages').metrics).toContainEqual({
      labels: { status: 'failed' },
      value: '0',
    });
    family(families, 'evaluation_overdue_steps');
  });

  it('refuses /metrics off the loopback address without the metrics token', async () => {
    // In-process, the request has no remote address: it stands for a caller on another host.
    const app = createApp(
      { sql: s.sql, temporal: s.temporal, taskQueue: TASK_QUEUE, adminTokenHash: hashToken(s.adminToken) },
      silentLogger,
      { metricsToken: METRICS_TOKEN },
    );
    expect((await app.request('/metrics')).status).toBe(403);
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${s.adminToken}` } })).status).toBe(403);
    const allowed = await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('evaluation_cycles');
  });
});

describe('the worker’s metrics', () => {
  let s: Stack;
  let worker: ChildProcess | undefined;
  const output: string[] = [];
  beforeAll(async () => {
    s = await startStack('worker-metrics');
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker!.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await s?.stop();
  });

  it('serves the Temporal SDK’s own series at WORKER_METRICS_ADDRESS', async () => {
    // The worker under test is the only one on the task queue, so the month below is its work.
    await s.stopWorker();
    const address = `127.0.0.1:${await freePort()}`;
    worker = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: s.databaseUrl,
        TEMPORAL_ADDRESS: s.server.address,
        WORKER_METRICS_ADDRESS: address,
        LOG_LEVEL: 'WARN',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d) => output.push(String(d)));
    worker.stderr!.on('data', (d) => output.push(String(d)));
    const scrapeText = () =>
      fetch(`http://${address}/metrics`).then(
        (r) => r.text(),
        () => '',
      );
    const scrape = async () => parsePrometheus(await scrapeText());
    await eventually('the worker to serve its metrics', async () => (await scrape()).length > 0, 90_000);
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD })).status).toBe(201);
    const names = remember(await scrapeText()).map((f) => f.name);
    for (const name of [
      'temporal_workflow_task_schedule_to_start_latency',
      'temporal_workflow_task_execution_latency',
      'temporal_activity_execution_latency',
      'temporal_sticky_cache_size',
      'temporal_sticky_cache_hit',
      'temporal_worker_task_slots_available',
      'temporal_worker_task_slots_used',
      'temporal_num_pollers',
    ])
      expect(names, output.join('')).toContain(name);
    // Its start-up line is JSON like every other.
    const started = output
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .find((e) => e.msg === 'worker polling');
    expect(started).toMatchObject({ service: 'worker', metrics: `http://${address}/metrics` });
  });
});

// Reads what the two suites above scraped: run with them, not alone (-t).
describe('the Grafana dashboard (docs/grafana-dashboard.json)', () => {
  it('asks only for series, and labels, that the scrapes above served', () => {
    const dashboard = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs', 'grafana-dashboard.json'), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => t.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const expr of exprs) {
      for (const [series] of expr.matchAll(/\b(?:http|evaluation|temporal)_[a-z_]+/g)) {
        const name = series.replace(/_(bucket|sum|count)$/, '');
        expect(scraped.get(name), `${series} in ${expr}`).toBeDefined();
        // Labels from the text itself: the parser keeps none of a histogram's.
        for (const [, list] of expr.matchAll(/by \(([^)]*)\)/g))
          for (const label of list.split(',').map((l) => l.trim()))
            expect(scrapedText, `label ${label} of ${name} in ${expr}`).toMatch(
              new RegExp(`^${name}(_bucket|_sum|_count)?\\{[^}]*\\b${label}="`, 'm'),
            );
      }
    }
  });
});
