/** The API in-process (no HTTP server) over a given Postgres and Temporal client, with a token per person. */
import type { Client } from '@temporalio/client';
import { createApp, type AppOptions } from '../../api/app';
import { silentLogger } from '../../telemetry/log';
import { hashToken } from '../../api/auth';
import type { Sql } from '../../db/sql';
import { TASK_QUEUE } from '../../contracts/messages';

export interface InProcessApi {
  /** Calls the API as `who` (a person id or 'admin'); the body is parsed JSON. */
  call: (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any }>;
}

export async function inProcessApi(
  sql: Sql,
  temporal: Client,
  people: string[],
  opts: { hr?: string[]; name: string; app?: AppOptions },
): Promise<InProcessApi> {
  const tokens: Record<string, string> = {};
  for (const id of people) {
    tokens[id] = `tok-${id}-${opts.name}`;
    await sql`insert into tokens (hash, person_id, roles) values (${hashToken(tokens[id])}, ${id}, ${(opts.hr ?? []).includes(id) ? ['hr'] : []})
      on conflict (hash) do nothing`;
  }
  const adminToken = `admin-${opts.name}-0123456789abcdef`;
  const app = createApp(
    { sql, temporal, taskQueue: TASK_QUEUE, adminTokenHash: hashToken(adminToken) },
    silentLogger,
    opts.app,
  );
  return {
    call: async (who, method, path, body, headers = {}) => {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${who === 'admin' ? adminToken : tokens[who]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
  };
}
