/**
 * Records the histories that test/replay/replay.test.ts replays for the paths the behaviour tests
 * do not record: a rotation (missed opinion escalated, effective date, end-of-term review 34 months
 * on), a tie decided by the chair's open vote, a secret ballot split in half and settled by the
 * chair's casting vote, the evaluations re-routed when their person moves mid-month
 * (`reroute-on-move`), a monthly opener on its `monthly-proposal-scan` branch, and a replacement's
 * vote missed and extended a working day late, to its 15th working day at most (`vote-extension-cap`). Each is driven through the real API, worker and workflow code on the
 * time-skipping server, and checked to have reached the state it is meant to record, so a file
 * is never the history of a scenario that went wrong.
 *
 * Not part of `npm test` (it writes into the committed histories); run it on purpose with
 *   npx vitest run --config test/replay/record.config.ts
 * then review and commit the new files. Move the histories of released code into a `vN/` folder
 * first if the workflow code changed since they were recorded.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, atLocal, fromMs, localDate, toMs, workingDaysAfter } from '../../domain/calendar';
import { addDays } from '../../domain/eligibility';
import { caseWorkflowId } from '../../contracts/case-messages';
import { evaluationWorkflowId, getEvaluation, TASK_QUEUE } from '../../contracts/messages';
import { inProcessApi, type InProcessApi } from '../support/api';
import { historyToJson } from '../support/histories';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

const PEOPLE = ['an', 'binh', 'cuong', 'dung', 'em', 'giang', 'hai', 'hoa', 'khanh', 'lan', 'minh', 'ngoc'];
const MINUTE = 60_000;
const HISTORIES_DIR = fileURLToPath(new URL('./histories/', import.meta.url));

function recorderStack(name: string) {
  const h = {} as { stack: TimeSkippingStack; env: TestWorkflowEnvironment; api: InProcessApi };
  beforeAll(async () => {
    h.stack = await startTimeSkippingStack(name);
    h.env = h.stack.env;
    h.api = await inProcessApi(h.stack.db.sql, h.env.client, PEOPLE, { name });
  });
  afterAll(async () => {
    await h.stack?.stop();
  });

  async function expectCall(status: number, who: string, method: string, path: string, body?: unknown) {
    const res = await h.api.call(who, method, path, body);
    expect(res.status, `${method} ${path} as ${who}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  }

  async function caseWhen(id: string, check: (c: any) => boolean, what: string): Promise<any> {
    for (let i = 0; i < 200; i++) {
      const c = await expectCall(200, 'admin', 'GET', `/v1/cases/${id}`);
      if (check(c)) return c;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${id} never reached: ${what}`);
  }

  /** Writes a workflow's history under its ID (':' as '__', as replay.test.ts reads it back). */
  async function record(workflowId: string): Promise<void> {
    const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(HISTORIES_DIR, `${workflowId.replaceAll(':', '__')}.json`), `${historyToJson(history)}\n`);
  }

  /** Fails naming the skip if the time-skipping server stalls (temporalio/sdk-java#1618, #2670). */
  async function sleepUntil(iso: string, margin = MINUTE): Promise<void> {
    const ms = toMs(iso) + margin - (await h.env.currentTimeMs());
    if (ms <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the time skip to ${iso} did not return within 60 s of real time`)),
        60_000,
      );
    });
    try {
      await Promise.race([h.env.sleep(ms), stalled]);
    } finally {
      clearTimeout(timer);
    }
  }

  return { h, expectCall, caseWhen, record, sleepUntil };
}

const step = (c: { steps: { name: string }[] }, name: string) => c.steps.find((s) => s.name === name) as any;

// Alone on its server: it skips 34 months, and running cycles' timers would fill that skip.
describe('recording a rotation', () => {
  const { h, expectCall, caseWhen, record, sleepUntil } = recorderStack('record-rotation');

  it('records a rotation from opening to its end-of-term review', async () => {
    const today = localDate(fromMs(await h.env.currentTimeMs()));
    let year = Number(today.slice(0, 4));
    if (`${year}-01-04` < addDays(today, 30)) year += 1;
    const effective = `${year}-01-04`;
    const review = `${year + 2}-11-05`;

    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'rotation',
      personId: 'giang',
      toUnitId: 'snv',
      toRole: 'deputy',
      effectiveDate: effective,
      termMonths: 36,
      reason: 'Luân chuyển cán bộ lãnh đạo',
    });
    const id = opened.id as string;
    await expectCall(200, 'em', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await expectCall(200, 'giang', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    // khanh's opinion is missed: the escalation and its decision are part of what replays.
    await sleepUntil(step(opened, 'opinion:receiving-head').dueAt);
    const esc = (await caseWhen(id, (c) => c.escalations.length > 0, 'escalation opened')).escalations[0];
    await expectCall(200, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, { action: 'accept-default' });
    await caseWhen(id, (c) => c.step === 'vote', 'vote opened');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect(await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' })).toMatchObject({
      status: 'approved',
    });
    await expectCall(200, 'giang', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/receipt`, {});
    await sleepUntil(`${effective}T00:00:00+07:00`);
    expect(step(await caseWhen(id, (c) => c.status === 'completed', 'completed'), 'move')).toMatchObject({
      outcome: 'moved',
    });
    await sleepUntil(`${review}T08:00:00+07:00`);
    await caseWhen(id, (c) => step(c, 'end-of-term-review') !== undefined, 'review opened');
    expect(
      step(
        await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/review`, { recommendation: 'appoint' }),
        'end-of-term-review',
      ),
    ).toMatchObject({ outcome: 'appoint' });
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    await record(caseWorkflowId(id));
  });
});

describe('recording re-routed evaluations, votes decided by the chair and the monthly opener', () => {
  const { h, expectCall, caseWhen, record } = recorderStack('record-month');

  it('records the evaluations re-routed by a transfer mid-month, and the transfer', async () => {
    const today = fromMs(await h.env.currentTimeMs()).slice(0, 10);
    const period = today.slice(0, 7);
    // hoa (sxd) is reviewed by giang, who moves to snv while the month is open: both re-route.
    await openCycleWith(h.env.client, 'sxd', period);
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'transfer',
      personId: 'giang',
      toUnitId: 'snv',
      toRole: 'deputy',
      effectiveDate: today,
    });
    const id = opened.id as string;
    for (const who of ['em', 'khanh', 'giang'])
      await expectCall(200, who, 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await caseWhen(id, (c) => c.step === 'vote', 'vote');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    await expectCall(200, 'giang', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/receipt`, {});
    await caseWhen(id, (c) => c.status === 'completed', 'completed');
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    // The audit rows are written by each evaluation's flush after the reroute: once both are in,
    // the histories hold the signal and the commands the patched handler gave in answer.
    const rerouted = async () =>
      (
        await h.stack.db.sql<
          { subject: string }[]
        >`select subject from audit where action = 'evaluation.rerouted' order by subject`
      ).map((a) => a.subject);
    for (let i = 0; i < 100 && (await rerouted()).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await rerouted()).toEqual([evaluationWorkflowId(period, 'giang'), evaluationWorkflowId(period, 'hoa')]);
    const evalOf = (personId: string) =>
      h.env.client.workflow.getHandle(evaluationWorkflowId(period, personId)).query(getEvaluation);
    expect((await evalOf('hoa')).reviewerId).toBe('em');
    expect((await evalOf('giang')).reviewerId).toBe('khanh');
    // Still open (the month runs on): replay checks the commands of the history so far.
    await record(evaluationWorkflowId(period, 'hoa'));
    await record(evaluationWorkflowId(period, 'giang'));
    await record(caseWorkflowId(id));
  });

  it('records a tie of an open vote decided by the chair, then withdrawn', async () => {
    const effective = addDays(fromMs(await h.env.currentTimeMs()).slice(0, 10), 90);
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'position-change',
      personId: 'minh',
      toUnitId: 'sxd',
      toRole: 'staff',
      effectiveDate: effective,
    });
    const id = opened.id as string;
    for (const who of ['khanh', 'em', 'minh'])
      await expectCall(200, who, 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await caseWhen(id, (c) => c.step === 'vote', 'vote opened');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' });
    expect(await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' })).toMatchObject({
      status: 'approved',
      votes: { approve: 1, reject: 1 },
    });
    expect(
      (await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/withdraw`, { note: 'Đơn vị sắp xếp lại' })).status,
    ).toBe('withdrawn');
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    await record(caseWorkflowId(id));
  });

  it("records a secret ballot split in half and settled by the chair's casting vote", async () => {
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'em',
      reason: 'Đơn vị không đạt chỉ tiêu',
    });
    const id = opened.id as string;
    await expectCall(200, 'em', 'POST', `/v1/cases/${id}/explanation`, { text: 'Giải trình' });
    await caseWhen(id, (c) => c.step === 'proposal', 'proposal');
    await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/proposal`, {
      recommendation: 'replace',
      actingPersonId: 'hai',
      placementUnitId: 'snv',
    });
    await caseWhen(id, (c) => c.step === 'vote', 'vote');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect(await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' })).toMatchObject({
      status: 'open',
      votes: { cast: 2 },
    });
    const decided = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/casting-vote`, { vote: 'reject' });
    expect(decided).toMatchObject({ status: 'rejected', votes: { approve: 1, reject: 1, of: 2 } });
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    await record(caseWorkflowId(id));
  });

  it('records a monthly opener as the schedule starts it (no period given), with its proposal scan', async () => {
    const period = fromMs(await h.env.currentTimeMs()).slice(0, 7);
    const workflowId = `monthly-opener-${period}`;
    // sxd's cycle of this month was opened above; the schedule's run finds it and opens the others.
    const opened = await h.env.client.workflow.execute('monthlyOpenerWorkflow', {
      workflowId,
      taskQueue: TASK_QUEUE,
      args: [{}],
    });
    expect(opened).toEqual({ period, opened: 2, existing: 1 });
    await record(workflowId);
  });
});

describe('recording a replacement vote extended late', () => {
  const { h, expectCall, caseWhen, record, sleepUntil } = recorderStack('record-vote-cap');

  it('records a vote missed, extended a working day late to its 15th working day, then decided', async () => {
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'khanh',
      reason: 'Hai tháng liền loại D',
    });
    const id = opened.id as string;
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/explanation`, { text: 'Giải trình' });
    await caseWhen(id, (c) => c.step === 'proposal', 'proposal');
    await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/proposal`, {
      recommendation: 'replace',
      actingPersonId: 'lan',
    });
    const voting = await caseWhen(id, (c) => c.step === 'vote', 'vote');
    const fifteenth = workingDaysAfter(step(voting, 'proposal').doneAt, 15, []);
    const due = step(voting, 'vote').dueAt as string;
    await sleepUntil(due);
    await caseWhen(id, (c) => c.escalations.some((e: any) => e.kind === 'vote'), 'vote escalation');
    await sleepUntil(atLocal(addWorkingDays(localDate(due), 1, []), 10), 0);
    const esc = (await expectCall(200, 'admin', 'GET', `/v1/cases/${id}`)).escalations[0];
    const refused = await expectCall(422, 'admin', 'POST', `/v1/escalations/${esc.id}/decision`, {
      action: 'extend',
      until: workingDaysAfter(fifteenth, 1, []),
    });
    expect(refused.error.details).toEqual({ rule: 'vote-extension-limit', latest: fifteenth });
    await expectCall(200, 'admin', 'POST', `/v1/escalations/${esc.id}/decision`, {
      action: 'extend',
      until: fifteenth,
    });
    await caseWhen(id, (c) => step(c, 'vote').dueAt === fifteenth, 'vote extended');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    await caseWhen(id, (c) => c.status === 'completed', 'the leader replaced');
    const handle = h.env.client.workflow.getHandle(caseWorkflowId(id));
    await handle.result();
    // The history took the patched branch: it carries the patch's marker, once.
    const patchIds = ((await handle.fetchHistory()).events ?? [])
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .flatMap((e) => e.markerRecordedEventAttributes!.details?.['patch-data']?.payloads ?? [])
      .map((p) => JSON.parse(Buffer.from(p.data ?? []).toString('utf8')).id);
    expect(patchIds.filter((p) => p === 'vote-extension-cap')).toEqual(['vote-extension-cap']);
    await record(caseWorkflowId(id));
  });
});
