/**
 * `npm run dev`: the whole stack on embedded defaults — Temporal dev server (SQLite file, Web UI),
 * PostgreSQL (DATABASE_URL or embedded), a local mail sink, the worker, the API, the monthly
 * schedule and the demo directory — then prints the URLs and tokens. Ctrl-C stops it all; the
 * next start keeps the data in .data/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken } from '../api/auth';
import { loadApiConfig } from '../api/config';
import { serveApi } from '../api/serve';
import { upsertDirectory } from '../db/directory';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { insertToken } from '../db/tokens';
import { directoryIsEmpty } from '../db/units';
import { createSql } from '../db/sql';
import { loadWorkerConfig } from '../worker/config';
import { runWorker } from '../worker/run';
import { DEMO_DIRECTORY } from './demo-directory';
import { startMailSink } from './mail-sink';
import { ensureMonthlySchedule } from './schedule';
import { startTemporalDevServer } from './temporal-dev';
import { ensureTools, PROJECT_ROOT } from './tools';
import { startDevProvider } from '../web/dev-provider';

const DATA = join(PROJECT_ROOT, '.data');
const log = (line: string) => console.log(`[dev] ${line}`);
const stops: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  ensureTools();

  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    log('starting embedded PostgreSQL (.data/pg)…');
    const pg = await startEmbeddedPostgres({
      dataDir: join(DATA, 'pg'),
      port: Number(process.env.PG_PORT ?? 5433),
      database: 'evaluations',
      quiet: true,
    });
    stops.unshift(pg.stop);
    databaseUrl = pg.url;
  }

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  let temporalUi: string | null = null;
  if (!temporalAddress) {
    log('starting the Temporal dev server (.data/temporal.db)…');
    const server = await startTemporalDevServer({
      dbFile: join(DATA, 'temporal.db'),
      port: 7233,
      uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
    });
    stops.unshift(server.stop);
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  }

  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const sink = await startMailSink({
      port: Number(process.env.MAIL_SINK_PORT ?? 2525),
      dir: join(DATA, 'mail'),
      log: (l) => console.log(`[mail] ${l}`),
    });
    stops.unshift(sink.stop);
    smtpUrl = sink.url;
  }

  const tokensFile = join(DATA, 'dev-tokens.json');
  const saved: { admin?: string; people?: Record<string, string>; signIn?: { password: string; secret: string } } =
    existsSync(tokensFile) ? JSON.parse(readFileSync(tokensFile, 'utf8')) : {};
  const adminToken = process.env.ADMIN_TOKEN ?? saved.admin ?? randomBytes(24).toString('base64url');

  const sql = createSql(databaseUrl, { max: 4 });
  stops.unshift(() => sql.end({ timeout: 5 }));
  await migrate(sql);
  if (await directoryIsEmpty(sql)) {
    await upsertDirectory(sql, DEMO_DIRECTORY);
    log(`loaded the demo directory: ${DEMO_DIRECTORY.units.length} units, ${DEMO_DIRECTORY.people.length} people`);
  }
  const people: Record<string, string> = saved.people ?? {};
  for (const p of DEMO_DIRECTORY.people) {
    people[p.id] ??= randomBytes(18).toString('base64url');
    const roles = p.id === 'dung' ? ['hr'] : [];
    await insertToken(
      sql,
      { hash: hashToken(people[p.id]), personId: p.id, roles, label: 'dev', expiresAt: null },
      'system',
      {
        ifAbsent: true,
      },
    );
  }
  const signIn = saved.signIn ?? {
    password: randomBytes(9).toString('base64url'),
    secret: randomBytes(24).toString('base64url'),
  };
  writeFileSync(tokensFile, JSON.stringify({ admin: adminToken, people, signIn }, null, 2), { mode: 0o600 });

  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: 'WARN',
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    SMTP_URL: smtpUrl,
    ADMIN_TOKEN: adminToken,
  };
  // Without a provider of its own, the pages sign in through a local one that knows the demo people.
  let provider: string | null = null;
  if (!process.env.OIDC_ISSUER) {
    const port = Number(process.env.PORT ?? 3000);
    const dev = await startDevProvider({
      people: DEMO_DIRECTORY.people,
      client: {
        clientId: 'eval-web',
        clientSecret: signIn.secret,
        redirectUris: [`http://127.0.0.1:${port}/auth/callback`, `http://localhost:${port}/auth/callback`],
      },
      password: signIn.password,
      port: Number(process.env.OIDC_DEV_PORT ?? 3001),
    });
    stops.unshift(dev.stop);
    Object.assign(env, { OIDC_ISSUER: dev.issuer, OIDC_CLIENT_ID: 'eval-web', OIDC_CLIENT_SECRET: signIn.secret });
    provider = dev.issuer;
  }
  const worker = await runWorker(loadWorkerConfig(env), (l) => console.log(`[worker] ${l}`));
  stops.unshift(worker.stop);
  const apiConfig = loadApiConfig(env);
  const api = await serveApi(apiConfig);
  stops.unshift(api.stop);
  await ensureMonthlySchedule({
    address: temporalAddress,
    namespace: apiConfig.TEMPORAL_NAMESPACE,
    taskQueue: apiConfig.TEMPORAL_TASK_QUEUE,
  }).catch((err) => log(`the monthly schedule could not be created: ${String(err)}`));

  console.log(`
  API            ${api.url}   (OpenAPI ${api.url}/openapi.json, try it at ${api.url}/docs)
  Temporal UI    ${temporalUi ?? '(external server at ' + temporalAddress + ')'}
  PostgreSQL     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}
  Mail           ${smtpUrl}${process.env.SMTP_URL ? '' : ' (local sink; messages in .data/mail/)'}

  Pages          ${api.url}   (sign in${provider ? ` through the local provider ${provider}: log-in name = a person's id below, password ${signIn.password}` : ` through ${process.env.OIDC_ISSUER}`})

  Tokens (also in .data/dev-tokens.json):
    admin   ${adminToken}
${DEMO_DIRECTORY.people.map((p) => `    ${p.id.padEnd(7)} ${people[p.id]}   ${p.fullName} (${p.role}, ${p.unitId})${p.id === 'dung' ? ' + hr' : ''}`).join('\n')}

  Press Ctrl-C to stop.`);
}

let stopping = false;
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const stop of stops) {
    try {
      await stop();
    } catch (err) {
      console.error(err);
    }
  }
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch(async (err) => {
  console.error(`[dev] could not start: ${err instanceof Error ? err.message : String(err)}`);
  await shutdown(1);
});
