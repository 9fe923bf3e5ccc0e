/**
 * Schemathesis against the real stack (Temporal dev server, PostgreSQL, worker, API): every
 * operation of the API's own /openapi.json, with inputs generated from it, the coverage phase's
 * edge cases (wrong media types, boundary values) and the stateful phase's chains, must pass every
 * check: no 5xx, every status, content type, header and body as the document says, valid input
 * accepted and invalid input refused, a missing token refused, an undeclared method a 405; and never
 * hang past the per-request timeout. The few departures from Schemathesis's defaults, each with its
 * reason, are in schemathesis.toml beside this file. Run once as a staff member and once as the
 * admin, because most of the API's code sits behind a role check and a 403 stops a request before
 * it reaches it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

/**
 * Each run's budget. `--max-time` bounds generation, the child's kill timer bounds everything
 * (a wedged schemathesis included), and the test timeout sits above both so the child's own report
 * reaches the assertion. Sized for a busy two-core machine: the stack's start and both runs come
 * to about four minutes at most.
 */
const RUNS = [
  // A staff member's run leaves out revoking a token: it would find and revoke its own, and every
  // later request would be a 401. The admin's run (its token is ADMIN_TOKEN, never revoked) covers it.
  { who: 'minh', role: 'staff member', maxTimeS: 50, seed: 20261, exclude: ['revokeToken'] },
  { who: 'admin', role: 'admin', maxTimeS: 70, seed: 20262, exclude: [] },
] as const;
const KILL_GRACE_MS = 40_000;
/** What departs from Schemathesis's defaults, and why. */
const CONFIG = join(import.meta.dirname, 'schemathesis.toml');
/** Ten seconds of no answer is a hang for an API whose slowest command is one Temporal update. */
const REQUEST_TIMEOUT_S = 10;
const EXAMPLES_PER_OPERATION = 25;
/** Fewer tested operations than this means the document was not read, not that the API is clean. */
const MIN_OPERATIONS = 35;
const MESSAGE_LIMIT = 30_000;

interface RunReport {
  operations: { total: number; tested: number };
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
}

interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  killedForTime: boolean;
  stdout: string;
  stderr: string;
  report: RunReport | undefined;
}

function runSchemathesis(binary: string, args: string[], cwd: string, killAfterMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // The cwd is a fresh temp folder so no schemathesis.toml of a parent folder is picked up and
    // nothing lands in the repository. NO_PROXY keeps a proxy set for the machine off 127.0.0.1.
    const child = spawn(binary, args, {
      cwd,
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killedForTime = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      killedForTime = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      let report: RunReport | undefined;
      try {
        report = JSON.parse(readFileSync(join(cwd, 'report.json'), 'utf8')) as RunReport;
      } catch {
        // Killed or crashed before writing it: the message says so from stdout and stderr.
      }
      resolve({ exitCode, signal, killedForTime, stdout, stderr, report });
    });
  });
}

/** Schemathesis's own failure list (each with its reproducing curl) and summary, capped in size. */
function explain(result: RunResult, who: string): string {
  const head = [
    `schemathesis as ${who}: exit ${result.exitCode}${result.signal ? `, signal ${result.signal}` : ''}${result.killedForTime ? ' (killed: past its time budget)' : ''}`,
    ...(result.report?.failures ?? []).map((f) => `${f.code} ${f.title} ×${f.count}: ${f.operations.join(', ')}`),
    ...(result.report && result.report.errors.length > 0
      ? [`${result.report.errors.length} errors (network errors, timeouts): see ERRORS below`]
      : []),
  ].join('\n');
  const start = result.stdout.search(/^=+ (ERRORS|FAILURES) =+$/m);
  const warnings = result.stdout.search(/^=+ WARNINGS =+$/m);
  const summary = result.stdout.search(/^=+ SUMMARY =+$/m);
  const body =
    start >= 0
      ? result.stdout.slice(start, warnings > start ? warnings : summary > start ? summary : undefined) +
        (summary >= 0 ? result.stdout.slice(summary) : '')
      : result.stdout.slice(-MESSAGE_LIMIT / 2);
  const text = `${head}\n\n${body}${result.stderr ? `\nstderr:\n${result.stderr.slice(-4000)}` : ''}`;
  return text.length > MESSAGE_LIMIT
    ? `${text.slice(0, MESSAGE_LIMIT)}\n… (cut; run the test locally for the whole report)`
    : text;
}

describe('schemathesis finds nothing the document does not say', () => {
  let stack: Stack;
  const binary = inject('schemathesis');
  const dirs: string[] = [];

  beforeAll(async () => {
    stack = await startStack('fuzz');
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const run of RUNS) {
    it(
      `passes every check and never hangs, called as ${run.role === 'admin' ? 'the admin' : `a ${run.role}`} (${run.who})`,
      async () => {
        const token = run.who === 'admin' ? stack.adminToken : stack.tokens[run.who];
        expect(token, `no token for ${run.who}`).toBeTruthy();
        const cwd = mkdtempSync(join(tmpdir(), `fuzz-${run.who}-`));
        dirs.push(cwd);
        const args = [
          '--config-file',
          CONFIG,
          'run',
          `${stack.url}/openapi.json`,
          // The document has no `servers`; the base URL is given here rather than added to it.
          '--url',
          stack.url,
          '--header',
          `Authorization: Bearer ${token}`,
          ...run.exclude.flatMap((id) => ['--exclude-operation-id', id]),
          '--max-examples',
          String(EXAMPLES_PER_OPERATION),
          '--max-time',
          String(run.maxTimeS),
          '--request-timeout',
          String(REQUEST_TIMEOUT_S),
          '--seed',
          String(run.seed),
          // Past failures replayed from a local database would make runs differ between machines.
          '--generation-database',
          'none',
          // Every failing case of an operation is reported, not just its first: the list is for fixing.
          '--continue-on-failure',
          // One worker: Hypothesis describes its strategies from cached source, which two threads
          // corrupted once ("AST constructor recursion depth mismatch"), failing a run on its own.
          '--workers',
          '1',
          '--no-color',
          '--report',
          'json',
          '--report-json-path',
          join(cwd, 'report.json'),
        ];
        const result = await runSchemathesis(binary, args, cwd, run.maxTimeS * 1000 + KILL_GRACE_MS);
        const message = explain(result, run.who);
        expect(result.killedForTime, message).toBe(false);
        // It read every operation of the document; within its time it tested at least MIN_OPERATIONS of them.
        const doc = (await (await fetch(`${stack.url}/openapi.json`)).json()) as { paths: Record<string, object> };
        const operations = Object.values(doc.paths).flatMap((item) =>
          Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)),
        ).length;
        expect(result.report?.operations.total, message).toBe(operations);
        expect(result.report?.operations.tested ?? 0, message).toBeGreaterThanOrEqual(MIN_OPERATIONS);
        expect(result.exitCode, message).toBe(0);
      },
      run.maxTimeS * 1000 + KILL_GRACE_MS + 20_000,
    );
  }
});
