/**
 * `npm run dev`: the whole stack on embedded defaults — Temporal dev server (SQLite file, Web UI),
 * PostgreSQL (DATABASE_URL or embedded), a local mail sink, the worker, the API, the monthly
 * schedule and the demo directory — then prints the URLs and tokens. Ctrl-C stops it all; the
 * next start keeps the data in .data/.
 *
 * The stack runs in a child process of its own process group: Ctrl-C reaches only this parent,
 * which asks the child to stop, so the servers stop in order (API, worker, then Temporal and
 * PostgreSQL) instead of all at once, each complaining that the others went away.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pretty from 'pino-pretty';
import { hashToken } from '../api/auth';
import { loadApiConfig } from '../api/config';
import { serveApi } from '../api/serve';
import { upsertDirectory } from '../db/directory';
import { startEmbeddedPostgres } from '../db/embedded';
import { migrate } from '../db/migrate';
import { insertToken } from '../db/tokens';
import { directoryIsEmpty } from '../db/units';
import { createSql } from '../db/sql';
import { createLogger } from '../telemetry/log';
import { loadWorkerConfig } from '../worker/config';
import { runWorker } from '../worker/run';
import { DEMO_DIRECTORY } from './demo-directory';
import { startMailSink } from './mail-sink';
import { ensureMonthlySchedule } from './schedule';
import { startTemporalDevServer } from './temporal-dev';
import { ensureTools, PROJECT_ROOT } from './tools';
import { startDevProvider } from '../web/dev-provider';

const DATA = join(PROJECT_ROOT, '.data');
const CHILD_FLAG = 'HANOI_DEV_STACK';
const WORKER_METRICS_DEFAULT = '127.0.0.1:9464';

// Coloured, one line per entry, for a person at a terminal; JSON stays the format everywhere else.
const root = createLogger({
  level: (process.env.LOG_LEVEL ?? 'INFO').toLowerCase() as 'info',
  destination: pretty({
    colorize: true,
    translateTime: 'HH:MM:ss',
    singleLine: true,
    ignore: 'pid,hostname,service',
    messageFormat: '[{service}] {msg}',
  }),
});
const logger = root.child({ service: 'dev' });
const log = (line: string) => logger.info(line);
const stops: (() => Promise<void>)[] = [];
let stopping = false;

async function startServices(): Promise<{
  databaseUrl: string;
  temporalAddress: string;
  temporalUi: string | null;
  smtpUrl: string;
}> {
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
    const temporalLog = root.child({ service: 'temporal' });
    const server = await startTemporalDevServer({
      dbFile: join(DATA, 'temporal.db'),
      port: Number(process.env.TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
      // While stopping, its lines are the worker's and the API's connections closing: expected, not news.
      // Its banner comes on stdout, its warnings on stderr.
      onOutput: (line, stream) => {
        if (!stopping && line.trim()) temporalLog[stream === 'stdout' ? 'info' : 'warn'](line);
      },
    });
    stops.unshift(server.stop);
    temporalAddress = server.address;
    temporalUi = server.uiUrl;
  }

  let smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const mailLog = root.child({ service: 'mail' });
    const sink = await startMailSink({
      port: Number(process.env.MAIL_SINK_PORT ?? 2525),
      dir: join(DATA, 'mail'),
      log: (l) => mailLog.info(l),
    });
    stops.unshift(sink.stop);
    smtpUrl = sink.url;
  }
  return { databaseUrl, temporalAddress, temporalUi, smtpUrl };
}

/** Loads the demo directory on a first start and gives every demo person a token, kept across starts. */
async function demoData(
  databaseUrl: string,
): Promise<{ adminToken: string; people: Record<string, string>; signIn: { password: string; secret: string } }> {
  const tokensFile = join(DATA, 'dev-tokens.json');
  const saved: { admin?: string; people?: Record<string, string>; signIn?: { password: string; secret: string } } =
    existsSync(tokensFile) ? JSON.parse(readFileSync(tokensFile, 'utf8')) : {};
  const adminToken = process.env.ADMIN_TOKEN ?? saved.admin ?? randomBytes(24).toString('base64url');

  const sql = createSql(databaseUrl, { max: 4 });
  stops.unshift(() => sql.end({ timeout: 5 }));
  log('migrating the database…');
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
  return { adminToken, people, signIn };
}

async function main(): Promise<void> {
  mkdirSync(DATA, { recursive: true });
  log('checking the Temporal binaries in .tools/…');
  ensureTools(log);
  const { databaseUrl, temporalAddress, temporalUi, smtpUrl } = await startServices();
  const { adminToken, people, signIn } = await demoData(databaseUrl);

  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: 'WARN',
    WORKER_METRICS_ADDRESS: WORKER_METRICS_DEFAULT,
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
    log('starting the local OpenID provider…');
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
  log('starting the worker (bundling the workflows takes a few seconds)…');
  const workerConfig = loadWorkerConfig(env);
  const worker = await runWorker(
    workerConfig,
    root.child({ service: 'worker' }, { level: (env.LOG_LEVEL ?? 'WARN').toLowerCase() }),
  );
  stops.unshift(worker.stop);
  log('starting the API…');
  const apiConfig = loadApiConfig(env);
  const api = await serveApi(apiConfig, root.child({ service: 'api' }));
  stops.unshift(api.stop);
  log('creating the monthly schedule…');
  await ensureMonthlySchedule({
    address: temporalAddress,
    namespace: apiConfig.TEMPORAL_NAMESPACE,
    taskQueue: apiConfig.TEMPORAL_TASK_QUEUE,
  })
    .then((done) => log(`monthly schedule ${done}`))
    .catch((err) => logger.warn(`the monthly schedule could not be created: ${String(err)}`));

  const workerMetrics = workerConfig.WORKER_METRICS_ADDRESS
    ? `http://${workerConfig.WORKER_METRICS_ADDRESS}/metrics`
    : '(off: WORKER_METRICS_ADDRESS is empty)';
  process.stdout.write(`
  API            ${api.url}   (OpenAPI ${api.url}/openapi.json, try it at ${api.url}/docs)
  Temporal UI    ${temporalUi ?? '(external server at ' + temporalAddress + ')'}
  PostgreSQL     ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}
  Mail           ${smtpUrl}${process.env.SMTP_URL ? '' : ' (local sink; messages in .data/mail/)'}
  Metrics        API ${api.metricsUrl}   worker ${workerMetrics}
  Traces         ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? `OTLP to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}` : 'off (set OTEL_EXPORTER_OTLP_ENDPOINT to export them)'}

  Pages          ${api.url}   (sign in${provider ? ` through the local provider ${provider}: log-in name = a person's id below, password ${signIn.password}` : ` through ${process.env.OIDC_ISSUER}`})

  Tokens (also in .data/dev-tokens.json):
    admin   ${adminToken}
${DEMO_DIRECTORY.people.map((p) => `    ${p.id.padEnd(7)} ${people[p.id]}   ${p.fullName} (${p.role}, ${p.unitId})${p.id === 'dung' ? ' + hr' : ''}`).join('\n')}

  Press Ctrl-C to stop.
`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  for (const stop of stops) {
    try {
      await stop();
    } catch (err) {
      logger.warn({ err }, 'a part of the stack did not stop cleanly');
    }
  }
  log(code === 0 ? 'stopped; the data stays in .data/ for the next start' : 'stopped');
  process.exit(code);
}

/** The parent: runs the stack as a child in its own process group and turns Ctrl-C into one orderly stop. */
function supervise(): void {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, [CHILD_FLAG]: '1' },
    detached: true,
  });
  const stop = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 1));
}

if (process.env[CHILD_FLAG]) {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  main().catch(async (err) => {
    logger.error(`could not start: ${err instanceof Error ? err.message : String(err)}`);
    await shutdown(1);
  });
} else {
  supervise();
}
