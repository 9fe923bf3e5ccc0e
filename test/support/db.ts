/** A fresh database per test file on the run's shared PostgreSQL, migrated. */
import { inject } from 'vitest';
import postgres from 'postgres';
import { migrate } from '../../db/migrate';
import { createSql, type Sql } from '../../db/sql';

export interface FreshDatabase {
  sql: Sql;
  url: string;
  drop: () => Promise<void>;
}

export async function freshDatabase(name: string): Promise<FreshDatabase> {
  const base = inject('databaseUrl');
  const dbName = `t_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const sql = createSql(url);
  await migrate(sql);
  return {
    sql,
    url,
    drop: async () => {
      await sql.end();
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      await admin.end();
    },
  };
}
