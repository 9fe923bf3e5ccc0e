/**
 * A missed self-assessment on the time-skipping server: the reviewer may review at once (the
 * step's default), which settles the escalation; and a person whose deadline an admin moves
 * during the escalation may still file, which settles it too.
 */
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDirectory } from '../../db/directory';
import { fromMs, toMs, workingDaysAfter } from '../../domain/calendar';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { createWorker } from '../../worker/create-worker';
import { cycleWorkflow } from '../../workflows/cycle';
import {
  cycleWorkflowId,
  evaluationWorkflowId,
  getEvaluation,
  openCycle,
  overrideDeadlines,
  submitReview,
  submitSelfAssessment,
  TASK_QUEUE,
} from '../../workflows/messages';
import { freshDatabase } from '../support/db';
import { timeSkippingEnv } from '../support/temporal';

const P = '2032-05';

describe('missed self-assessment', () => {
  let env: TestWorkflowEnvironment;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    db = await freshDatabase('sa_miss');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    env = await timeSkippingEnv();
    worker = await createWorker({ connection: env.nativeConnection, sql: db.sql });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  const actor = (id: string, roles: string[] = []) => ({ id, roles });
  const evalOf = (id: string) => env.client.workflow.getHandle(evaluationWorkflowId(P, id));

  it('lets the reviewer review during the escalation, and a moved deadline lets the person file', async () => {
    const opened = await env.client.workflow.executeUpdateWithStart(openCycle, {
      args: [{ requestId: 'r' }],
      startWorkflowOperation: new WithStartWorkflowOperation(cycleWorkflow, {
        workflowId: cycleWorkflowId('snv', P),
        taskQueue: TASK_QUEUE,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ unitId: 'snv', period: P, requestId: 'r', openedBy: 'admin' }],
      }),
    });
    const { selfAssessment } = opened.view.deadlines;
    // Skip past the self-assessment deadline: lan, minh and ngoc all miss it.
    await env.sleep(toMs(selfAssessment) - (await env.currentTimeMs()) + 60_000);

    const minh = await evalOf('minh').query(getEvaluation);
    expect(minh.escalations).toEqual([expect.objectContaining({ kind: 'self-assessment', targetId: 'khanh', status: 'open' })]);
    expect(minh.missed).toContain('self-assessment');
    const reviewed = await evalOf('minh').executeUpdate(submitReview, { args: [{ actor: actor('khanh'), scores: { discipline: 18, tasks: 55, bonus: 0 } }] });
    expect(reviewed).toMatchObject({ status: 'reviewed', total: 73, proposedGrade: 'B', selfScores: null });
    expect((await evalOf('minh').query(getEvaluation)).escalations[0].status).toBe('closed');

    // An admin moves the self-assessment deadline; lan files within it and her escalation closes.
    const later = workingDaysAfter(fromMs(await env.currentTimeMs()), 1, []);
    await env.client.workflow.getHandle(cycleWorkflowId('snv', P)).executeUpdate(overrideDeadlines, { args: [{ actor: actor('admin', ['admin']), deadlines: { selfAssessment: later } }] });
    for (let i = 0; i < 50 && (await evalOf('lan').query(getEvaluation)).deadlines.selfAssessment !== later; i++) await new Promise((r) => setTimeout(r, 100));
    const filed = await evalOf('lan').executeUpdate(submitSelfAssessment, { args: [{ actor: actor('lan'), scores: { discipline: 19, tasks: 60, bonus: 3 } }] });
    expect(filed.status).toBe('self-assessed');
    const lan = await evalOf('lan').query(getEvaluation);
    expect(lan.escalations.map((e) => e.status)).toEqual(['closed']);

    const [row] = await db.sql<{ status: string }[]>`select status from escalations where person_id = 'minh' and period = ${P}`;
    expect(row.status).toBe('closed');
  });
});
