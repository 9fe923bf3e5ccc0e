/**
 * A worker or API starting while PostgreSQL is away waits for it: the database "comes up" here as
 * a TCP proxy opened in front of the run's real PostgreSQL a moment after the start began.
 */
import { readdirSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateWhenReachable } from '../../db/reachable';
import { createSql } from '../../db/sql';
import { freePort } from '../../scripts/bench/stack';
import { freshDatabase, type FreshDatabase } from '../support/db';

/** Forwards every connection on `port` to `target`, as the database's own port would answer. */
function proxy(port: number, target: URL): Promise<Server> {
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

describe('starting while PostgreSQL is away', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('reachable');
  });
  afterAll(async () => {
    await db.drop();
  });

  it('waits for a database that comes up later, saying so on each attempt, then migrates', async () => {
    const port = await freePort();
    const target = new URL(db.url);
    const viaProxy = new URL(db.url);
    viaProxy.port = String(port);
    const sql = createSql(viaProxy.toString(), { max: 2 });
    const lines: string[] = [];
    let server: Server | undefined;
    const opened = new Promise<void>((resolve) =>
      setTimeout(() => {
        void proxy(port, target).then((s) => {
          server = s;
          resolve();
        });
      }, 1500),
    );
    try {
      const applied = await migrateWhenReachable(sql, { minDelayMs: 200, maxDelayMs: 400, log: (l) => lines.push(l) });
      await opened;
      // The fresh database was migrated already, so nothing is pending; the point is that it returned.
      expect(applied).toEqual([]);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines[0]).toMatch(/^PostgreSQL is not reachable \(ECONNREFUSED, attempt 1\); trying again in 0\.\d s$/);
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from schema_migrations`;
      // Every migration the repository holds, once each.
      expect(n).toBe(
        readdirSync(fileURLToPath(new URL('../../db/migrations', import.meta.url))).filter((f) => f.endsWith('.sql'))
          .length,
      );
    } finally {
      await sql.end();
      await new Promise((r) => (server ? server.close(r) : r(undefined)));
    }
  });

  it('gives up after the longest wait with the last error and a line that says so', async () => {
    const url = new URL(db.url);
    url.port = String(await freePort());
    const sql = createSql(url.toString(), { max: 1 });
    const lines: string[] = [];
    const t0 = Date.now();
    try {
      await expect(
        migrateWhenReachable(sql, { maxWaitMs: 1200, minDelayMs: 200, maxDelayMs: 300, log: (l) => lines.push(l) }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    } finally {
      await sql.end();
    }
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(lines.at(-1)).toMatch(/^PostgreSQL is still not reachable \(ECONNREFUSED\) after [12] s; giving up$/);
  });

  it('does not wait out a wrong password: it fails at once', async () => {
    const url = new URL(db.url);
    url.password = 'not-the-password';
    const sql = createSql(url.toString(), { max: 1 });
    const lines: string[] = [];
    try {
      await expect(migrateWhenReachable(sql, { minDelayMs: 5000, log: (l) => lines.push(l) })).rejects.toMatchObject({
        code: '28P01',
      });
    } finally {
      await sql.end();
    }
    expect(lines).toEqual([]);
  });
});
