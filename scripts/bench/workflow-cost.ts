/**
 * `npm run bench:workflow-cost [-- --people 1000 --replays 200]`
 *
 * What one workflow costs the worker, the two figures that size its cache (docs/benchmarks.md):
 *
 * - **live heap per cached workflow**: workflows run in the main thread (`debugMode`) so that
 *   `heapUsed` after a full collection counts them; measured for `people` parked floor workflows
 *   under an SDK-only bundle and under ours, and for a month of `people` evaluations (their cycles
 *   opened, everything cached), ours with the domain modules per workflow and shared (`worker/bundle.ts`);
 * - **replay time**: a recorded evaluation history (`test/replay/histories/v1/`) replayed
 *   `replays` times, which is what a command costs when its workflow is no longer cached, with
 *   the workflows' stack traces on and off (`WORKER_STACK_TRACES`) and the domain modules shared
 *   or per workflow; and today's recorded evaluation cut at several lengths, for the cost per event;
 * - **an idle worker's resident memory**, started as `npm run worker` does, bundling the workflows
 *   with webpack at start and loading a prebuilt bundle (`WORKFLOW_BUNDLE`).
 *
 * Run it with nothing else busy: `--expose-gc` is set by the npm script.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createActivities } from '../../activities';
import { upsertDirectory } from '../../db/directory';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { createSql } from '../../db/sql';
import type { History } from '@temporalio/common/lib/proto-utils';
import { historyFromJson } from '../../test/support/histories';
import { installQuietRuntime, openCycleWith } from '../../test/support/temporal';
import { BENCH_WORKFLOWS_PATH, bundleWorkflows } from '../../worker/bundle';
import { setWorkflowStackTraces } from '../../worker/create-worker';
import { writeWorkflowBundle } from '../bundle-workflows';
import { TASK_QUEUE } from '../../contracts/messages';
import { startTemporalDevServer } from '../temporal-dev';
import { ensureTools, freshDataDir, PROJECT_ROOT } from '../tools';
import { benchDirectory } from './directory';
import { freePort, memoryMiB, startWorkerProcess } from './stack';

const { values: args } = parseArgs({
  options: { people: { type: 'string', default: '1000' }, replays: { type: 'string', default: '200' } },
});
const people = Number(args.people);
const replays = Number(args.replays);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run bench:workflow-cost does)');

const heapMiB = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

/** Live heap per cached workflow, once `start` has made them run on `queue` under `bundle`. */
async function perCachedWorkflow(
  what: string,
  opts: {
    bundle: { code: string };
    address: string;
    queue: string;
    activities: object;
    start: (client: Client) => Promise<void>;
  },
) {
  const { address, queue, bundle } = opts;
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue: queue,
    workflowBundle: bundle,
    debugMode: true,
    maxCachedWorkflows: 1_000_000,
    activities: opts.activities,
  });
  const running = worker.run();
  const client = new Client({ connection: await Connection.connect({ address }) });
  const before = heapMiB();
  await opts.start(client);
  await new Promise((r) => setTimeout(r, 3000));
  const after = heapMiB();
  const cached = worker.getStatus().numCachedWorkflows;
  worker.shutdown();
  await running;
  await client.connection.close();
  const kib = ((after - before) * 1024) / cached;
  console.log(`${what.padEnd(44)} ${String(cached).padStart(6)} cached  ${kib.toFixed(1).padStart(7)} KiB each`);
}

/** Resident memory of a worker process 8 s after it starts polling (and its peak so far). */
async function idleWorker(what: string, env: NodeJS.ProcessEnv): Promise<void> {
  const worker = await startWorkerProcess({ LOG_LEVEL: 'WARN', SMTP_URL: '', ...env });
  await new Promise((r) => setTimeout(r, 8000));
  console.log(
    `${what.padEnd(44)} resident ${memoryMiB(worker.process.pid, 'VmRSS')} MiB, peak ${worker.peakMiB()} MiB`,
  );
  await worker.kill();
}

async function main(): Promise<void> {
  ensureTools();
  installQuietRuntime();
  const dir = freshDataDir('workflow-cost-');
  const pg = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    database: 'evaluations',
    quiet: true,
  });
  const temporal = await startTemporalDevServer({
    dbFile: join(dir, 'temporal.db'),
    port: await freePort(),
    uiPort: null,
    quiet: true,
  });
  const sql = createSql(pg.url, { max: 10 });
  try {
    await migrate(sql);
    const units = Math.max(1, Math.round(people / 100));
    await upsertDirectory(sql, benchDirectory(people, units));
    const activitiesClient = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    const activities = createActivities({ sql, temporal: activitiesClient, taskQueue: TASK_QUEUE });
    const parkFloors = (queue: string) => async (client: Client) => {
      for (let i = 0; i < people; i++)
        await client.workflow.start('benchFloorWorkflow', { taskQueue: queue, workflowId: `${queue}-${i}` });
    };
    // Ours as every worker runs it, and the same with the domain modules per workflow, for comparison.
    // The production workflows with the floor beside them (BENCH_WORKFLOWS_PATH): the floor runs under our bundle too.
    const ours = await bundleWorkflows({ workflowsPath: BENCH_WORKFLOWS_PATH });
    const oursUnshared = await bundleWorkflows({ workflowsPath: BENCH_WORKFLOWS_PATH, preload: false });
    const sdkOnly = await bundleWorkflows({
      workflowsPath: join(PROJECT_ROOT, 'scripts', 'bench', 'floor-workflow.ts'),
      preload: false,
      interceptors: false,
    });
    const common = { address: temporal.address, activities };
    // As the worker runs by default (WORKER_STACK_TRACES=off); debugMode installs the SDK's hooks
    // once, in this thread, so this holds for every cache measurement below.
    setWorkflowStackTraces(false);
    console.log(`live heap per cached workflow (${people} people, stack traces off):`);
    await perCachedWorkflow('floor workflow, SDK-only bundle', {
      ...common,
      bundle: sdkOnly,
      queue: 'cost-bare',
      start: parkFloors('cost-bare'),
    });
    await perCachedWorkflow('floor workflow, our bundle, domain per workflow', {
      ...common,
      bundle: oursUnshared,
      queue: 'cost-unshared',
      start: parkFloors('cost-unshared'),
    });
    await perCachedWorkflow('floor workflow, our bundle, domain shared', {
      ...common,
      bundle: ours,
      queue: 'cost-full',
      start: parkFloors('cost-full'),
    });
    // Cycles start their evaluations on the default queue, so these workers poll that one, a month each.
    const openMonth = (period: string) => async (client: Client) => {
      for (let u = 1; u <= units; u++) await openCycleWith(client, `u${String(u).padStart(4, '0')}`, period);
    };
    await perCachedWorkflow('evaluations (and cycles), domain per workflow', {
      ...common,
      bundle: oursUnshared,
      queue: TASK_QUEUE,
      start: openMonth('2031-01'),
    });
    await perCachedWorkflow('evaluations (and cycles), domain shared', {
      ...common,
      bundle: ours,
      queue: TASK_QUEUE,
      start: openMonth('2031-02'),
    });
    await activitiesClient.connection.close();

    console.log('an idle worker:');
    const workerEnv = { DATABASE_URL: pg.url, TEMPORAL_ADDRESS: temporal.address };
    await idleWorker('bundling the workflows at start (webpack)', workerEnv);
    const bundlePath = join(dir, 'workflow-bundle.js');
    await writeWorkflowBundle(bundlePath, ours.code);
    await idleWorker('prebuilt bundle (WORKFLOW_BUNDLE)', { ...workerEnv, WORKFLOW_BUNDLE: bundlePath });

    // Replay workers run in this thread (the SDK sets `debugMode`), where its hooks were installed
    // once above. The SDK's types leave `debugMode` out of replay options, but it passes them on:
    // false gives each replay worker a workflow thread, as in production, which reads the switch
    // as it starts.
    const inWorkflowThread = { debugMode: false };
    const workflowId = 'eval:2032-03:cuong';
    /** Wall and CPU (all the process's threads) milliseconds per replay of `history`, over `replays`. */
    async function replayCost(history: History, bundle: typeof ours, stackTraces: boolean) {
      setWorkflowStackTraces(stackTraces);
      async function* histories() {
        for (let i = 0; i < replays; i++) yield { workflowId, history };
      }
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      let failed = 0;
      for await (const r of Worker.runReplayHistories({ workflowBundle: bundle, ...inWorkflowThread }, histories()))
        if (r.error) failed += 1;
      const cpu = process.cpuUsage(cpu0);
      const wall = (performance.now() - t0) / replays;
      return `${wall.toFixed(1)} ms each (CPU ${((cpu.user + cpu.system) / 1000 / replays).toFixed(1)}) over ${replays}${failed ? `, ${failed} FAILED` : ''}`;
    }

    const v1 = historyFromJson(
      readFileSync(join(PROJECT_ROOT, 'test', 'replay', 'histories', 'v1', 'eval__2032-03__cuong.json'), 'utf8'),
    );
    const runs = [
      { stackTraces: true, bundle: ours, what: 'domain shared' },
      { stackTraces: false, bundle: ours, what: 'domain shared' },
      { stackTraces: false, bundle: oursUnshared, what: 'domain per workflow' },
    ];
    for (const { stackTraces, bundle, what } of runs) {
      for (let round = 1; round <= 2; round++) {
        console.log(
          `replay of an evaluation (${v1.events?.length} events), stack traces ${stackTraces ? 'on' : 'off'}, ${what}, round ${round}: ${await replayCost(v1, bundle, stackTraces)}`,
        );
      }
    }

    // How a replay's cost grows with the history: today's recorded evaluation cut after its 1st,
    // 3rd and 8th workflow task, and whole.
    const now = historyFromJson(
      readFileSync(join(PROJECT_ROOT, 'test', 'replay', 'histories', 'eval__2032-03__cuong.json'), 'utf8'),
    );
    const events = now.events ?? [];
    const taskEnds = events.flatMap((e, i) => (e.workflowTaskCompletedEventAttributes ? [i + 1] : []));
    for (const cut of [taskEnds[0], taskEnds[2], taskEnds[7], events.length]) {
      console.log(
        `replay of the first ${String(cut).padStart(3)} events of an evaluation, stack traces off: ${await replayCost({ ...now, events: events.slice(0, cut) }, ours, false)}`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
    await temporal.stop();
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`workflow-cost failed: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
