/**
 * As root, PostgreSQL runs as the `postgres` user, which cannot enter a project cloned into a
 * folder only root may open (`mktemp -d`, anything under /root). The embedded cluster must start
 * all the same, and keep its data across restarts.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterDir, ROOT_CLUSTERS, startEmbeddedPostgres } from '../../db/embedded';
import { freePort } from '../../scripts/bench/stack';

const asRoot = process.getuid?.() === 0;

describe('the embedded PostgreSQL in a folder only its owner may enter', () => {
  const project = mkdtempSync(join(tmpdir(), 'clone-'));
  const dataDir = join(project, '.data', 'pg');
  afterAll(() => {
    rmSync(project, { recursive: true, force: true });
    if (clusterDir(dataDir) !== dataDir) rmSync(clusterDir(dataDir), { recursive: true, force: true });
  });

  it("keeps a traversable project where it is, and moves a closed one out of the user's folders (as root)", () => {
    expect(statSync(project).mode & 0o777).toBe(0o700);
    const open = join(tmpdir(), 'open-project', '.data', 'pg');
    mkdirSync(join(tmpdir(), 'open-project'), { recursive: true, mode: 0o755 });
    expect(clusterDir(open)).toBe(open);
    if (asRoot) {
      expect(clusterDir(dataDir).startsWith(`${ROOT_CLUSTERS}/pg-`)).toBe(true);
      expect(clusterDir(dataDir)).toBe(clusterDir(dataDir));
    } else {
      expect(clusterDir(dataDir)).toBe(dataDir);
    }
    rmSync(join(tmpdir(), 'open-project'), { recursive: true, force: true });
  });

  it('starts, stores, stops and finds its data again', async () => {
    const first = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'kept', quiet: true });
    const sql = postgres(first.url, { max: 1, onnotice: () => {} });
    await sql`create table t (v text)`;
    await sql`insert into t values ('còn đó')`;
    await sql.end();
    await first.stop();

    const again = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'kept', quiet: true });
    const sql2 = postgres(again.url, { max: 1, onnotice: () => {} });
    try {
      expect(await sql2`select v from t`).toEqual([{ v: 'còn đó' }]);
    } finally {
      await sql2.end();
      await again.stop();
    }
  });
});
