/**
 * The stack for a benchmark or fault test, as `npm run dev` brings it up, but with the worker and
 * the API in their own processes so their memory can be measured and they can be killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pRetry from 'p-retry';
import postgres from 'postgres';
import { livePostmaster, startEmbeddedPostgres, type EmbeddedDb } from '../../db/embedded';
import { WORKER_HEAP_MB, WORKER_MALLOC_ARENAS } from '../../worker/config';
import { BENCH_WORKFLOWS_PATH } from '../../worker/bundle';
import { writeWorkflowBundle } from '../bundle-workflows';
import { startTemporalDevServer, type DevServer } from '../temporal-dev';
import { freshDataDir, PROJECT_ROOT } from '../tools';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** A process's resident memory now (`VmRSS`) or its peak so far (`VmHWM`), in MiB; null when it cannot be read. */
export function memoryMiB(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Peak resident memory of a process so far (VmHWM), in MiB; null when it cannot be read. */
export const peakMemoryMiB = (pid: number | undefined): number | null => memoryMiB(pid, 'VmHWM');

export interface NodeService {
  process: ChildProcess;
  peakMiB: () => number | null;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/** A worker process started as `npm run worker` starts it: its heap limit and malloc arenas (`worker/config.ts`). */
export function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  heapMb = WORKER_HEAP_MB,
  log?: (line: string) => void,
  abort?: AbortSignal,
): Promise<NodeService> {
  return startNodeService(
    'worker/main.ts',
    { MALLOC_ARENA_MAX: String(WORKER_MALLOC_ARENAS), ...env },
    'worker polling',
    log,
    [`--max-old-space-size=${heapMb}`],
    abort,
  );
}

/**
 * Starts `entry` with node and the tsx loader (one process: a signal reaches the service itself).
 * `abort` kills it while it is still starting (a stack stopping during a restart).
 */
export async function startNodeService(
  entry: string,
  env: NodeJS.ProcessEnv,
  ready: string,
  log?: (line: string) => void,
  nodeArgs: string[] = [],
  abort?: AbortSignal,
): Promise<NodeService> {
  abort?.throwIfAborted();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killWhileStarting = () => child.kill('SIGKILL');
  abort?.addEventListener('abort', killWhileStarting, { once: true });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log?.(text.trimEnd());
      if (text.includes(ready)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => log?.(c.toString().trimEnd()));
    child.once('exit', (code) => reject(new Error(`${entry} exited during start (code ${code})`)));
  }).finally(() => abort?.removeEventListener('abort', killWhileStarting));
  return {
    process: child,
    peakMiB: () => peakMemoryMiB(child.pid),
    kill: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface BenchStack {
  api: string;
  adminToken: string;
  databaseUrl: string;
  temporalAddress: string;
  temporal: DevServer;
  /** The worker processes, each restarted in its slot when it exits on its own. */
  workers: NodeService[];
  /** The API process now (a new one after {@link BenchStack.restartApi}). */
  apiService: NodeService;
  /** Kills the API (SIGKILL by default: requests in flight get no answer) and starts it again on the same port. */
  restartApi: (signal?: NodeJS.Signals) => Promise<void>;
  /** Kills and starts the first worker again (SIGKILL by default). */
  restartWorker: (signal?: NodeJS.Signals) => Promise<void>;
  /** How often the worker exited on its own and was started again, as a supervisor (systemd, Kubernetes) would. */
  unexpectedWorkerExits: () => number;
  /** Stops the Temporal dev server and starts it again on the same SQLite file. */
  restartTemporal: () => Promise<void>;
  /** Stops PostgreSQL, waits, and starts it again on the same data. */
  pausePostgres: (ms: number) => Promise<void>;
  /** The process ids of each part now (PostgreSQL's postmaster, whose backends are its children), for CPU accounting. */
  pids: () => Record<'worker' | 'api' | 'temporal' | 'postgres', number[]>;
  stop: () => Promise<void>;
}

export interface BenchStackOptions {
  name: string;
  /** Worker processes (default 1). */
  workers?: number;
  /** Each worker's V8 heap limit in MiB (default: what `npm run worker` sets). */
  workerHeapMb?: number;
  workerEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Workers run as in production: `npm run worker`'s heap limit and a prebuilt workflow bundle. */
export async function startBenchStack(opts: BenchStackOptions): Promise<BenchStack> {
  const dir = freshDataDir(`${opts.name}-`);
  mkdirSync(dir, { recursive: true });
  const pgPort = await freePort();
  const pgDir = join(dir, 'pg');
  let pg: EmbeddedDb = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: pgPort,
    database: 'evaluations',
    quiet: true,
  });
  const temporalPort = await freePort();
  const dbFile = join(dir, 'temporal.db');
  let temporal = await startTemporalDevServer({ dbFile, port: temporalPort, uiPort: null, quiet: true });
  const adminToken = `bench-admin-${Date.now()}-token`;
  const apiPort = await freePort();
  const bundle = join(dir, 'workflow-bundle.js');
  await writeWorkflowBundle(bundle, undefined, BENCH_WORKFLOWS_PATH);
  const env = {
    DATABASE_URL: pg.url,
    TEMPORAL_ADDRESS: temporal.address,
    ADMIN_TOKEN: adminToken,
    PORT: String(apiPort),
    LOG_LEVEL: 'WARN',
    SMTP_URL: '',
  };
  // Aborted by stop(): ends supervised restarts and kills a worker still starting.
  const supervision = new AbortController();
  let unexpected = 0;
  const intentional = new Set<NodeService>();
  const workers: NodeService[] = [];
  /** A supervised restart in progress, per slot: restartWorker() and stop() wait for it. */
  const restarts: (Promise<void> | undefined)[] = [];
  const startWorker = async (slot: number): Promise<void> => {
    const svc = await startWorkerProcess(
      { ...env, WORKFLOW_BUNDLE: bundle, ...opts.workerEnv },
      opts.workerHeapMb,
      opts.log,
      supervision.signal,
    );
    workers[slot] = svc;
    svc.process.once('exit', (code, signal) => {
      if (supervision.signal.aborted || intentional.has(svc)) return;
      unexpected += 1;
      opts.log?.(
        `[bench stack] worker ${slot + 1} exited on its own (code ${code}, signal ${signal}); starting it again`,
      );
      superviseRestart(slot);
    });
  };
  /** As a supervisor (systemd's Restart=always) would: keep trying, a second apart and then slower, until it runs or the stack stops. */
  const superviseRestart = (slot: number): void => {
    restarts[slot] = pRetry(() => startWorker(slot), {
      retries: Infinity,
      minTimeout: 1000,
      maxTimeout: 10_000,
      signal: supervision.signal,
      onFailedAttempt: ({ error, attemptNumber }) =>
        opts.log?.(
          `[bench stack] worker ${slot + 1} could not be started again (attempt ${attemptNumber}): ${error.message}`,
        ),
    })
      .catch(() => {})
      .finally(() => (restarts[slot] = undefined));
  };
  for (let slot = 0; slot < (opts.workers ?? 1); slot++) await startWorker(slot);
  const startApi = () => startNodeService('api/main.ts', env, 'API listening', opts.log, [], supervision.signal);
  let apiService = await startApi();
  const stack: BenchStack = {
    api: `http://127.0.0.1:${apiPort}`,
    adminToken,
    databaseUrl: pg.url,
    temporalAddress: temporal.address,
    temporal,
    workers,
    apiService,
    restartApi: async (signal = 'SIGKILL') => {
      await apiService.kill(signal);
      apiService = await startApi();
      stack.apiService = apiService;
    },
    restartWorker: async (signal = 'SIGKILL') => {
      // Never two workers in one slot: a supervised restart in progress finishes first.
      await restarts[0];
      intentional.add(workers[0]!);
      await workers[0]!.kill(signal);
      await startWorker(0);
    },
    restartTemporal: async () => {
      await temporal.stop();
      temporal = await startTemporalDevServer({ dbFile, port: temporalPort, uiPort: null, quiet: true });
      stack.temporal = temporal;
    },
    pausePostgres: async (ms: number) => {
      await pg.stop();
      await new Promise((r) => setTimeout(r, ms));
      pg = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, database: 'evaluations', quiet: true });
    },
    unexpectedWorkerExits: () => unexpected,
    pids: () => {
      const known = (...pids: (number | null | undefined)[]) => pids.filter((p): p is number => typeof p === 'number');
      return {
        worker: known(...workers.map((w) => w.process.pid)),
        api: known(apiService.process.pid),
        temporal: known(temporal.process.pid),
        postgres: known(livePostmaster(pgDir)),
      };
    },
    stop: async () => {
      supervision.abort();
      await Promise.all(restarts);
      await apiService.kill();
      for (const w of workers) await w.kill();
      await temporal.stop();
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** A direct connection for checks (the read model) outside the API. */
export const checkSql = (url: string) => postgres(url, { max: 2, onnotice: () => {}, transform: postgres.camel });
