/** Starts the HTTP server for a configured app; shared by `npm run api` and `npm run dev`. */
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { migrateWhenReachable } from '../db/reachable';
import { createSql } from '../db/sql';
import { createApp } from './app';
import { hashToken } from './auth';
import type { ApiConfig } from './config';
import { webOptions } from '../web/config';

export async function serveApi(
  config: ApiConfig,
  log: (line: string) => void = console.warn,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const sql = createSql(config.DATABASE_URL, { max: 20 });
  await migrateWhenReachable(sql, { log });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({
    sql,
    temporal,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    adminTokenHash: hashToken(config.ADMIN_TOKEN),
    web: webOptions(config),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolve(s));
  });
  return {
    url: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await connection.close();
      await sql.end({ timeout: 5 });
    },
  };
}
