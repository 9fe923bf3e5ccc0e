/**
 * Escalations of an evaluation's steps on the time-skipping server, driven through the API:
 * a missed self-assessment whose escalation the reviewer settles with accept-default, one left
 * undecided that takes its default at the review deadline, and a missed review that climbs to the
 * reviewer's reviewer, who reassigns it to another leader of the unit.
 *
 * One month of snv (khanh heads it and reviews lan and minh; lan reviews ngoc; an is khanh's
 * reviewer), its deadlines hours after the server's clock. Tests run in order, the clock moving
 * forward between them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { evaluationWorkflowId } from '../../contracts/messages';
import { eventually } from '../support/stack';
import { apiStack, B_SCORES, HOUR } from '../support/time-skipping-api';

describe('escalations of an evaluation', () => {
  const { h, expectCall, sleepUntil } = apiStack('wf_escalations');
  let P: string;
  let deadlines: { plan: string; selfAssessment: string; review: string; deliberation: string };

  const evaluation = (personId: string) => expectCall(200, 'admin', 'GET', `/v1/evaluations/${P}/${personId}`);
  /** The one escalation of `kind` on `personId`'s evaluation, once the read model has it. */
  const escalationOf = (personId: string, kind: string, check: (e: any) => boolean = () => true) =>
    eventually(`${personId}'s ${kind} escalation`, async () => {
      const e = (await evaluation(personId)).escalations.find((x: any) => x.kind === kind);
      return e && check(e) ? e : null;
    });
  const openSteps = (personId: string) =>
    h.stack.db.sql<{ kind: string; ownerId: string }[]>`
      select kind, owner_id from open_steps where workflow_id = ${evaluationWorkflowId(P, personId)} order by kind, owner_id`;

  beforeAll(async () => {
    const t = await h.env.currentTimeMs();
    P = fromMs(t).slice(0, 7);
    const at = (hours: number) => fromMs(t + hours * HOUR);
    const opened = await expectCall(201, 'admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: P,
      deadlines: { plan: at(1), selfAssessment: at(3), review: at(5), deliberation: at(30) },
    });
    deadlines = opened.deadlines;
    expect(Object.fromEntries(opened.members.map((m: any) => [m.personId, m.reviewerId]))).toEqual({
      lan: 'khanh',
      minh: 'khanh',
      ngoc: 'lan',
    });
    // Nobody plans; once the plan deadline has passed only minh self-assesses: lan and ngoc miss it.
    await sleepUntil(deadlines.plan);
    await expectCall(200, 'minh', 'PUT', `/v1/evaluations/${P}/minh/self-assessment`, { scores: B_SCORES });
    await sleepUntil(deadlines.selfAssessment);
  });

  describe('a missed self-assessment', () => {
    it('settled by the reviewer with accept-default, leaves the review as the only step owed', async () => {
      const esc = await escalationOf('ngoc', 'self-assessment');
      expect(esc).toMatchObject({ targetId: 'lan', status: 'open' });
      await expectCall(200, 'lan', 'POST', `/v1/escalations/${esc.id}/decision`, { action: 'accept-default' });
      await eventually(
        'the escalation decided',
        async () => (await escalationOf('ngoc', 'self-assessment')).status === 'decided',
      );
      expect(await openSteps('ngoc')).toEqual([{ kind: 'review', ownerId: 'lan' }]);
    });

    it('left undecided, is still open just before the review deadline', async () => {
      await expectCall(200, 'lan', 'PUT', `/v1/evaluations/${P}/ngoc/review`, { scores: B_SCORES });
      await sleepUntil(deadlines.review, -HOUR / 6);
      expect(await escalationOf('lan', 'self-assessment')).toMatchObject({
        targetId: 'khanh',
        level: 1,
        status: 'open',
      });
    });

    it('left undecided, takes its default at the review deadline instead of climbing', async () => {
      await sleepUntil(deadlines.review);
      const esc = await escalationOf('lan', 'self-assessment', (e) => e.status !== 'open');
      expect(esc).toMatchObject({ status: 'defaulted', level: 1, targetId: 'khanh', decision: null });
    });
  });

  describe('a missed review', () => {
    // khanh has missed minh's review at the review deadline (the clock is past it).

    it("escalates to the reviewer's reviewer", async () => {
      expect(await escalationOf('minh', 'review')).toMatchObject({ level: 1, targetId: 'an', status: 'open' });
    });

    it('has no default to accept', async () => {
      const esc = await escalationOf('minh', 'review');
      const refused = await expectCall(422, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, {
        action: 'accept-default',
      });
      expect(refused.error.details).toMatchObject({ rule: 'no-default' });
    });

    it('is reassigned only to another leader of the unit', async () => {
      const esc = await escalationOf('minh', 'review');
      const refused = await expectCall(422, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, {
        action: 'reassign',
        assigneeId: 'ngoc',
      });
      expect(refused.error.details).toMatchObject({ rule: 'reassign-to-leader' });
    });

    it('reassigned, becomes a task of the assignee alone', async () => {
      const esc = await escalationOf('minh', 'review');
      await expectCall(200, 'an', 'POST', `/v1/escalations/${esc.id}/decision`, {
        action: 'reassign',
        assigneeId: 'lan',
        note: 'Phó giám đốc nhận xét thay',
      });
      const steps = await eventually('the review to move to lan', async () => {
        const s = await openSteps('minh');
        return s.some((x) => x.ownerId === 'lan') ? s : null;
      });
      expect(steps).toEqual([{ kind: 'review', ownerId: 'lan' }]);
    });

    it('reassigned, is refused to the reviewer who missed it', async () => {
      await expectCall(403, 'khanh', 'PUT', `/v1/evaluations/${P}/minh/review`, { scores: B_SCORES });
    });

    it('reassigned, is done by the assignee', async () => {
      const line = await expectCall(200, 'lan', 'PUT', `/v1/evaluations/${P}/minh/review`, { scores: B_SCORES });
      expect(line).toMatchObject({ status: 'reviewed', reviewerId: 'lan', proposedGrade: 'B' });
    });
  });
});
