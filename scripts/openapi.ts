/**
 * The OpenAPI document as the API serves it at /openapi.json, built without a database or a
 * Temporal server (serving the document touches neither). `tsx scripts/openapi.ts [file]` writes
 * it to a file (stdout without one), for a linter or a client generator.
 */
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import type { Sql } from '../db/sql';
import { TASK_QUEUE } from '../contracts/messages';
import { silentLogger } from '../telemetry/log';

export async function openApiDocument(): Promise<string> {
  const app = createApp(
    { sql: {} as Sql, temporal: {} as Client, taskQueue: TASK_QUEUE, adminTokenHash: '00' },
    silentLogger,
  );
  const res = await app.request('/openapi.json');
  return `${JSON.stringify(await res.json(), null, 2)}\n`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const doc = await openApiDocument();
  if (process.argv[2]) writeFileSync(process.argv[2], doc);
  else process.stdout.write(doc);
}
