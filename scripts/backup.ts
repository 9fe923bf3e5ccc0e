/**
 * `npm run backup [-- folder]` and `npm run restore -- folder`: the development stack's state — the
 * read model (db/backup.ts) and the Temporal dev server's SQLite file — into a folder
 * (`.data/backups/<time>` by default) and back. Both want `npm run dev` stopped: a SQLite file
 * copied while the server writes it may be torn, and the two halves must be of the same moment.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { dumpReadModel, restoreReadModel } from '../db/backup';
import { clusterDir, livePostmaster, startEmbeddedPostgres } from '../db/embedded';
import { createSql } from '../db/sql';
import { createLogger } from '../telemetry/log';
import { PROJECT_ROOT } from './tools';

const DATA = join(PROJECT_ROOT, '.data');
const TEMPORAL_DB = join(DATA, 'temporal.db');
const SQLITE_SIDE_FILES = ['-wal', '-shm'];

/** Copies a SQLite database with its write-ahead log, if any; the server using it must be stopped. */
export function copySqliteFile(from: string, to: string): void {
  for (const suffix of SQLITE_SIDE_FILES) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
  for (const suffix of SQLITE_SIDE_FILES)
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
}

/** Drops and recreates the database `url` names, through the cluster's `postgres` database. */
export async function recreateDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const admin = postgres(u.toString(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name.replace(/"/g, '')}" with (force)`);
    await admin.unsafe(`create database "${name.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
}

const portAnswers = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      done(true);
    });
    socket.on('error', () => done(false));
  });

async function withStoppedDevStack<T>(run: (databaseUrl: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL)
    throw new Error('DATABASE_URL is set: back up that database with pg_dump (docs/operations.md, Backup and restore)');
  const pgDir = join(DATA, 'pg');
  const holder = livePostmaster(clusterDir(pgDir));
  if (holder || (await portAnswers(Number(process.env.TEMPORAL_PORT ?? 7233))))
    throw new Error('npm run dev is running: stop it (Ctrl-C) first, so that both halves are of one moment');
  const pg = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: Number(process.env.PG_PORT ?? 5433),
    database: 'evaluations',
    quiet: true,
  });
  try {
    return await run(pg.url);
  } finally {
    await pg.stop();
  }
}

async function backup(dir: string, log: (line: string) => void): Promise<void> {
  await withStoppedDevStack(async (url) => {
    const sql = createSql(url, { max: 1 });
    try {
      const manifest = await dumpReadModel(sql, join(dir, 'read-model'));
      log(`read model: ${manifest.tables.reduce((n, t) => n + t.rows, 0)} rows in ${manifest.tables.length} tables`);
    } finally {
      await sql.end();
    }
  });
  if (existsSync(TEMPORAL_DB)) {
    copySqliteFile(TEMPORAL_DB, join(dir, 'temporal.db'));
    log('Temporal: .data/temporal.db copied');
  }
}

async function restore(dir: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(join(dir, 'read-model'))) throw new Error(`${dir} holds no backup (no read-model folder)`);
  await withStoppedDevStack(async (url) => {
    await recreateDatabase(url);
    const sql = createSql(url, { max: 1 });
    try {
      const manifest = await restoreReadModel(sql, join(dir, 'read-model'));
      log(`read model restored as it was at ${manifest.takenAt}`);
    } finally {
      await sql.end();
    }
  });
  if (existsSync(join(dir, 'temporal.db'))) {
    copySqliteFile(join(dir, 'temporal.db'), TEMPORAL_DB);
    log('Temporal: .data/temporal.db restored');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const logger = createLogger({ base: { service: 'backup' } });
  const [command, folder] = process.argv.slice(2);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = resolve(folder ?? join(DATA, 'backups', stamp));
  const log = (line: string) => logger.info(line);
  try {
    if (command === 'backup') {
      mkdirSync(dir, { recursive: true });
      await backup(dir, log);
      log(`backup in ${dir}`);
    } else if (command === 'restore' && folder) {
      await restore(dir, log);
      log('restored; start the stack with npm run dev');
    } else {
      throw new Error('usage: npm run backup [-- folder] | npm run restore -- folder');
    }
  } catch (err) {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
