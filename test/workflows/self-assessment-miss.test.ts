/**
 * A missed self-assessment on the time-skipping server: the reviewer may review at once (the
 * step's default), which settles the escalation; and a person whose deadline an admin moves
 * during the escalation may still file, which settles it too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, nextPeriod, toMs, workingDaysAfter } from '../../domain/calendar';
import {
  cycleWorkflowId,
  evaluationWorkflowId,
  getEvaluation,
  overrideDeadlines,
  submitReview,
  submitSelfAssessment,
} from '../../contracts/messages';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

describe('missed self-assessment', () => {
  let stack: TimeSkippingStack;
  let P: string;
  beforeAll(async () => {
    stack = await startTimeSkippingStack('sa_miss');
    // The month after the server's clock (it starts at the real time): every default deadline lies ahead.
    P = nextPeriod(fromMs(await stack.env.currentTimeMs()).slice(0, 7));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const actor = (id: string, roles: string[] = []) => ({ id, roles });
  const evalOf = (id: string) => stack.env.client.workflow.getHandle(evaluationWorkflowId(P, id));

  it('lets the reviewer review during the escalation, and a moved deadline lets the person file', async () => {
    const { env, db } = stack;
    const opened = await openCycleWith(env.client, 'snv', P);
    const { selfAssessment } = opened.view.deadlines;
    // Skip past the self-assessment deadline: lan, minh and ngoc all miss it.
    await env.sleep(toMs(selfAssessment) - (await env.currentTimeMs()) + 60_000);

    const minh = await evalOf('minh').query(getEvaluation);
    expect(minh.escalations).toEqual([
      expect.objectContaining({ kind: 'self-assessment', targetId: 'khanh', status: 'open' }),
    ]);
    // Nobody filed a plan either: both misses are on record.
    expect(minh.missed).toEqual(['plan', 'self-assessment']);
    const reviewed = await evalOf('minh').executeUpdate(submitReview, {
      args: [{ actor: actor('khanh'), scores: { discipline: 18, tasks: 55, bonus: 0 } }],
    });
    expect(reviewed).toMatchObject({ status: 'reviewed', total: 73, proposedGrade: 'B', selfScores: null });
    expect((await evalOf('minh').query(getEvaluation)).escalations[0].status).toBe('closed');

    // An admin moves the self-assessment deadline; lan files within it and her escalation closes.
    const later = workingDaysAfter(fromMs(await env.currentTimeMs()), 1, []);
    await env.client.workflow.getHandle(cycleWorkflowId('snv', P)).executeUpdate(overrideDeadlines, {
      args: [{ actor: actor('admin', ['admin']), deadlines: { selfAssessment: later } }],
    });
    for (let i = 0; i < 50 && (await evalOf('lan').query(getEvaluation)).deadlines.selfAssessment !== later; i++)
      await new Promise((r) => setTimeout(r, 100));
    const filed = await evalOf('lan').executeUpdate(submitSelfAssessment, {
      args: [{ actor: actor('lan'), scores: { discipline: 19, tasks: 60, bonus: 3 } }],
    });
    expect(filed.status).toBe('self-assessed');
    const lan = await evalOf('lan').query(getEvaluation);
    expect(lan.escalations.map((e) => e.status)).toEqual(['closed']);

    const [row] = await db.sql<
      { status: string }[]
    >`select status from escalations where person_id = 'minh' and period = ${P}`;
    expect(row.status).toBe('closed');
  });
});
