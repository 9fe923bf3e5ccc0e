/**
 * Runs the Temporal CLI dev server (SQLite file, Web UI) for `npm run dev`, the API tests and the
 * benchmark, and registers the search attributes the workflows set.
 */
import { Connection } from '@temporalio/client';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { resolveTool, TEMPORAL_CLI } from './tools';

export const SEARCH_ATTRIBUTES = ['UnitId', 'Period', 'Phase', 'PersonId', 'CaseKind'] as const;

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** Waits until a frontend answers at `address`, or throws after `timeoutMs`. */
export async function waitForTemporal(address: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1000 });
      await conn.workflowService.getSystemInfo({});
      await conn.close();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  throw new Error(`Temporal did not answer at ${address} within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Registers the Keyword search attributes on `namespace`, ignoring "already exists": the CLI's
 * `--search-attribute` only applies when its database is first created.
 */
export async function registerSearchAttributes(address: string, namespace = 'default'): Promise<void> {
  const conn = await Connection.connect({ address });
  try {
    const { customAttributes } = await conn.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((name) => !(name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    try {
      await conn.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((n) => [n, 2 /* INDEXED_VALUE_TYPE_KEYWORD */])),
      });
    } catch (err) {
      if (!/already exists/i.test(String(err))) throw err;
    }
  } finally {
    await conn.close();
  }
}

export async function startTemporalDevServer(opts: {
  dbFile: string;
  port: number;
  uiPort?: number | null;
  quiet?: boolean;
  /** Each line the server writes, instead of the terminal (`npm run dev` drops them once stopping). */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void;
}): Promise<DevServer> {
  const cli = resolveTool(TEMPORAL_CLI);
  mkdirSync(dirname(opts.dbFile), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--db-filename',
    opts.dbFile,
    '--namespace',
    'default',
    '--log-level',
    'warn',
    // One task-queue partition: with a single worker, four partitions only add forwarding hops
    // (p99 of a bare update 2.1 s → 0.6 s here; docs/benchmarks.md).
    '--dynamic-config-value',
    'matching.numTaskqueueReadPartitions=1',
    '--dynamic-config-value',
    'matching.numTaskqueueWritePartitions=1',
    ...SEARCH_ATTRIBUTES.flatMap((n) => ['--search-attribute', `${n}=Keyword`]),
    ...(opts.uiPort ? ['--ui-port', String(opts.uiPort)] : ['--headless']),
  ];
  const child = spawn(cli, args, {
    stdio: opts.quiet ? 'ignore' : opts.onOutput ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    // Its own process group: Ctrl-C reaches the caller, which stops the server in its turn, not
    // the server first, which would log the worker's and the API's lost connections as warnings.
    detached: Boolean(opts.onOutput),
  });
  const onOutput = opts.onOutput;
  if (onOutput) {
    for (const [name, stream] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const)
      if (stream) createInterface({ input: stream }).on('line', (line) => onOutput(line, name));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const address = `127.0.0.1:${opts.port}`;
  try {
    await Promise.race([
      waitForTemporal(address),
      exited.then(() => {
        throw new Error(`The Temporal dev server exited at start (is port ${opts.port} taken?).`);
      }),
    ]);
    await registerSearchAttributes(address);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : null,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
