/** The embedded PostgreSQL says why it could not start instead of rejecting with nothing. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterDir, startEmbeddedPostgres, type EmbeddedDb } from '../../db/embedded';
import { freePort } from '../../scripts/bench/stack';
import { freshDataDir } from '../../scripts/tools';

describe('embedded PostgreSQL start', () => {
  const dir = freshDataDir('embedded-');
  let first: EmbeddedDb | undefined;
  afterAll(async () => {
    await first?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the server already running on the data directory', async () => {
    const dataDir = join(dir, 'pg');
    first = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'x', quiet: true });
    const port = await freePort();
    await expect(startEmbeddedPostgres({ dataDir, port, database: 'x', quiet: true })).rejects.toThrow(
      new RegExp(
        `^PostgreSQL could not start in ${clusterDir(dataDir)}: another server \\(pid \\d+\\) is running on that data directory; stop it first$`,
      ),
    );
  });
});
