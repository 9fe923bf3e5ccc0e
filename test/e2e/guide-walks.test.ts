/**
 * The walks of docs/api-guide.md, run as written against the real stack (Temporal dev server,
 * PostgreSQL, worker, HTTP API): every ```sh block in order in one bash session, in a folder whose
 * `.data/dev-tokens.json` holds the stack's tokens as `npm run dev` writes them, with `API`
 * pointing at the stack. Every call must be answered 2xx, and the engine must end where the guide
 * says: the unit's month locked, the person moved, the replacement decided. Also: every relative
 * link of the README and docs/ names a file of the repository.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../scripts/tools';
import { runBash, shBlocks } from '../support/shell';
import { startStack, type Stack } from '../support/stack';

const GUIDE = 'docs/api-guide.md';
/** Logs each call's status and URL to stderr, where the answers' bodies never go. */
const CURL_LOG = `curl() { command curl -w '%{stderr}== HTTP %{http_code} %{method} %{url_effective}\\n' "$@"; }`;

describe('the walks of the API guide', () => {
  let s: Stack;
  let dir: string;

  beforeAll(async () => {
    s = await startStack('guide');
    dir = mkdtempSync(join(tmpdir(), 'guide-walks-'));
    mkdirSync(join(dir, '.data'));
    writeFileSync(
      join(dir, '.data', 'dev-tokens.json'),
      JSON.stringify({ admin: s.adminToken, people: s.tokens }, null, 2),
    );
  });
  afterAll(async () => {
    await s?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs every sh block as written, every call answered 2xx, and ends where the guide says', async () => {
    const guide = readFileSync(join(PROJECT_ROOT, GUIDE), 'utf8');
    const blocks = shBlocks(guide);
    // Every sh fence of the guide, none missed by the parser.
    expect(blocks).toHaveLength(guide.match(/^```sh\s*$/gm)?.length ?? 0);
    const script = [
      'set -eo pipefail',
      CURL_LOG,
      ...blocks.map((b) => `echo '── ${GUIDE} line ${b.line}'\n${b.code}`),
    ].join('\n');
    const started = Date.now();
    const run = await runBash(script, { cwd: dir, env: { ...process.env, API: s.url }, timeoutMs: 240_000 });
    const transcript = `${run.stdout}\n--- stderr ---\n${run.stderr}`;
    expect(run.timedOut, transcript).toBe(false);
    expect(run.code, transcript).toBe(0);
    if (process.env.GUIDE_TRANSCRIPT) writeFileSync(process.env.GUIDE_TRANSCRIPT, transcript);
    console.log(`the guide's walks took ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Every call the walk makes (a poll's tries apart) was answered 2xx.
    const calls = [...run.stderr.matchAll(/^== HTTP (\d{3}) (\S+) (\S+)$/gm)].map(([, status, method, url]) => ({
      status: Number(status),
      method,
      url,
    }));
    expect(calls.length).toBeGreaterThanOrEqual(30);
    expect(
      calls.filter((c) => c.status < 200 || c.status > 299),
      transcript,
    ).toEqual([]);

    // The month: published, a complaint changed ngoc's grade, and the cycle locked.
    const cycles = await s.sql<
      { period: string; phase: string }[]
    >`select period, phase from cycles where unit_id = 'snv'`;
    expect(cycles).toEqual([expect.objectContaining({ phase: 'locked' })]);
    const results = await s.call('admin', 'GET', `/v1/cycles/snv/${cycles[0].period}/results`);
    expect(
      results.body.results.map((r: { personId: string; finalGrade: string }) => [r.personId, r.finalGrade]),
    ).toEqual([
      ['lan', 'A'],
      ['minh', 'B'],
      ['ngoc', 'B'],
    ]);

    // The transfer: hai now works in snv.
    const cases = await s.sql<
      { id: string; kind: string; status: string }[]
    >`select id, kind, status from cases order by kind`;
    expect(cases.map((c) => [c.kind, c.status])).toEqual([
      ['replacement', 'completed'],
      ['transfer', 'completed'],
    ]);
    expect((await s.call('admin', 'GET', '/v1/people/hai')).body).toMatchObject({ unitId: 'snv', role: 'staff' });

    // The replacement: decided by both members of hn's collective; lan heads snv, khanh is her deputy.
    const replacement = await s.call('admin', 'GET', `/v1/cases/${cases[0].id}`);
    expect(replacement.body).toMatchObject({
      votes: { approve: 2, reject: 0, of: 2 },
      decision: { outcome: 'approved', actingPersonId: 'lan' },
    });
    expect((await s.call('admin', 'GET', '/v1/people/lan')).body).toMatchObject({ unitId: 'snv', role: 'head' });
    expect((await s.call('admin', 'GET', '/v1/people/khanh')).body).toMatchObject({ unitId: 'snv', role: 'deputy' });
  }, 300_000);
});

describe('the links of the README and docs/', () => {
  it('name files inside the repository that exist', () => {
    const pages = [
      'README.md',
      ...readdirSync(join(PROJECT_ROOT, 'docs'))
        .filter((f) => f.endsWith('.md'))
        .map((f) => `docs/${f}`),
    ];
    const broken: string[] = [];
    for (const page of pages) {
      const text = readFileSync(join(PROJECT_ROOT, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
        const file = resolve(dirname(join(PROJECT_ROOT, page)), target.split('#')[0]);
        const inside = !relative(PROJECT_ROOT, file).startsWith('..');
        if (!inside || !existsSync(file)) broken.push(`${page}: ${target}`);
      }
    }
    expect(pages.length).toBeGreaterThan(5);
    expect(broken).toEqual([]);
  });
});
