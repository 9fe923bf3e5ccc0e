/**
 * Complaints on the time-skipping server, driven through the API: who may file and resolve them,
 * the window, reminders and the escalation of a missed resolution, the lock waiting for the last
 * complaint, and every command refused once the cycle is locked.
 *
 * Two units are walked to published results with their steps due hours after the server's clock:
 * hn, whose head an is settled by hn's own collective (and resolves its complaints), and snv,
 * whose head khanh resolves its complaints and is reviewed by an. Tests run in order, the clock
 * moving forward between them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addWorkingDays, atLocal, fromMs, localDate } from '../../domain/calendar';
import { cycleWorkflowId, evaluationWorkflowId } from '../../contracts/messages';
import { eventually } from '../support/stack';
import { apiStack, B_SCORES } from '../support/time-skipping-api';

describe('complaints', () => {
  const { h, expectCall, now, sleepUntil, outbox, publishCycle } = apiStack('wf_complaints');
  let P: string;

  beforeAll(async () => {
    P = (await now()).slice(0, 7);
  });

  describe('in hn, whose head resolves complaints and is settled there', () => {
    it('refuses the head resolving a complaint about their own grade', async () => {
      const published = await publishCycle('hn', P, 'binh');
      expect(published.headId).toBe('an');
      const { id } = await expectCall(201, 'an', 'POST', `/v1/evaluations/${P}/an/complaints`, {
        reason: 'Tôi đề nghị xem xét lại',
      });
      await expectCall(403, 'an', 'POST', `/v1/complaints/${id}/resolution`, {
        outcome: 'changed',
        grade: 'A',
        rationale: 'Tự xem xét',
      });
      // Not under test from here: stop the month, lest its complaint escalate while the clock moves.
      for (const m of published.members)
        await h.env.client.workflow.getHandle(evaluationWorkflowId(P, m.personId)).terminate('not under test');
      await h.env.client.workflow.getHandle(cycleWorkflowId('hn', P)).terminate('not under test');
    });
  });

  describe('in snv, whose head khanh resolves complaints', () => {
    const cycleId = () => cycleWorkflowId('snv', P);
    let windowEndsAt: string;
    /** lan's complaint, filed as the results are published. */
    let complaint: { id: string; dueAt: string };
    const phase = async () => (await expectCall(200, 'admin', 'GET', `/v1/cycles/snv/${P}`)).phase as string;
    /** The escalation of lan's complaint that `who` is asked to decide, once it is there. */
    const escalationFor = (who: string) =>
      eventually(`the complaint escalation to ${who}`, async () =>
        ((await expectCall(200, who, 'GET', '/v1/escalations?status=open')) as any[]).find(
          (e) => e.kind === 'complaint' && e.personId === 'lan',
        ),
      );

    beforeAll(async () => {
      const published = await publishCycle('snv', P, 'lan');
      windowEndsAt = published.complaintWindowEndsAt;
      complaint = await expectCall(201, 'lan', 'POST', `/v1/evaluations/${P}/lan/complaints`, {
        reason: 'Kết quả nhiệm vụ chưa được ghi nhận đủ',
      });
    });

    it('refuses a second open complaint by the same person', async () => {
      const refused = await expectCall(409, 'lan', 'POST', `/v1/evaluations/${P}/lan/complaints`, {
        reason: 'Lần nữa',
      });
      expect(refused.error.code).toBe('wrong_phase');
    });

    it('reminds the head two working days before its due date and on that morning', async () => {
      const day = localDate(complaint.dueAt);
      const reminders = [atLocal(addWorkingDays(day, -2, []), 8), atLocal(day, 8)];
      await sleepUntil(reminders[1]);
      const rows = await eventually('both reminders', async () => {
        const r = await outbox(`${cycleId()}:reminder:complaint:${complaint.id}:%`);
        return r.length === 2 ? r : null;
      });
      expect(rows).toEqual(
        reminders.map((at) => ({ key: `${cycleId()}:reminder:complaint:${complaint.id}:${at}`, recipientId: 'khanh' })),
      );
    });

    it('refuses a complaint once the window has closed', async () => {
      await sleepUntil(windowEndsAt);
      const refused = await expectCall(409, 'minh', 'POST', `/v1/evaluations/${P}/minh/complaints`, { reason: 'Muộn' });
      expect(refused.error.details).toMatchObject({ phase: 'published' });
    });

    it('keeps the cycle unlocked past the window while a complaint is open', async () => {
      expect(fromMs(await h.env.currentTimeMs()) > windowEndsAt).toBe(true);
      expect(await phase()).toBe('published');
    });

    it('escalates a missed resolution to the head above the head', async () => {
      expect(await escalationFor('an')).toMatchObject({ kind: 'complaint', level: 1, targetId: 'an', status: 'open' });
    });

    it('gives a missed resolution no default to accept', async () => {
      const esc = await escalationFor('an');
      const refused = await expectCall(422, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, {
        action: 'accept-default',
      });
      expect(refused.error.details).toMatchObject({ rule: 'no-default' });
    });

    it('locks the cycle once the last open complaint is resolved', async () => {
      await expectCall(200, 'khanh', 'POST', `/v1/complaints/${complaint.id}/resolution`, {
        outcome: 'upheld',
        rationale: 'Giữ nguyên kết quả',
      });
      await eventually('the lock', async () => (await phase()) === 'locked');
    });

    describe('once locked, refuses with 409', () => {
      const commands: [string, () => [string, string, string, unknown]][] = [
        ['a complaint', () => ['lan', 'POST', `/v1/evaluations/${P}/lan/complaints`, { reason: 'Sau khi khóa' }]],
        [
          'a resolution',
          () => [
            'khanh',
            'POST',
            `/v1/complaints/${complaint.id}/resolution`,
            { outcome: 'changed', grade: 'A', rationale: 'Sau khi khóa' },
          ],
        ],
        [
          'a deliberation list',
          () => [
            'khanh',
            'PUT',
            `/v1/cycles/snv/${P}/deliberation`,
            { decisions: ['lan', 'minh', 'ngoc'].map((personId) => ({ personId, grade: 'B' })) },
          ],
        ],
        ['an approval', () => ['lan', 'POST', `/v1/cycles/snv/${P}/deliberation/approvals`, {}]],
        [
          'the outstanding flag',
          () => ['an', 'PUT', `/v1/cycles/snv/${P}/outstanding`, { outstanding: true, rationale: 'Sau khi khóa' }],
        ],
        [
          'a move of the complaint window',
          () => [
            'admin',
            'PUT',
            `/v1/cycles/snv/${P}/deadlines`,
            { complaints: fromMs(Date.parse(windowEndsAt) + 30 * 24 * 3600 * 1000) },
          ],
        ],
      ];
      it.each(commands)('%s, naming the locked phase', async (_, args) => {
        const [who, method, path, body] = args();
        const refused = await expectCall(409, who, method, path, body);
        expect(refused.error).toMatchObject({ code: 'wrong_phase', details: { phase: 'locked' } });
      });

      it('a review', async () => {
        expect(
          (await expectCall(409, 'khanh', 'PUT', `/v1/evaluations/${P}/lan/review`, { scores: B_SCORES })).error.code,
        ).toBe('wrong_phase');
      });

      it('a self-assessment', async () => {
        expect(
          (await expectCall(409, 'lan', 'PUT', `/v1/evaluations/${P}/lan/self-assessment`, { scores: B_SCORES })).error
            .code,
        ).toBe('wrong_phase');
      });

      it("a decision on the complaint's escalation", async () => {
        const [esc] = await h.stack.db.sql<
          { id: string }[]
        >`select id from escalations where workflow_id = ${cycleId()} and kind = 'complaint'`;
        expect(
          (await expectCall(409, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, { action: 'take-over' })).error
            .code,
        ).toBe('wrong_phase');
      });
    });
  });
});
