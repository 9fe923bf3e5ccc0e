/**
 * Cases end to end on the time-skipping server, driven through the API in-process: a rotation
 * across its effective date and on to its end-of-term review 34 months later (one opinion missed
 * and escalated), a transfer voted down, a tie the chair decides, and a replacement proposed from
 * two consecutive D months and decided by secret ballot.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, toMs } from '../../domain/calendar';
import { addDays, addMonths, monthsBetween } from '../../domain/eligibility';
import { caseWorkflowId } from '../../contracts/case-messages';
import { cycleWorkflowId, evaluationWorkflowId, getEvaluation } from '../../contracts/messages';
import { inProcessApi, type InProcessApi } from '../support/api';
import { historyToJson } from '../support/histories';
import { openCycleWith, startTimeSkippingStack, type TimeSkippingStack } from '../support/temporal';

const PEOPLE = ['an', 'binh', 'cuong', 'dung', 'em', 'giang', 'hai', 'hoa', 'khanh', 'lan', 'minh', 'ngoc'];
const MINUTE = 60_000;
const HISTORIES_DIR = fileURLToPath(new URL('../replay/histories/', import.meta.url));

/** With RECORD_HISTORIES=1, keeps a finished case's history for test/replay. */
async function record(env: TestWorkflowEnvironment, caseId: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  const history = await env.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  writeFileSync(join(HISTORIES_DIR, `${caseWorkflowId(caseId).replaceAll(':', '__')}.json`), historyToJson(history));
}

/** A fresh time-skipping stack per describe, with the API in-process and the calls every test makes. */
function casesStack(name: string) {
  const h = {} as { stack: TimeSkippingStack; env: TestWorkflowEnvironment; api: InProcessApi };
  beforeAll(async () => {
    h.stack = await startTimeSkippingStack(name);
    h.env = h.stack.env;
    h.api = await inProcessApi(h.stack.db.sql, h.env.client, PEOPLE, { name });
  });
  afterAll(async () => {
    await h.stack?.stop();
  });

  /** Calls the API and fails the test, with the answer, unless the status is the one expected. */
  async function expectCall(status: number, who: string, method: string, path: string, body?: unknown) {
    const res = await h.api.call(who, method, path, body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  }

  /** Reads the case until `check` holds (the workflow moves on its own between two calls). */
  async function caseWhen(id: string, check: (c: any) => boolean, what: string): Promise<any> {
    for (let i = 0; i < 200; i++) {
      const c = await expectCall(200, 'admin', 'GET', `/v1/cases/${id}`);
      if (check(c)) return c;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${id} never reached: ${what}`);
  }
  return { h, expectCall, caseWhen };
}

describe('cases on the time-skipping server', () => {
  const { h, expectCall, caseWhen } = casesStack('cases');
  /**
   * The rotation takes effect on 4 January of the first year where that is a month or more after
   * the server's today (it starts at the real time), so its dates keep their calendar: the
   * end-of-term review falls on 5 November two years later, after 34 months.
   */
  const dates = {} as {
    effective: string;
    review: string;
    nextCyclePeriod: string;
    transferEffective: string;
    positionChangeEffective: string;
  };
  beforeAll(async () => {
    const today = localDate(fromMs(await h.env.currentTimeMs()));
    let year = Number(today.slice(0, 4));
    if (`${year}-01-04` < addDays(today, 30)) year += 1;
    dates.effective = `${year}-01-04`;
    dates.review = `${year + 2}-11-05`;
    dates.nextCyclePeriod = `${year + 2}-12`;
    // After the review (the server's clock is then past it), never reached: one case is voted down, the other withdrawn.
    dates.transferEffective = `${year + 3}-03-01`;
    dates.positionChangeEffective = `${year + 3}-06-01`;
  });

  /**
   * Skips the server's clock to `iso` (+ margin). The time-skipping server has known stalls in
   * this call (temporalio/sdk-java#1618, #2670); if one happens, fail saying which skip stalled
   * instead of at the test's timeout.
   */
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

  const step = (c: { steps: { name: string }[] }, name: string) => c.steps.find((s) => s.name === name) as any;

  it('runs a rotation from opening to completion across its effective date, with a missed opinion escalated, and reviews it after 34 months', async () => {
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'rotation',
      personId: 'giang',
      toUnitId: 'snv',
      toRole: 'deputy',
      effectiveDate: dates.effective,
      termMonths: 36,
      reason: 'Luân chuyển cán bộ lãnh đạo',
    });
    expect(opened).toMatchObject({ kind: 'rotation', personId: 'giang', status: 'open', step: 'opinions' });
    expect(opened.parties).toMatchObject({
      decidingUnitId: 'hn',
      collective: ['an', 'binh'],
      chairId: 'an',
      sendingHeadId: 'em',
      receivingHeadId: 'khanh',
    });
    const id = opened.id as string;
    const opinionDue = step(opened, 'opinion:receiving-head').dueAt as string;

    // Only the three named may give an opinion, each once.
    await expectCall(403, 'hai', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await expectCall(200, 'em', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree', note: 'Đồng ý' });
    await expectCall(409, 'em', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'disagree' });
    await expectCall(200, 'giang', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    // Voting before the opinions are in is the wrong phase.
    await expectCall(409, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });

    // khanh misses the deadline: the escalation goes to the head above him (an).
    await sleepUntil(opinionDue);
    const escalations = await caseWhen(id, (c) => c.escalations.length > 0, 'escalation opened');
    const esc = escalations.escalations[0];
    expect(esc).toMatchObject({ kind: 'opinion', targetId: 'an', status: 'open' });
    await expectCall(403, 'binh', 'POST', `/v1/escalations/${esc.id}/decision`, { action: 'accept-default' });
    await expectCall(422, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, { action: 'take-over' });
    await expectCall(200, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, {
      action: 'accept-default',
      note: 'Tiếp tục không chờ ý kiến',
    });
    const voting = await caseWhen(id, (c) => c.step === 'vote', 'vote opened');
    expect(step(voting, 'opinion:receiving-head')).toMatchObject({ outcome: 'defaulted', by: 'an' });
    expect(step(voting, 'opinion:sending-head')).toMatchObject({ outcome: 'agree', by: 'em' });

    // The collective votes: a non-member is refused, a second vote is refused.
    await expectCall(403, 'em', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    const half = await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect(half).toMatchObject({ status: 'open', votes: { approve: 1, reject: 0, of: 2 } });
    await expectCall(409, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' });
    const approved = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect(approved).toMatchObject({
      status: 'approved',
      votes: { approve: 2, reject: 0, of: 2 },
      decision: { outcome: 'approved', number: `QĐ-${id}` },
    });

    // Handover and receipt, by the person and the receiving head only.
    await expectCall(403, 'em', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(200, 'giang', 'POST', `/v1/cases/${id}/handover`, {});
    await expectCall(403, 'giang', 'POST', `/v1/cases/${id}/receipt`, {});
    const received = await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/receipt`, {});
    expect(received.status).toBe('approved');
    expect((await expectCall(200, 'admin', 'GET', '/v1/people/giang')).unitId).toBe('sxd');

    // On the effective date the directory moves her.
    await sleepUntil(`${dates.effective}T00:00:00+07:00`);
    const done = await caseWhen(id, (c) => c.status === 'completed', 'completed');
    expect(step(done, 'move')).toMatchObject({ outcome: 'moved' });
    // Moved by the effective date's timer, by the workflow's clock: at that instant, not some time after.
    expect(toMs(step(done, 'move').doneAt)).toBeGreaterThanOrEqual(toMs(`${dates.effective}T00:00:00+07:00`));
    expect(toMs(step(done, 'move').doneAt)).toBeLessThan(toMs(`${dates.effective}T00:00:00+07:00`) + 60_000);
    const giang = await expectCall(200, 'giang', 'GET', '/v1/people/giang');
    expect(giang).toMatchObject({ unitId: 'snv', role: 'deputy', positionSince: dates.effective });

    // The end-of-term review falls 60 days before the 36-month term ends: after 34 months. (Skipped
    // before any cycle runs here: the server's time skipping has stalled after child workflows.)
    expect(dates.review).toBe(addDays(addMonths(dates.effective, 36), -60));
    await sleepUntil(`${dates.review}T08:00:00+07:00`, -60 * MINUTE);
    expect(step(await expectCall(200, 'admin', 'GET', `/v1/cases/${id}`), 'end-of-term-review')).toBeUndefined();
    await sleepUntil(`${dates.review}T08:00:00+07:00`);
    const review = await caseWhen(id, (c) => step(c, 'end-of-term-review') !== undefined, 'review opened');
    const opensAt = fromMs(await h.env.currentTimeMs()).slice(0, 10);
    expect(monthsBetween(dates.effective, opensAt)).toBe(34);
    expect(step(review, 'end-of-term-review')).toMatchObject({ actorIds: ['hr'], doneAt: null });
    await expectCall(403, 'giang', 'POST', `/v1/cases/${id}/review`, { recommendation: 'extend' });
    const reviewed = await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/review`, {
      recommendation: 'appoint',
      note: 'Bổ nhiệm tại đơn vị mới',
    });
    expect(step(reviewed, 'end-of-term-review')).toMatchObject({ outcome: 'appoint' });
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();

    // The next month's cycle of the new unit has her as a member, the old unit's does not.
    const snv = await openCycleWith(h.env.client, 'snv', dates.nextCyclePeriod);
    expect(snv.view.members.map((m) => m.personId)).toEqual(['giang', 'lan', 'minh', 'ngoc']);
    const sxd = await openCycleWith(h.env.client, 'sxd', dates.nextCyclePeriod);
    expect(sxd.view.members.map((m) => m.personId)).toEqual(['hai', 'hoa']);
    // Those months are not under test: stop them (and their evaluations, whose escalations would
    // otherwise climb every two working days while the next tests skip time).
    for (const cycle of [snv, sxd]) {
      for (const m of cycle.view.members)
        await h.env.client.workflow
          .getHandle(evaluationWorkflowId(dates.nextCyclePeriod, m.personId))
          .terminate('not under test')
          .catch(() => undefined);
    }
    for (const unit of ['snv', 'sxd'])
      await h.env.client.workflow.getHandle(cycleWorkflowId(unit, dates.nextCyclePeriod)).terminate('not under test');
  });

  it('closes a transfer whose vote is rejected, and nobody moves', async () => {
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'transfer',
      personId: 'hai',
      toUnitId: 'snv',
      toRole: 'staff',
      effectiveDate: dates.transferEffective,
    });
    const id = opened.id as string;
    await expectCall(200, 'em', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'disagree', note: 'Thiếu người' });
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await expectCall(200, 'hai', 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await caseWhen(id, (c) => c.step === 'vote', 'vote opened');
    expect((await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' })).status).toBe('open');
    const rejected = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' });
    expect(rejected).toMatchObject({
      status: 'rejected',
      votes: { approve: 0, reject: 2, of: 2 },
      decision: { outcome: 'rejected' },
    });
    expect(rejected.ballots).toEqual([
      { voterId: 'binh', vote: 'reject' },
      { voterId: 'an', vote: 'reject' },
    ]);
    await expectCall(409, 'hai', 'POST', `/v1/cases/${id}/handover`, {});
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    await record(h.env, id);
    expect((await expectCall(200, 'admin', 'GET', '/v1/people/hai')).unitId).toBe('sxd');
  });

  it('lets the chair decide a tie, and HR withdraw the approved case before it takes effect', async () => {
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'position-change',
      personId: 'minh',
      toUnitId: 'sxd',
      toRole: 'staff',
      effectiveDate: dates.positionChangeEffective,
    });
    const id = opened.id as string;
    for (const who of ['khanh', 'em', 'minh'])
      await expectCall(200, who, 'POST', `/v1/cases/${id}/opinions`, { opinion: 'agree' });
    await caseWhen(id, (c) => c.step === 'vote', 'vote opened');
    // One of two against: exactly half, and the chair (an) has not voted yet.
    expect((await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' })).status).toBe('open');
    const tie = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    expect(tie).toMatchObject({
      status: 'approved',
      votes: { approve: 1, reject: 1, of: 2 },
      decision: { outcome: 'approved' },
    });
    await expectCall(403, 'minh', 'POST', `/v1/cases/${id}/withdraw`, { note: 'x' });
    await expectCall(400, 'admin', 'POST', `/v1/cases/${id}/withdraw`, {});
    const withdrawn = await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/withdraw`, {
      note: 'Đơn vị sắp xếp lại',
    });
    expect(withdrawn.status).toBe('withdrawn');
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    expect((await expectCall(200, 'admin', 'GET', '/v1/people/minh')).unitId).toBe('snv');
  });

  it('proposes replacing a head after two consecutive D months, decides it by secret ballot, and keeps no individual vote anywhere', async () => {
    const { sql } = h.stack.db;
    for (const period of ['2026-09', '2026-10']) {
      await sql`insert into cycles (unit_id, period, workflow_id, phase, profile_id, deadlines, published_at, version)
        values ('hn', ${period}, ${`cycle:hn:${period}`}, 'locked', 'HN-2023', '{}', now(), 1)`;
      await sql`insert into evaluations (period, person_id, unit_id, workflow_id, status, total, proposed_grade, final_grade, deadlines, version)
        values (${period}, 'khanh', 'hn', ${`eval:${period}:khanh`}, 'decided', 42, 'D', 'D', '{}', 1)`;
    }
    await expectCall(403, 'khanh', 'POST', '/v1/proposals/scan', {});
    await expectCall(200, 'admin', 'POST', '/v1/proposals/scan', {});
    const { proposals } = await expectCall(200, 'admin', 'GET', '/v1/proposals?status=open');
    const proposal = proposals.find((p: any) => p.personId === 'khanh' && p.level === 'monthly-d-2-consecutive');
    expect(proposal).toMatchObject({ kind: 'replacement', evidence: { periods: ['2026-09', '2026-10'] } });
    // A second scan finds the same proposal, not another.
    await expectCall(200, 'admin', 'POST', '/v1/proposals/scan', {});
    expect(
      (await expectCall(200, 'admin', 'GET', '/v1/proposals?status=open')).proposals.filter(
        (p: any) => p.personId === 'khanh' && p.level === 'monthly-d-2-consecutive',
      ),
    ).toHaveLength(1);

    await expectCall(422, 'admin', 'POST', '/v1/cases', { kind: 'replacement', personId: 'minh', reason: 'x' });
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'khanh',
      reason: 'Hai tháng liền xếp loại D',
      proposalId: proposal.id,
    });
    const id = opened.id as string;
    expect(opened.parties).toMatchObject({ decidingUnitId: 'hn', collective: ['an', 'binh'] });
    expect(
      (await expectCall(200, 'admin', 'GET', '/v1/proposals?status=opened')).proposals.map((p: any) => p.id),
    ).toContain(proposal.id);

    await expectCall(403, 'lan', 'POST', `/v1/cases/${id}/explanation`, { text: 'x' });
    await expectCall(200, 'khanh', 'POST', `/v1/cases/${id}/explanation`, {
      text: 'Do khối lượng công việc tăng đột biến',
    });
    await caseWhen(id, (c) => c.step === 'proposal', 'proposal step');
    await expectCall(403, 'khanh', 'POST', `/v1/cases/${id}/proposal`, { recommendation: 'keep', note: 'x' });
    await expectCall(400, 'admin', 'POST', `/v1/cases/${id}/proposal`, { recommendation: 'replace' });
    await expectCall(400, 'admin', 'POST', `/v1/cases/${id}/proposal`, {
      recommendation: 'replace',
      actingPersonId: 'nobody',
    });
    await expectCall(200, 'admin', 'POST', `/v1/cases/${id}/proposal`, {
      recommendation: 'replace',
      actingPersonId: 'lan',
      note: 'Đề nghị thay thế',
    });
    await caseWhen(id, (c) => c.step === 'vote', 'vote opened');

    await expectCall(403, 'lan', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    const first = await expectCall(200, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    // While the ballot is open only the number of ballots shows, never a choice.
    expect(first.votes).toEqual({ approve: 0, reject: 0, of: 2, cast: 1 });
    expect(first.ballots).toBeUndefined();
    await expectCall(409, 'binh', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' });
    await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'approve' });
    const completed = await caseWhen(id, (c) => c.status === 'completed', 'completed');
    await h.env.client.workflow.getHandle(caseWorkflowId(id)).result();
    await record(h.env, id);
    expect(completed).toMatchObject({
      votes: { approve: 2, reject: 0, of: 2 },
      decision: { outcome: 'approved', actingPersonId: 'lan', placementUnitId: 'snv' },
    });
    expect(await expectCall(200, 'admin', 'GET', '/v1/people/khanh')).toMatchObject({ unitId: 'snv', role: 'deputy' });
    expect(await expectCall(200, 'admin', 'GET', '/v1/people/lan')).toMatchObject({ unitId: 'snv', role: 'head' });

    // The history holds the totals only: no event names a voter beside a choice.
    const history = JSON.stringify(await h.env.client.workflow.getHandle(caseWorkflowId(id)).fetchHistory());
    const payloads = [...history.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)]
      .map((m) => Buffer.from(m[1], 'base64').toString('utf8'))
      .join('\n');
    expect(payloads).toMatch(/"name":"vote","actorIds":\["an","binh"\]/); // the decoding works: step names are readable
    expect(payloads).not.toMatch(/"vote":/);
    expect(payloads).not.toMatch(/voterId|"ballots"/);
    expect(history).toMatch(/closeBallot/);
    expect(payloads).toMatch(/\{"actor":\{"id":"ballot-box","roles":\[\]\},"approve":2,"reject":0\}/);
    // Nor does Postgres: who voted, and totals, in two tables with nothing linking them.
    expect(await sql`select voter_id from ballot_voters where case_id = ${id} order by voter_id`).toEqual([
      { voterId: 'an' },
      { voterId: 'binh' },
    ]);
    expect(await sql`select approve, reject from ballot_totals where case_id = ${id}`).toEqual([
      { approve: 2, reject: 0 },
    ]);
    const audit = await sql<{ payload: unknown }[]>`select payload from audit where subject = ${caseWorkflowId(id)}`;
    expect(JSON.stringify(audit)).not.toMatch(/"vote"\s*:/);
  });
});

describe('a move while a month is open, and a split secret ballot', () => {
  const { h, expectCall, caseWhen } = casesStack('cases-reroute');

  it('re-routes the open evaluations of a person moved mid-month, and of those they were reviewing, with an audit record', async () => {
    const today = fromMs(await h.env.currentTimeMs()).slice(0, 10);
    const period = today.slice(0, 7);
    // hoa (sxd) is reviewed by giang, who is transferred to snv while the month is open.
    await openCycleWith(h.env.client, 'sxd', period);
    const evalOf = (personId: string) =>
      h.env.client.workflow.getHandle(evaluationWorkflowId(period, personId)).query(getEvaluation);
    expect((await evalOf('hoa')).reviewerId).toBe('giang');
    expect((await evalOf('giang')).reviewerId).toBe('em');

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
    const done = await caseWhen(id, (c) => c.status === 'completed', 'completed');
    expect(done.steps.find((st: any) => st.name === 'move').note).toMatch(/re-routed/);

    // hoa's review now falls to her unit's head; giang's own review to her new head.
    for (let i = 0; i < 100 && (await evalOf('hoa')).reviewerId !== 'em'; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await evalOf('hoa')).reviewerId).toBe('em');
    expect((await evalOf('giang')).reviewerId).toBe('khanh');
    const audit = await h.stack.db.sql<
      { subject: string }[]
    >`select subject from audit where action = 'evaluation.rerouted' order by subject`;
    expect(audit.map((a) => a.subject)).toEqual([
      evaluationWorkflowId(period, 'giang'),
      evaluationWorkflowId(period, 'hoa'),
    ]);
    await h.env.client.workflow.getHandle(cycleWorkflowId('sxd', period)).terminate('not under test');
  });

  it("settles a secret ballot split in half by the chair's open casting vote, and only then", async () => {
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
    await expectCall(422, 'an', 'POST', `/v1/cases/${id}/casting-vote`, { vote: 'approve' });
    const split = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/votes`, { vote: 'reject' });
    expect(split).toMatchObject({ status: 'open', votes: { cast: 2 } });
    await expectCall(403, 'binh', 'POST', `/v1/cases/${id}/casting-vote`, { vote: 'approve' });
    const decided = await expectCall(200, 'an', 'POST', `/v1/cases/${id}/casting-vote`, { vote: 'reject' });
    expect(decided).toMatchObject({
      status: 'rejected',
      votes: { approve: 1, reject: 1, of: 2 },
      decision: { outcome: 'rejected' },
    });
    expect(decided.steps.find((st: any) => st.name === 'vote')).toMatchObject({ by: 'an', outcome: 'rejected' });
    expect(await expectCall(200, 'admin', 'GET', '/v1/people/em')).toMatchObject({ unitId: 'sxd', role: 'head' });
  });
});
