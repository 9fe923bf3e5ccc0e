/**
 * `npm run bench -- --pages [--people 300]`: the web pages' figures, a benchmark and never a
 * timed test. One unit of `--people` is walked through the API until every review is in; then,
 * as its head (a web session opened in the database, as a sign-in would), the deliberation board
 * is rendered again and again (its GET, which runs the cycle's dry run, and the htmx check sent
 * on a change), p50 and p95 reported; and the JavaScript each page ships is weighed (every
 * `<script src>` it loads, raw and gzipped).
 */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { createSql } from '../../db/sql';
import { createSession } from '../../db/web-sessions';
import { headOf } from '../../domain/scope';
import { hashSecret } from '../../web/session';
import { benchDirectory } from './directory';
import { apiClient, driveMonth } from './month';
import { figures, round, textTable, type StepFigures } from './stats';

export interface PagesOptions {
  api: string;
  adminToken: string;
  databaseUrl: string;
  people: number;
  period: string;
  concurrency: number;
  /** Renders measured per figure (after five to warm up). */
  samples?: number;
  say: (line: string) => void;
}

export interface PagesResult {
  members: number;
  render: StepFigures & { p95Ms: number };
  check: StepFigures & { p95Ms: number };
  scripts: { page: string; files: string[]; bytes: number; gzipBytes: number }[];
}

const p95 = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)], 1);
};

async function timed(samples: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchPages(opts: PagesOptions): Promise<PagesResult> {
  const directory = benchDirectory(opts.people, 1);
  const unitId = directory.units[1].id;
  const call = apiClient(opts.api);
  await call(opts.adminToken, 'PUT', '/v1/org', directory);
  opts.say(`walking ${unitId} (${opts.people} people) to its deliberation…`);
  const month = await driveMonth({
    api: opts.api,
    adminToken: opts.adminToken,
    directory,
    period: opts.period,
    concurrency: opts.concurrency,
    untilReviews: true,
  });
  const head = headOf(directory, unitId)!.id;
  const cyclePath = `/v1/cycles/${unitId}/${opts.period}`;
  for (let i = 0; ; i++) {
    const cycle = await call<{ phase: string }>(month.tokens[head], 'GET', cyclePath);
    if (cycle.phase === 'deliberation') break;
    if (i > 600) throw new Error(`${unitId} did not open its deliberation`);
    await new Promise((r) => setTimeout(r, 500));
  }

  const sql = createSql(opts.databaseUrl, { max: 1 });
  const sid = randomBytes(24).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  await createSession(sql, { idHash: hashSecret(sid), personId: head, csrf }, 3600);
  await sql.end();
  const headers = { cookie: `sid=${sid}` };
  const board = `${opts.api}/board/${unitId}/${opts.period}`;
  const get = async (url: string) => {
    const res = await fetch(url, { headers });
    const body = await res.text();
    if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
    return body;
  };
  const html = await get(board);
  const members = (html.match(/name="person-\d+"/g) ?? []).length;
  if (members < opts.people * 0.9) throw new Error(`the board shows ${members} members, not ${opts.people}`);

  const samples = opts.samples ?? 40;
  opts.say(`rendering the board of ${members} members ${samples} times…`);
  const renders = await timed(samples, async () => void (await get(board)));
  // The htmx check a change sends: the whole form, one grade changed.
  const form = new URLSearchParams({ _csrf: csrf, key: 'bench-pages-key-0001' });
  for (const [, i, id] of html.matchAll(/name="person-(\d+)" value="([^"]+)"/g)) {
    form.set(`person-${i}`, id);
    form.set(`grade-${i}`, i === '0' ? 'A' : 'B');
  }
  const checks = await timed(samples, async () => {
    const res = await fetch(board, {
      method: 'POST',
      headers: { ...headers, 'hx-request': 'true', 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    await res.text();
    if (!res.ok) throw new Error(`POST ${board}: ${res.status}`);
  });

  const pages = ['/tasks', `/board/${unitId}/${opts.period}`, '/complaints', `/plan/${opts.period}`, '/results'];
  const scripts: PagesResult['scripts'] = [];
  for (const page of pages) {
    const res = await fetch(`${opts.api}${page}`, { headers, redirect: 'follow' });
    const text = await res.text();
    const files = [...text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    let bytes = 0;
    let gzipBytes = 0;
    for (const file of files) {
      const body = Buffer.from(await (await fetch(new URL(file, opts.api), { headers })).arrayBuffer());
      bytes += body.length;
      gzipBytes += gzipSync(body).length;
    }
    // Inline scripts count too.
    for (const m of text.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
      bytes += Buffer.byteLength(m[1]);
      gzipBytes += gzipSync(Buffer.from(m[1])).length;
    }
    scripts.push({ page, files, bytes, gzipBytes });
  }
  return {
    members,
    render: {
      ...figures('board render (GET)', renders, 0, renders.reduce((a, b) => a + b, 0) / 1000),
      p95Ms: p95(renders),
    },
    check: {
      ...figures('board check (htmx)', checks, 0, checks.reduce((a, b) => a + b, 0) / 1000),
      p95Ms: p95(checks),
    },
    scripts,
  };
}

export function pagesTable(r: PagesResult): string {
  const timing = textTable(
    ['figure', 'count', 'p50 ms', 'p95 ms', 'p99 ms'],
    [r.render, r.check].map((f) => [f.step, String(f.count), String(f.p50Ms), String(f.p95Ms), String(f.p99Ms)]),
  );
  const js = textTable(
    ['page', 'scripts', 'KB', 'KB gzipped'],
    r.scripts.map((s) => [
      s.page,
      s.files.join(' ') || '(none)',
      round(s.bytes / 1024, 1).toString(),
      round(s.gzipBytes / 1024, 1).toString(),
    ]),
  );
  return `${timing}\n\n${js}`;
}
