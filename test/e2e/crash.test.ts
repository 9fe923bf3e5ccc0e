/**
 * The worker process is killed (SIGKILL) twice in the middle of a month and started again; the
 * cycle still locks, and every accepted submission is in the read model exactly once.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDirectory } from '../../db/directory';
import { selfAssessmentOpensAt, toMs } from '../../domain/calendar';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { PROJECT_ROOT } from '../../scripts/tools';
import {
  approveDeliberation,
  cycleWorkflowId,
  evaluationWorkflowId,
  putDeliberation,
  submitPlan,
  submitReview,
  submitSelfAssessment,
} from '../../workflows/messages';
import { freshDatabase } from '../support/db';
import { openCycleWith, timeSkippingEnv } from '../support/temporal';

const PERIOD = '2027-02';
const PEOPLE = ['lan', 'minh', 'ngoc'];

describe('worker crash mid-month', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let worker: ChildProcess | undefined;

  const startWorker = async (): Promise<void> => {
    // node itself, not the tsx wrapper: a SIGKILL must reach the process that runs the worker.
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, TEMPORAL_ADDRESS: env.address, DATABASE_URL: db.url, LOG_LEVEL: 'WARN', SMTP_URL: '',
        // No workflow cache, hence no sticky queue: the time-skipping server never hands a dead worker's sticky tasks back,
        // and every task of the new process is rebuilt from history alone.
        WORKER_MAX_CACHED_WORKFLOWS: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('worker polling')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    worker = child;
  };

  const killWorker = async (): Promise<void> => {
    const child = worker!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    worker = undefined;
  };

  const evalHandle = (personId: string) => env.client.workflow.getHandle(evaluationWorkflowId(PERIOD, personId));
  const actor = (id: string) => ({ id, roles: [] as string[] });
  const sleepUntil = async (iso: string) => {
    const now = await env.currentTimeMs();
    if (toMs(iso) > now) await env.sleep(toMs(iso) - now + 1000);
  };

  beforeAll(async () => {
    db = await freshDatabase('crash');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    env = await timeSkippingEnv();
    await startWorker();
  });
  afterAll(async () => {
    if (worker) await killWorker();
    await env?.teardown();
    await db?.drop();
  });

  it('finishes the month with every accepted submission recorded once', async () => {
    const cycleId = cycleWorkflowId('snv', PERIOD);
    const opened = await openCycleWith(env.client, 'snv', PERIOD, 'crash');
    const deadlines = opened.view.deadlines;
    for (const p of PEOPLE) await evalHandle(p).executeUpdate(submitPlan, { args: [{ actor: actor(p), tasks: [{ title: `Kế hoạch ${p}`, target: 'xong' }] }] });

    await killWorker();
    await startWorker();

    await sleepUntil(selfAssessmentOpensAt(deadlines.selfAssessment, []));
    for (const p of PEOPLE) {
      await evalHandle(p).executeUpdate(submitSelfAssessment, { args: [{ actor: actor(p), scores: { discipline: 18, tasks: 60, bonus: 2 } }] });
    }
    await evalHandle('lan').executeUpdate(submitReview, { args: [{ actor: actor('khanh'), scores: { discipline: 20, tasks: 68, bonus: 5 } }] });

    await killWorker();
    await startWorker();

    await evalHandle('minh').executeUpdate(submitReview, { args: [{ actor: actor('khanh'), scores: { discipline: 18, tasks: 60, bonus: 0 } }] });
    await evalHandle('ngoc').executeUpdate(submitReview, { args: [{ actor: actor('lan'), scores: { discipline: 15, tasks: 30, bonus: 0 } }] });

    const cycle = env.client.workflow.getHandle(cycleId);
    // The deliberation opens once the three evaluations have handed their results back.
    for (let i = 0; i < 100; i++) {
      const rows = await db.sql`select 1 from cycles where unit_id = 'snv' and period = ${PERIOD} and phase = 'deliberation'`;
      if (rows.length) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await cycle.executeUpdate(putDeliberation, {
      args: [{ actor: actor('khanh'), decisions: [{ personId: 'lan', grade: 'B', rationale: 'Người được lãnh đạo trực tiếp bị loại D' }, { personId: 'minh', grade: 'B' }, { personId: 'ngoc', grade: 'D' }] }],
    });
    await cycle.executeUpdate(approveDeliberation, { args: [{ actor: actor('lan') }] });
    await cycle.result();

    const rows = await db.sql<{ personId: string; plan: unknown; selfScores: unknown; reviewScores: unknown; finalGrade: string }[]>`
      select person_id, plan, self_scores, review_scores, final_grade from evaluations where period = ${PERIOD} order by person_id`;
    expect(rows.map((r) => [r.personId, r.finalGrade, !!r.plan, !!r.selfScores, !!r.reviewScores])).toEqual([
      ['lan', 'B', true, true, true],
      ['minh', 'B', true, true, true],
      ['ngoc', 'D', true, true, true],
    ]);
    const actions = await db.sql<{ action: string; n: number }[]>`
      select action, count(*)::int as n from audit where subject like ${`eval:${PERIOD}:%`} and action in ('evaluation.plan', 'evaluation.self-assessment', 'evaluation.review')
      group by action order by action`;
    expect(actions).toEqual([
      { action: 'evaluation.plan', n: 3 },
      { action: 'evaluation.review', n: 3 },
      { action: 'evaluation.self-assessment', n: 3 },
    ]);
    const [c] = await db.sql<{ phase: string }[]>`select phase from cycles where unit_id = 'snv' and period = ${PERIOD}`;
    expect(c.phase).toBe('locked');
  });
});
