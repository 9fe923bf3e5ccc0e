/**
 * A logical backup of the read model, table by table in PostgreSQL's COPY format, from one
 * consistent snapshot; and its restore into an empty database. The schema is not in the backup:
 * it is the migrations', so a restore migrates the empty database first and loads each table's
 * columns by name (a column a later migration added takes its default).
 *
 * Why not pg_dump: the embedded PostgreSQL of development ships no pg_dump, and a pg_dump older
 * than the server (Debian's is 15, the embedded server 18) refuses to run. Production uses
 * pg_dump and pg_restore of the server's own version (docs/operations.md).
 */
import { createReadStream, createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { migrate } from './migrate';
import type { Sql } from './sql';

export interface BackupManifest {
  format: 'hanoi-eval-read-model/1';
  takenAt: string;
  migrations: string[];
  tables: { name: string; columns: string[]; rows: number; serials: string[] }[];
}

const MANIFEST = 'manifest.json';
const fileOf = (dir: string, table: string) => join(dir, `${table}.copy`);

async function tablesOf(sql: Sql): Promise<{ name: string; columns: string[]; serials: string[] }[]> {
  const rows = await sql<{ tableName: string; columnName: string; serial: boolean }[]>`
    select c.table_name, c.column_name, coalesce(c.column_default like 'nextval(%', false) as serial
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.is_generated = 'NEVER'
      and c.table_name <> 'schema_migrations'
    order by c.table_name, c.ordinal_position`;
  const tables = new Map<string, { name: string; columns: string[]; serials: string[] }>();
  for (const r of rows) {
    const t = tables.get(r.tableName) ?? { name: r.tableName, columns: [], serials: [] };
    t.columns.push(r.columnName);
    if (r.serial) t.serials.push(r.columnName);
    tables.set(r.tableName, t);
  }
  return [...tables.values()];
}

/** Writes every table of the read model into `dir`, from one snapshot; returns the manifest. */
export async function dumpReadModel(sql: Sql, dir: string): Promise<BackupManifest> {
  mkdirSync(dir, { recursive: true });
  const manifest = await sql.begin('isolation level repeatable read read only', async (tx) => {
    const migrations = (await tx<{ name: string }[]>`select name from schema_migrations order by name`).map(
      (r) => r.name,
    );
    const tables: BackupManifest['tables'] = [];
    for (const t of await tablesOf(tx as unknown as Sql)) {
      const [{ rows }] = await tx<{ rows: number }[]>`select count(*)::int as rows from ${tx(t.name)}`;
      const out = await tx`copy ${tx(t.name)} (${tx(t.columns)}) to stdout`.readable();
      await pipeline(out, createWriteStream(fileOf(dir, t.name)));
      tables.push({ ...t, rows });
    }
    return { format: 'hanoi-eval-read-model/1' as const, takenAt: new Date().toISOString(), migrations, tables };
  });
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as BackupManifest;
  if (manifest.format !== 'hanoi-eval-read-model/1')
    throw new Error(`${dir} holds no read-model backup this code reads`);
  return manifest;
}

/**
 * Loads the backup in `dir` into the database behind `sql`, which must hold no data: migrates it,
 * loads every table in one transaction (foreign keys and triggers held off while loading, which
 * needs a superuser, as the embedded cluster's is), then moves each sequence past its rows.
 */
export async function restoreReadModel(sql: Sql, dir: string): Promise<BackupManifest> {
  const manifest = readManifest(dir);
  await migrate(sql);
  await sql.begin(async (tx) => {
    const [{ units }] = await tx<{ units: number }[]>`select count(*)::int as units from units`;
    if (units > 0) throw new Error('the database already holds a directory: restore into an empty database');
    await tx`set local session_replication_role = replica`;
    for (const t of manifest.tables) {
      const into = await tx`copy ${tx(t.name)} (${tx(t.columns)}) from stdin`.writable();
      await pipeline(createReadStream(fileOf(dir, t.name)), into);
      for (const column of t.serials)
        await tx`select setval(pg_get_serial_sequence(${t.name}, ${column}), coalesce(max(${tx(column)}), 0) + 1, false) from ${tx(t.name)}`;
    }
  });
  return manifest;
}
