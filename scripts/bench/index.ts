/**
 * `npm run bench -- --people 2000 [--units 20] [--concurrency 32] [--workers 1] [--worker-heap MiB] [--directory-order] [--json]`
 * `npm run bench -- --pages [--people 300]`: the web pages' figures instead (./pages.ts).
 *
 * Brings up the stack (Temporal dev server, Postgres, worker and API in their own processes) unless
 * `--api URL --admin-token T --temporal host:port` name one that answers; loads a synthetic city;
 * measures the floor (bare Temporal updates); drives a whole month through the HTTP API; measures
 * the floor again; prints a table and the ratio of submission throughput to the mean of the two
 * floors; writes bench/results/<time>.json.
 */
import { Client, Connection } from '@temporalio/client';
import cliProgress from 'cli-progress';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluationWorkflowId } from '../../contracts/messages';
import { ensureTools, PROJECT_ROOT } from '../tools';
import { cpuMeter, cpuTable } from './cpu';
import { benchDirectory } from './directory';
import { measureFloor } from './floor';
import { apiClient, driveMonth, SUBMISSION_STEPS, type Step } from './month';
import { benchPages, pagesTable } from './pages';
import { startBenchStack, type BenchStack } from './stack';
import { round, table } from './stats';

const { values: args } = parseArgs({
  options: {
    people: { type: 'string' },
    pages: { type: 'boolean', default: false },
    units: { type: 'string' },
    concurrency: { type: 'string', default: '32' },
    period: { type: 'string', default: '2031-01' },
    json: { type: 'boolean', default: false },
    api: { type: 'string' },
    'admin-token': { type: 'string' },
    temporal: { type: 'string' },
    workers: { type: 'string', default: '1' },
    'worker-heap': { type: 'string' },
    'worker-env': { type: 'string', multiple: true, default: [] },
    'directory-order': { type: 'boolean', default: false },
  },
});

const people = Number(args.people ?? (args.pages ? 300 : 2000));
const units = Number(args.units ?? Math.max(1, Math.round(people / 100)));
const concurrency = Number(args.concurrency);
const workers = Number(args.workers);
const workerHeapMb = args['worker-heap'] === undefined ? undefined : Number(args['worker-heap']);
for (const [name, value] of [
  ['people', people],
  ['units', units],
  ['concurrency', concurrency],
  ['workers', workers],
  ['worker-heap', workerHeapMb ?? 1],
] as const) {
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a whole number of at least 1 (got ${String(value)}).`);
    process.exit(2);
  }
}
const order = args['directory-order'] ? 'directory order in every step' : 'each step in its own seeded order';
const say = (line: string) => {
  if (!args.json) console.log(line);
};

const maxOrNull = (values: (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
};

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`)).ok;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  let stack: BenchStack | undefined;
  let api = args.api;
  let adminToken = args['admin-token'];
  let temporalAddress = args.temporal;
  if (!(api && adminToken && temporalAddress && (await answers(api)))) {
    ensureTools();
    say('bringing up the stack (Temporal dev server, PostgreSQL, worker, API)…');
    // Split at the first '=' only: a value may hold more (NODE_OPTIONS=--max-old-space-size=512).
    const workerEnv = Object.fromEntries(
      args['worker-env'].map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    stack = await startBenchStack({ name: 'bench', workers, workerHeapMb, workerEnv });
    // Ctrl-C (or a kill) must not leave the worker, API, Temporal server and Postgres behind.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => void stack!.stop().finally(() => process.exit(130)));
    }
    ({ api, adminToken, temporalAddress } = {
      api: stack.api,
      adminToken: stack.adminToken,
      temporalAddress: stack.temporalAddress,
    });
  }
  if (args.pages) {
    try {
      if (!stack) throw new Error('--pages brings up its own stack (it opens a web session in its database).');
      const result = {
        at: new Date().toISOString(),
        people,
        ...(await benchPages({
          api: api!,
          adminToken: adminToken!,
          databaseUrl: stack.databaseUrl,
          people,
          period: args.period!,
          concurrency,
          say,
        })),
      };
      mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
      const file = join(PROJECT_ROOT, 'bench', 'results', `${result.at.replace(/[:.]/g, '-')}-pages-${people}.json`);
      writeFileSync(file, JSON.stringify(result, null, 2));
      if (args.json) console.log(JSON.stringify(result));
      else console.log(`\n${pagesTable(result)}\n\nwritten to ${file}`);
    } finally {
      await stack?.stop();
    }
    return;
  }
  const bars = new cliProgress.MultiBar(
    {
      format: ' {step} |{bar}| {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  try {
    const directory = benchDirectory(people, units);
    const call = apiClient(api!);
    const loaded = await call<{ units: number; people: number }>(adminToken!, 'PUT', '/v1/org', directory);
    say(`directory: ${loaded.units} units, ${loaded.people} people; concurrency ${concurrency}; ${order}`);

    // Without a stack of our own, only this process's CPU can be read.
    const meter = cpuMeter(() => stack?.pids() ?? {});
    const floorWith = async (label: string, bar: string) => {
      const floorBar = bars.create(people, 0, { step: bar.padEnd(15) });
      const figures = await measureFloor({
        address: temporalAddress!,
        count: people,
        concurrency,
        label,
        meter,
        onProgress: (d) => floorBar.update(d),
      });
      floorBar.stop();
      return figures;
    };
    const floorBefore = await floorWith('floor (bare update)', 'floor');

    const stepBars = new Map<Step, cliProgress.SingleBar>();
    const month = await driveMonth({
      api: api!,
      adminToken: adminToken!,
      directory,
      period: args.period!,
      concurrency,
      meter,
      shuffle: !args['directory-order'],
      onProgress: (step, done, total) => {
        let bar = stepBars.get(step);
        if (!bar) {
          bar = bars.create(total, 0, { step: step.padEnd(15) });
          stepBars.set(step, bar);
        }
        bar.update(done);
      },
    });

    // The month's commands ran against a server whose history grew as they went, and the noise
    // of a shared machine moves a single floor by a third: the reference is the mean of a floor
    // measured before the month and one after it.
    const floorAfter = await floorWith('floor, after month', 'floor after');
    bars.stop();
    const floorPerSecond = (floorBefore.perSecond + floorAfter.perSecond) / 2;

    const connection = await Connection.connect({ address: temporalAddress! });
    const client = new Client({ connection });
    const sample = directory.people.filter((_, i) => i % Math.max(1, Math.floor(people / 100)) === 0).slice(0, 100);
    const histories = await Promise.all(
      sample.map(async (p) => await client.workflow.getHandle(evaluationWorkflowId(args.period!, p.id)).describe()),
    );
    await connection.close();
    const events = histories.map((h) => h.historyLength);
    const bytes = histories.map((h) => h.historySize ?? 0);

    const submissions = month.steps.filter((s) => SUBMISSION_STEPS.includes(s.step as Step));
    const submitted = submissions.reduce((n, s) => n + s.count, 0);
    const submitSeconds = submissions.reduce((n, s) => n + s.seconds, 0);
    const throughput = submitted / submitSeconds;
    const result = {
      at: new Date().toISOString(),
      people,
      units: directory.units.length,
      concurrency,
      order,
      steps: month.steps,
      floor: floorBefore,
      floorAfter,
      floorPerSecond: round(floorPerSecond, 1),
      submissionsPerSecond: round(throughput, 1),
      ratioToFloor: round(throughput / floorPerSecond, 3),
      ratioToFloorBefore: round(throughput / floorBefore.perSecond, 3),
      cpuMsPerRequest: meter.perRequest(),
      monthWallSeconds: round(month.wallSeconds, 1),
      workers: stack?.workers.length ?? null,
      peakMemoryMiB: {
        worker: maxOrNull(stack?.workers.map((w) => w.peakMiB()) ?? []),
        workers: stack?.workers.map((w) => w.peakMiB()) ?? [],
        api: stack?.apiService.peakMiB() ?? null,
      },
      historyPerEvaluation: {
        sampled: histories.length,
        eventsMean: round(events.reduce((a, b) => a + b, 0) / events.length, 1),
        eventsMax: Math.max(...events),
        bytesMean: Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length),
        bytesMax: Math.max(...bytes),
      },
    };
    mkdirSync(join(PROJECT_ROOT, 'bench', 'results'), { recursive: true });
    const file = join(PROJECT_ROOT, 'bench', 'results', `${result.at.replace(/[:.]/g, '-')}-${people}.json`);
    writeFileSync(file, JSON.stringify(result, null, 2));
    if (args.json) {
      console.log(JSON.stringify(result));
    } else {
      console.log(`\n${table([...month.steps, floorBefore, floorAfter])}\n`);
      console.log(`${cpuTable(result.cpuMsPerRequest)}\n`);
      console.log(`month wall time          ${result.monthWallSeconds} s`);
      console.log(
        `submissions (plan, self-assessment, review) ${result.submissionsPerSecond}/s; floor ${result.floorPerSecond}/s (${floorBefore.perSecond} before the month, ${floorAfter.perSecond} after)`,
      );
      console.log(
        `ratio to floor           ${result.ratioToFloor} (${result.ratioToFloorBefore} to the floor before the month alone)`,
      );
      const each = result.peakMemoryMiB.workers.length > 1 ? ` (each: ${result.peakMemoryMiB.workers.join(', ')})` : '';
      console.log(
        `peak memory              worker ${result.peakMemoryMiB.worker ?? 'n/a'} MiB${each}, API ${result.peakMemoryMiB.api ?? 'n/a'} MiB`,
      );
      console.log(
        `history per evaluation   ${result.historyPerEvaluation.eventsMean} events (max ${result.historyPerEvaluation.eventsMax}), ${result.historyPerEvaluation.bytesMean} bytes (max ${result.historyPerEvaluation.bytesMax})`,
      );
      console.log(`written to               ${file}`);
    }
  } finally {
    bars.stop();
    await stack?.stop();
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
