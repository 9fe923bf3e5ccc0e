/**
 * `npm run bench:reports`: a city's month in PostgreSQL, written through the read model's own
 * writers (the evaluation and cycle activities the workflows call), then the oversight report
 * timed at the city root and at one department, and a 1,000-person unit's results streamed as
 * XLSX, all through the API's handlers (in process: no socket, no Temporal).
 *
 *   npm run bench:reports -- [--people 200000] [--departments 30] [--wards 10] [--runs 200] [--concurrency 8]
 *                            [--database-url URL]   # an existing, empty database instead of an embedded one
 *                            [--reuse DIR]          # the embedded cluster of an earlier run (its `pg` folder): no load
 */
import type { Client } from '@temporalio/client';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cycleActivities } from '../../activities/cycles';
import { evaluationActivities } from '../../activities/evaluations';
import { createApp } from '../../api/app';
import { hashToken } from '../../api/auth';
import type { EscalationView } from '../../contracts/messages';
import { upsertDirectory } from '../../db/directory';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrate } from '../../db/migrate';
import { createSql, type Sql } from '../../db/sql';
import type { Directory, Grade, Person, Unit } from '../../domain/types';
import { freshDataDir } from '../tools';
import { nameOf } from './directory';
import { freePort } from './stack';
import { figures, percentile } from './stats';
import { runPool } from './pool';

const PERIOD = '2031-01';
const BIG_WARD = 'd01-w01';
const BIG_WARD_PEOPLE = 1000;
const DEPT_STAFF = 10;

const DEADLINES = {
  plan: '2031-01-06T17:00:00.000+07:00',
  selfAssessment: '2031-02-04T17:00:00.000+07:00',
  review: '2031-02-06T17:00:00.000+07:00',
};
const DELIBERATION = '2031-02-10T17:00:00.000+07:00';

/** City → departments → wards; one ward of 1,000 people, the rest of the people spread over the other wards. */
function city(people: number, departments: number, wards: number): Directory {
  const units: Unit[] = [{ id: 'city', name: 'UBND Thành phố Hà Nội', parentId: null }];
  const list: Person[] = [];
  let n = 0;
  const add = (unitId: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const id = `p${String(++n).padStart(6, '0')}`;
      const role: Person['role'] = i === 0 ? 'head' : i < 3 ? 'deputy' : 'staff';
      list.push({ id, fullName: nameOf(n), unitId, role, email: null, reviewerId: null });
    }
  };
  add('city', DEPT_STAFF);
  const wardIds: string[] = [];
  for (let d = 1; d <= departments; d++) {
    const dept = `d${String(d).padStart(2, '0')}`;
    units.push({ id: dept, name: `Sở số ${d}`, parentId: 'city' });
    add(dept, DEPT_STAFF);
    for (let w = 1; w <= wards; w++) {
      const id = `${dept}-w${String(w).padStart(2, '0')}`;
      units.push({ id, name: `Phường số ${d}.${w}`, parentId: dept });
      wardIds.push(id);
    }
  }
  add(BIG_WARD, BIG_WARD_PEOPLE);
  const rest = people - n;
  const others = wardIds.filter((w) => w !== BIG_WARD);
  others.forEach((w, i) => add(w, Math.floor(rest / others.length) + (i < rest % others.length ? 1 : 0)));
  return { units, people: list };
}

const BONUS = 5;
const scores = (total: number) => ({ discipline: 18, tasks: total - 18 - BONUS, bonus: BONUS });
const gradeOf = (t: number): Grade => (t >= 90 ? 'A' : t >= 70 ? 'B' : t >= 50 ? 'C' : 'D');

/** Each person's month, the same on every run: some plans and self-assessments missed, some reviews still owed. */
function month(i: number, p: Person, reviewing: boolean) {
  const planMissed = i % 20 === 0 || i % 20 === 1;
  const selfMissed = i % 25 === 0;
  const total = reviewing && i % 3 === 0 ? null : 40 + ((i * 37) % 60);
  const missed = [...(planMissed ? ['plan'] : []), ...(selfMissed ? ['self-assessment'] : [])];
  return {
    row: {
      period: PERIOD,
      personId: p.id,
      unitId: p.unitId,
      reviewerId: null,
      status: total === null ? ('self-assessed' as const) : ('reviewed' as const),
      plan: i % 20 === 0 ? null : [{ title: 'Giải quyết hồ sơ', target: '50 hồ sơ' }],
      selfScores: selfMissed ? null : scores(80),
      selfComment: null,
      reviewScores: total === null ? null : scores(total),
      reviewComment: null,
      total,
      proposedGrade: total === null ? null : gradeOf(total),
      missed,
      history: [],
      deadlines: DEADLINES,
    },
    escalations: selfMissed
      ? [
          {
            id: `esc:${PERIOD}:${p.id}`,
            kind: 'self-assessment',
            personId: p.id,
            unitId: p.unitId,
            period: PERIOD,
            level: 1,
            targetId: 'p000001',
            dueAt: DEADLINES.review,
            status: 'open',
            createdAt: DEADLINES.selfAssessment,
            decision: null,
            trail: [],
          } satisfies EscalationView,
        ]
      : [],
  };
}

/** Every third ward is still reviewing (its deliberation past due); the rest published. */
const stillReviewing = (unitId: string, index: number) => unitId.includes('-w') && index % 3 === 0;

async function load(sql: Sql, dir: Directory, concurrency: number) {
  const t0 = performance.now();
  await upsertDirectory(sql, dir);
  console.log(`directory: ${dir.units.length} units, ${dir.people.length} people in ${s(t0)} s`);
  const reviewing = new Set(dir.units.filter((u, i) => stillReviewing(u.id, i)).map((u) => u.id));
  const evaluations = evaluationActivities(sql);
  // Units interleaved, as a city's units file their months side by side (one unit's writes take turns on its counts row).
  const people = dir.people.map((p, i) => ({ p, i })).sort((a, b) => (a.i % 997) - (b.i % 997) || a.i - b.i);
  const t1 = performance.now();
  const evals = await runPool(people, concurrency, async ({ p, i }) => {
    const m = month(i, p, reviewing.has(p.unitId));
    await evaluations.saveEvaluation({
      workflowId: `eval:${PERIOD}:${p.id}`,
      version: 1,
      row: m.row,
      escalations: m.escalations,
      openSteps: [],
      audit: [],
      notifications: [],
    });
  });
  console.log(`evaluations: ${figures('saveEvaluation', evals.latenciesMs, evals.failed, evals.seconds).perSecond}/s`);
  const byUnit = new Map<string, { p: Person; i: number }[]>();
  for (const x of people) {
    const list = byUnit.get(x.p.unitId) ?? [];
    list.push(x);
    byUnit.set(x.p.unitId, list);
  }
  const cycles = cycleActivities(sql);
  const cyc = await runPool(dir.units, Math.min(concurrency, 4), async (u) => {
    const members = byUnit.get(u.id) ?? [];
    const settled = !reviewing.has(u.id);
    const finals = settled
      ? members.map(({ p, i }) => {
          const t = month(i, p, false).row.total;
          return { personId: p.id, finalGrade: t === null ? null : gradeOf(t), caps: [] };
        })
      : [];
    await cycles.saveCycle({
      workflowId: `cycle:${u.id}:${PERIOD}`,
      version: 2,
      view: {
        unitId: u.id,
        period: PERIOD,
        phase: settled ? 'published' : 'deliberation',
        profileId: 'HN-2023',
        deadlines: { ...DEADLINES, deliberation: DELIBERATION },
        headId: members[0]?.p.id ?? null,
        collective: members.slice(0, 3).map((m) => m.p.id),
        outstanding: false,
        deliberation: null,
        publishedAt: settled ? '2031-02-09T09:00:00.000+07:00' : null,
        complaintWindowEndsAt: null,
      },
      members: members.map(({ p }) => ({ personId: p.id, reviewerId: null })),
      finals,
      complaints: [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    });
  });
  console.log(`cycles: ${dir.units.length} in ${cyc.seconds.toFixed(1)} s; whole load ${s(t1)} s`);
}

const s = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

async function timeRequests(app: ReturnType<typeof createApp>, path: string, token: string, runs: number) {
  const times: number[] = [];
  let bytes = 0;
  let cpu = process.cpuUsage();
  for (let r = 0; r < runs + 5; r++) {
    if (r === 5) cpu = process.cpuUsage();
    const t0 = performance.now();
    const res = await app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${new TextDecoder().decode(body).slice(0, 300)}`);
    // The first five warm the caches and the connection pool.
    if (r >= 5) times.push(performance.now() - t0);
    bytes = body.length;
  }
  const used = process.cpuUsage(cpu);
  const sorted = times.sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    bytes,
    // The API's own CPU per request (this process: handlers, driver, serialisation), PostgreSQL's apart.
    cpuMs: (used.user + used.system) / 1000 / runs,
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      people: { type: 'string', default: '200000' },
      departments: { type: 'string', default: '30' },
      wards: { type: 'string', default: '10' },
      runs: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '8' },
      'database-url': { type: 'string' },
      reuse: { type: 'string' },
    },
  });
  const reuse = values.reuse;
  let url = values['database-url'];
  let stop = async () => {};
  if (!url) {
    const dataDir = reuse ?? join(freshDataDir('bench-reports-'), 'pg');
    console.log(`PostgreSQL cluster: ${dataDir}`);
    const pg = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: 'evaluations',
      quiet: true,
    });
    url = pg.url;
    stop = pg.stop;
  }
  const sql = createSql(url, { max: Number(values.concurrency) + 2 });
  try {
    await migrate(sql);
    const dir = city(Number(values.people), Number(values.departments), Number(values.wards));
    if (!reuse) await load(sql, dir, Number(values.concurrency));
    const token = 'bench-reports-admin-token';
    const app = createApp({
      sql,
      temporal: undefined as unknown as Client,
      taskQueue: 'unused',
      adminTokenHash: hashToken(token),
    });
    const runs = Number(values.runs);
    const root = await timeRequests(app, `/v1/reports/city/${PERIOD}`, token, runs);
    const dept = await timeRequests(app, `/v1/reports/d01/${PERIOD}`, token, runs);
    const xlsx = await timeRequests(app, `/v1/cycles/${BIG_WARD}/${PERIOD}/results.xlsx`, token, 10);
    const fmt = (x: { p50: number; p99: number; max: number; bytes: number; cpuMs: number }) =>
      `p50 ${x.p50.toFixed(1)} ms, p99 ${x.p99.toFixed(1)} ms, max ${x.max.toFixed(1)} ms, API CPU ${x.cpuMs.toFixed(1)} ms, ${x.bytes} bytes`;
    console.log(`report at the city root (${dir.units.length} units): ${fmt(root)}`);
    console.log(`report at one department (${Number(values.wards) + 1} units): ${fmt(dept)}`);
    console.log(`results.xlsx of a ${BIG_WARD_PEOPLE}-person unit: ${fmt(xlsx)}`);
  } finally {
    await sql.end();
    await stop();
  }
}

await main();
