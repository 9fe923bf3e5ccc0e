/**
 * The real stack for API and end-to-end tests: a Temporal CLI dev server (its own SQLite file in
 * a temp folder), a fresh Postgres database, a worker and the HTTP API on free ports.
 */
import { serve } from '@hono/node-server';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../api/app';
import type { AuthFailureLimit } from '../../api/guards';
import { silentLogger, type Logger } from '../../telemetry/log';
import { RequestIdClientInterceptor } from '../../telemetry/request-id';
import { hashToken } from '../../api/auth';
import { upsertDirectory } from '../../db/directory';
import type { Sql } from '../../db/sql';
import type { Directory } from '../../domain/types';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { freePort } from '../../scripts/bench/stack';
import { startTemporalDevServer, type DevServer } from '../../scripts/temporal-dev';
import { createWorker } from '../../worker/create-worker';
import { TASK_QUEUE } from '../../contracts/messages';
import { freshDatabase } from './db';
import { installQuietRuntime } from './temporal';
import { startDevProvider, type DevProvider } from '../../web/dev-provider';
import type { WebOptions } from '../../web/config';

export { freePort };

export interface Stack {
  url: string;
  sql: Sql;
  databaseUrl: string;
  temporal: Client;
  server: DevServer;
  /** The Temporal dev server's SQLite file. */
  temporalDbFile: string;
  adminToken: string;
  tokens: Record<string, string>;
  /** fetch against the API as `who` (a person id, 'admin', or null for no token). */
  call: (
    who: string | null,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: any }>;
  /** With `signIn`: the local OpenID provider the pages sign in through, and its one password. */
  provider: (DevProvider & { password: string }) | null;
  startWorker: () => Promise<void>;
  stopWorker: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startStack(
  name: string,
  opts: {
    directory?: Directory;
    hr?: string[];
    commandTimeoutMs?: number;
    /** Start the local OpenID provider and configure the pages' sign-in against it. */
    signIn?: { idleSeconds?: number };
    /** The API's and the worker's logger (silent when absent). */
    logger?: Logger;
    /** The API's limit on failed sign-ins per address (the production default when absent). */
    authFailureLimit?: AuthFailureLimit;
  } = {},
): Promise<Stack> {
  installQuietRuntime();
  const dir = mkdtempSync(join(tmpdir(), `eval-${name}-`));
  const server = await startTemporalDevServer({
    dbFile: join(dir, 'temporal.db'),
    port: await freePort(),
    uiPort: null,
    quiet: true,
  });
  const db = await freshDatabase(name);
  const directory = opts.directory ?? DEMO_DIRECTORY;
  await upsertDirectory(db.sql, directory);
  const tokens: Record<string, string> = {};
  for (const p of directory.people) {
    tokens[p.id] = `tok-${p.id}-${name}`;
    const roles = (opts.hr ?? []).includes(p.id) ? ['hr'] : [];
    await db.sql`insert into tokens (hash, person_id, roles) values (${hashToken(tokens[p.id])}, ${p.id}, ${roles})`;
  }
  const adminToken = `admin-token-${name}-0123456789`;
  const connection = await Connection.connect({ address: server.address });
  const temporal = new Client({ connection, interceptors: { workflow: [new RequestIdClientInterceptor()] } });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let provider: Stack['provider'] = null;
  let web: WebOptions | undefined;
  if (opts.signIn) {
    const client = { clientId: 'eval-web', clientSecret: `secret-${name}`, redirectUris: [`${url}/auth/callback`] };
    const password = `pw-${name}`;
    provider = { ...(await startDevProvider({ people: directory.people, client, password, port: 0 })), password };
    web = {
      oidc: { issuer: provider.issuer, clientId: client.clientId, clientSecret: client.clientSecret },
      publicUrl: null,
      idleSeconds: opts.signIn.idleSeconds ?? 1800,
    };
  }
  const app = createApp(
    {
      sql: db.sql,
      temporal,
      taskQueue: TASK_QUEUE,
      adminTokenHash: hashToken(adminToken),
      commandTimeoutMs: opts.commandTimeoutMs,
      web,
    },
    opts.logger ?? silentLogger,
    opts.authFailureLimit ? { authFailureLimit: opts.authFailureLimit } : {},
  );
  const http = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  const startWorker = async () => {
    nativeConnection = await NativeConnection.connect({ address: server.address });
    worker = await createWorker({ connection: nativeConnection, sql: db.sql, temporal, logger: opts.logger });
    workerRun = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await workerRun;
    await nativeConnection?.close();
    // Stopped once: a later stop() has nothing left to close.
    nativeConnection = undefined;
    worker = undefined;
  };
  await startWorker();

  const call: Stack['call'] = async (who, method, path, body, headers = {}) => {
    const auth: Record<string, string> =
      who === null ? {} : { authorization: `Bearer ${who === 'admin' ? adminToken : tokens[who]}` };
    const type: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { ...auth, ...type, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    // Downloads (XLSX, CSV, PDF) come back as their text; tests that read them fetch the bytes themselves.
    const isJson = /json/.test(res.headers.get('content-type') ?? '');
    return { status: res.status, body: text ? (isJson ? JSON.parse(text) : text) : null };
  };

  return {
    url,
    sql: db.sql,
    databaseUrl: db.url,
    temporal,
    server,
    temporalDbFile: join(dir, 'temporal.db'),
    adminToken,
    tokens,
    call,
    provider,
    startWorker,
    stopWorker,
    stop: async () => {
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await stopWorker();
      await connection.close();
      await server.stop();
      await provider?.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs` naming `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
