/**
 * Escalations of a case's steps on the time-skipping server, driven through the API: a transfer's
 * missed handover and receipt, a replacement's missed explanation, and the replacement's vote,
 * extendable once from 10 to 15 working days and no further.
 *
 * hai (staff of sxd, whose head em is reviewed by an) is transferred to snv (head khanh, reviewed
 * by an); em, head of sxd, faces a replacement decided by hn's collective (an, binh). Both cases
 * open at the server's now; tests run in order, the clock moving forward between them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, atLocal, localDate, workingDaysAfter } from '../../domain/calendar';
import { eventually } from '../support/stack';
import { apiStack } from '../support/time-skipping-api';

describe("escalations of a case's steps", () => {
  const { expectCall, now, sleepUntil } = apiStack('wf_case_steps');
  let transfer: string;
  let replacement: string;

  const getCase = (id: string) => expectCall(200, 'admin', 'GET', `/v1/cases/${id}`);
  const step = (c: any, name: string) => c.steps.find((s: any) => s.name === name);
  /** The case once `check` holds (the workflow moves on its own between two calls). */
  const caseWhen = (id: string, what: string, check: (c: any) => boolean) =>
    eventually(what, async () => {
      const c = await getCase(id);
      return check(c) ? c : null;
    });
  /** The open escalation of `kind` on the case, once the read model has it. */
  const openEscalation = (id: string, kind: string, check: (e: any) => boolean = () => true) =>
    eventually(
      `an open ${kind} escalation`,
      async () =>
        (await getCase(id)).escalations.find((e: any) => e.kind === kind && e.status === 'open' && check(e)) ?? null,
    );
  const decide = (status: number, who: string, escalationId: string, decision: Record<string, unknown>) =>
    expectCall(status, who, 'POST', `/v1/escalations/${escalationId}/decision`, decision);

  beforeAll(async () => {
    const today = localDate(await now());
    const moved = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'transfer',
      personId: 'hai',
      toUnitId: 'snv',
      toRole: 'staff',
      effectiveDate: today,
    });
    transfer = moved.id;
    for (const who of ['em', 'khanh', 'hai'])
      await expectCall(200, who, 'POST', `/v1/cases/${transfer}/opinions`, { opinion: 'agree' });
    await caseWhen(transfer, 'the vote', (c) => c.step === 'vote');
    await expectCall(200, 'binh', 'POST', `/v1/cases/${transfer}/votes`, { vote: 'approve' });
    await expectCall(200, 'an', 'POST', `/v1/cases/${transfer}/votes`, { vote: 'approve' });
    const handover = await caseWhen(transfer, 'handover and receipt', (c) => c.step === 'handover');
    const replaced = await expectCall(201, 'admin', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'em',
      reason: 'Đơn vị không hoàn thành chỉ tiêu',
    });
    replacement = replaced.id;
    // Nobody confirms the handover or the receipt, nor writes the explanation: all are due in 10 working days.
    const due = workingDaysAfter(await now(), 10, []);
    expect([
      step(handover, 'handover').dueAt,
      step(handover, 'receipt').dueAt,
      step(replaced, 'explanation').dueAt,
    ]).toEqual([due, due, due]);
    await sleepUntil(due);
  });

  describe('a missed handover', () => {
    it("escalates to the head of the person's unit", async () => {
      expect(await openEscalation(transfer, 'handover')).toMatchObject({ personId: 'hai', level: 1, targetId: 'em' });
    });

    it('allows only an extension or the default', async () => {
      const esc = await openEscalation(transfer, 'handover');
      const refused = await decide(422, 'em', esc.id, { action: 'take-over' });
      expect(refused.error.details).toEqual({ rule: 'action-not-available', allowed: ['extend', 'accept-default'] });
    });
  });

  describe('a missed receipt', () => {
    it('escalates to the head above the receiving head', async () => {
      expect(await openEscalation(transfer, 'receipt')).toMatchObject({ personId: 'hai', targetId: 'an' });
    });

    it('allows only an extension or the default', async () => {
      const esc = await openEscalation(transfer, 'receipt');
      const refused = await decide(422, 'an', esc.id, { action: 'reassign', assigneeId: 'lan' });
      expect(refused.error.details).toEqual({ rule: 'action-not-available', allowed: ['extend', 'accept-default'] });
    });
  });

  describe('a missed explanation', () => {
    it('escalates to the head above the leader', async () => {
      expect(await openEscalation(replacement, 'explanation')).toMatchObject({
        personId: 'em',
        level: 1,
        targetId: 'an',
      });
    });

    it('allows only an extension or the default', async () => {
      const esc = await openEscalation(replacement, 'explanation');
      const refused = await decide(422, 'an', esc.id, { action: 'take-over' });
      expect(refused.error.details).toEqual({ rule: 'action-not-available', allowed: ['extend', 'accept-default'] });
    });

    it("defaulted, moves the case on to HR's proposal", async () => {
      await decide(200, 'an', (await openEscalation(replacement, 'explanation')).id, { action: 'accept-default' });
      const c = await caseWhen(replacement, 'the proposal step', (x) => x.step === 'proposal');
      expect(step(c, 'explanation')).toMatchObject({ outcome: 'defaulted', by: 'an' });
    });
  });

  describe('the handover and receipt escalations, left undecided', () => {
    it('climb one level after two working days', async () => {
      const esc = await openEscalation(transfer, 'handover');
      await sleepUntil(esc.dueAt);
      expect(await openEscalation(transfer, 'handover', (e) => e.level === 2)).toMatchObject({
        targetId: 'an',
        trail: [
          { level: 1, targetId: 'em' },
          { level: 2, targetId: 'an' },
        ],
      });
    });

    it('defaulted by their targets, let the move take place', async () => {
      await decide(200, 'an', (await openEscalation(transfer, 'handover')).id, { action: 'accept-default' });
      await decide(200, 'admin', (await openEscalation(transfer, 'receipt', (e) => e.targetId === 'hr')).id, {
        action: 'accept-default',
      });
      const done = await caseWhen(transfer, 'the move', (c) => c.status === 'completed');
      expect([step(done, 'handover'), step(done, 'receipt')]).toMatchObject([
        { outcome: 'defaulted', by: 'an' },
        { outcome: 'defaulted', by: 'admin' },
      ]);
    });
  });

  describe('the replacement vote, due in 10 working days', () => {
    /** The vote's first deadline, and the 15th working day after it opened. */
    const vote = {} as { due: string; fifteenth: string };

    beforeAll(async () => {
      await expectCall(200, 'admin', 'POST', `/v1/cases/${replacement}/proposal`, {
        recommendation: 'replace',
        actingPersonId: 'giang',
      });
      const c = await caseWhen(replacement, 'the vote', (x) => x.step === 'vote');
      const opened = step(c, 'proposal').doneAt as string;
      vote.due = step(c, 'vote').dueAt;
      vote.fifteenth = workingDaysAfter(opened, 15, []);
      expect(vote.due).toBe(workingDaysAfter(opened, 10, []));
      // Nobody votes.
      await sleepUntil(vote.due);
    });

    it('missed, escalates to HR, who may only extend it', async () => {
      const esc = await openEscalation(replacement, 'vote');
      expect(esc).toMatchObject({ targetId: 'hr', level: 1 });
      const refused = await decide(422, 'admin', esc.id, { action: 'accept-default' });
      expect(refused.error.details).toEqual({ rule: 'action-not-available', allowed: ['extend'] });
    });

    it('cannot be extended past the 15th working day', async () => {
      const esc = await openEscalation(replacement, 'vote');
      const refused = await decide(422, 'admin', esc.id, {
        action: 'extend',
        until: workingDaysAfter(vote.fifteenth, 1, []),
      });
      expect(refused.error.details).toEqual({ rule: 'vote-extension-limit', latest: vote.fifteenth });
    });

    it('is extended once, to the 15th working day', async () => {
      const esc = await openEscalation(replacement, 'vote');
      await decide(200, 'admin', esc.id, { action: 'extend', until: vote.fifteenth, note: 'Gia hạn một lần' });
      const c = await caseWhen(replacement, 'the new deadline', (x) => step(x, 'vote').dueAt !== vote.due);
      expect(step(c, 'vote').dueAt).toBe(vote.fifteenth);
    });

    it('missed again, cannot be extended a second time', async () => {
      await sleepUntil(vote.fifteenth);
      const esc = await openEscalation(replacement, 'vote', (e) => e.decision === null);
      const refused = await decide(422, 'admin', esc.id, {
        action: 'extend',
        until: workingDaysAfter(vote.fifteenth, 1, []),
      });
      expect(refused.error.details).toEqual({ rule: 'action-not-available', allowed: ['accept-default'] });
    });

    it('missed again and defaulted, rejects the replacement: the leader stays', async () => {
      const esc = await openEscalation(replacement, 'vote', (e) => e.decision === null);
      await decide(200, 'admin', esc.id, { action: 'accept-default' });
      const c = await caseWhen(replacement, 'the decision', (x) => x.status !== 'open');
      expect(c).toMatchObject({
        status: 'rejected',
        decision: { outcome: 'rejected', rationale: 'No decision within the time allowed; the leader stays.' },
      });
    });
  });

  describe('a replacement vote missed, and its escalation decided a working day later', () => {
    let late: string;
    let fifteenth: string;

    beforeAll(async () => {
      late = (
        await expectCall(201, 'admin', 'POST', '/v1/cases', {
          kind: 'replacement',
          personId: 'khanh',
          reason: 'Hai tháng liền loại D',
        })
      ).id;
      await expectCall(200, 'khanh', 'POST', `/v1/cases/${late}/explanation`, { text: 'Giải trình' });
      await caseWhen(late, 'the proposal step', (x) => x.step === 'proposal');
      await expectCall(200, 'admin', 'POST', `/v1/cases/${late}/proposal`, {
        recommendation: 'replace',
        actingPersonId: 'lan',
      });
      const c = await caseWhen(late, 'the vote', (x) => x.step === 'vote');
      fifteenth = workingDaysAfter(step(c, 'proposal').doneAt, 15, []);
      const due = step(c, 'vote').dueAt as string;
      await sleepUntil(due);
      await openEscalation(late, 'vote');
      await sleepUntil(atLocal(addWorkingDays(localDate(due), 1, []), 10), 0);
    });

    it('still cannot extend it past the 15th working day, and may extend it to the 15th', async () => {
      const esc = await openEscalation(late, 'vote');
      const past = workingDaysAfter(fifteenth, 1, []);
      const refused = await decide(422, 'admin', esc.id, { action: 'extend', until: past });
      expect(refused.error.details).toEqual({ rule: 'vote-extension-limit', latest: fifteenth });
      expect(refused.error.message).toContain(`working day 15 after it opened`);
      // The refusal changed nothing: the escalation is still open to the other decisions.
      expect(await openEscalation(late, 'vote')).toMatchObject({ id: esc.id, level: 1, decision: null });
      await decide(200, 'admin', esc.id, { action: 'extend', until: fifteenth });
      const c = await caseWhen(late, 'the extended vote', (x) => step(x, 'vote').dueAt === fifteenth);
      expect(step(c, 'vote').dueAt).toBe(fifteenth);
    });
  });
});
