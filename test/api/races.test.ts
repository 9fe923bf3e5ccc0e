/**
 * Requests that arrive together, on the real servers: each race is run with Promise.all, and
 * exactly one request may win; the others are refused and the database holds the winner's state only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCase } from '../../db/cases';
import { fromMs } from '../../domain/calendar';
import { eventually, startStack, type Stack } from '../support/stack';

const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const DAY = 86_400_000;

/** The answers of a race, the accepted one first; fails unless exactly one was accepted. */
function oneWon<T extends { status: number }>(answers: T[], accepted: number): [T, ...T[]] {
  const won = answers.filter((a) => a.status === accepted);
  expect(won, JSON.stringify(answers)).toHaveLength(1);
  return [won[0], ...answers.filter((a) => a !== won[0])];
}

describe('concurrent requests', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('races', { hr: ['dung'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('gives a unit one head when two directory uploads name different heads at once', async () => {
    // Several rounds: without the lock, each is a fresh chance for both uploads to validate against the same snapshot.
    for (let round = 0; round < 4; round += 1) {
      const unit = `race${round}`;
      expect(
        (
          await s.call('admin', 'PUT', '/v1/org', {
            units: [{ id: unit, name: `Phòng ${round}`, parentId: 'hn' }],
            people: [],
          })
        ).status,
      ).toBe(200);
      const upload = (who: string) => ({
        units: [],
        people: [{ id: `${unit}-${who}`, fullName: `Trưởng phòng ${who}`, unitId: unit, role: 'head' }],
      });
      const [won, lost] = oneWon(
        await Promise.all([
          s.call('admin', 'PUT', '/v1/org', upload('a')),
          s.call('dung', 'PUT', '/v1/org', upload('b')),
        ]),
        200,
      );
      expect(lost.status).toBe(400);
      expect(lost.body.error.details).toEqual([expect.objectContaining({ rule: 'two-heads' })]);
      const heads = await s.sql<{ id: string }[]>`select id from people where unit_id = ${unit} and role = 'head'`;
      expect(heads).toHaveLength(1);
      expect(won.body).toEqual({ units: 0, people: 1 });
    }
  });

  it("refuses a second head in the database itself, yet lets one upload swap a unit's head", async () => {
    await expect(
      s.sql`insert into people (id, full_name, unit_id, role) values ('intruder', 'Kẻ lạ', 'snv', 'head')`,
    ).rejects.toThrow(/people_one_head_per_unit/);
    // The new head listed before the old one steps down: the check runs once the whole upload is written.
    const swap = await s.call('admin', 'PUT', '/v1/org', {
      units: [],
      people: [
        { id: 'lan', fullName: 'Ngô Thị Lan', unitId: 'snv', role: 'head' },
        { id: 'khanh', fullName: 'Đỗ Văn Khánh', unitId: 'snv', role: 'deputy' },
      ],
    });
    expect(swap.status, JSON.stringify(swap.body)).toBe(200);
    expect(await s.sql`select id from people where unit_id = 'snv' and role = 'head'`).toEqual([{ id: 'lan' }]);
    await s.call('admin', 'PUT', '/v1/org', {
      units: [],
      people: [
        { id: 'khanh', fullName: 'Đỗ Văn Khánh', unitId: 'snv', role: 'head' },
        { id: 'lan', fullName: 'Ngô Thị Lan', unitId: 'snv', role: 'deputy' },
      ],
    });
    expect(await s.sql`select id from people where unit_id = 'snv' and role = 'head'`).toEqual([{ id: 'khanh' }]);
  });

  it('opens one case when two are requested for one person at once, and names it to the other', async () => {
    const body = { kind: 'replacement', personId: 'em', reason: 'Hai tháng liền loại D' };
    const [won, lost] = oneWon(
      await Promise.all([s.call('dung', 'POST', '/v1/cases', body), s.call('admin', 'POST', '/v1/cases', body)]),
      201,
    );
    expect(lost.status).toBe(409);
    expect(lost.body.error.details).toMatchObject({ caseId: won.body.id });
    expect(lost.body.error.message).toContain(won.body.id);
    expect(await s.sql`select id from cases where person_id = 'em'`).toEqual([{ id: won.body.id }]);
    const started: string[] = [];
    for await (const wf of s.temporal.workflow.list({ query: `WorkflowType = 'caseWorkflow'` }))
      started.push(wf.workflowId);
    expect(started).toEqual([`case:${won.body.id}`]);
  });

  it('leaves no claim behind when the workflow cannot be started', async () => {
    const claim = {
      id: 'never-started',
      workflowId: 'case:never-started',
      kind: 'replacement',
      personId: 'giang',
      request: { kind: 'replacement', personId: 'giang', reason: 'x' },
      parties: { collective: ['em'] },
      collectiveSize: 1,
      proposalId: null,
    };
    await expect(
      claimCase(s.sql, claim, async () => Promise.reject(new Error('Temporal is unreachable'))),
    ).rejects.toThrow('Temporal is unreachable');
    expect(await s.sql`select 1 from cases where person_id = 'giang'`).toHaveLength(0);
    const opened = await s.call('dung', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'giang',
      reason: 'Hai tháng liền loại D',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  });

  it('dismisses a proposal once when dismissals arrive together', async () => {
    // Overdue position changes, raised by the scan the directory change runs: one race per proposal.
    const people = ['hoa', 'hai', 'cuong'];
    const units: Record<string, string> = { hoa: 'sxd', hai: 'sxd', cuong: 'hn' };
    const upload = people.map((id) => ({
      id,
      fullName: `Người ${id}`,
      unitId: units[id],
      role: 'staff',
      sensitivePosition: true,
      positionSince: '2019-01-01',
    }));
    expect((await s.call('dung', 'PUT', '/v1/org', { units: [], people: upload })).status).toBe(200);
    const open = (await s.call('dung', 'GET', '/v1/proposals?status=open')).body.proposals.filter(
      (p: { personId: string }) => people.includes(p.personId),
    );
    expect(open).toHaveLength(people.length);
    for (const proposal of open) {
      const path = `/v1/proposals/${proposal.id}/dismiss`;
      const answers = await Promise.all(
        ['dung', 'admin', 'dung', 'admin'].map((who, i) => s.call(who, 'POST', path, { note: `Lý do ${i}` })),
      );
      const [won] = oneWon(answers, 200);
      for (const lost of answers.filter((a) => a !== won)) {
        expect(lost.status, JSON.stringify(lost.body)).toBe(409);
        expect(lost.body.error.details).toEqual({ phase: 'dismissed' });
      }
      const [row] = await s.sql<
        { status: string; note: string; decidedBy: string }[]
      >`select status, note, decided_by from proposals where id = ${proposal.id}`;
      expect(row).toMatchObject({ status: 'dismissed', note: won.body.note });
      // The trail names the one who dismissed it, once.
      expect(
        await s.sql`select actor, payload->>'note' as note from audit where subject = ${`proposal:${proposal.id}`} and action = 'proposal.dismissed'`,
      ).toEqual([{ actor: row.decidedBy, note: won.body.note }]);
    }
  });

  it('accepts one of two reviews of one evaluation sent together, and keeps that one', async () => {
    const period = '2026-11';
    const deadlines = { plan: at(6_000), selfAssessment: at(2 * DAY), review: at(3 * DAY), deliberation: at(4 * DAY) };
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period, deadlines })).status).toBe(201);
    await eventually("minh's self-assessment", async () => {
      const r = await s.call('minh', 'PUT', `/v1/evaluations/${period}/minh/self-assessment`, {
        scores: { discipline: 18, tasks: 62, bonus: 5 },
      });
      return r.status === 200;
    });
    const path = `/v1/evaluations/${period}/minh/review`;
    const first = { scores: { discipline: 20, tasks: 66, bonus: 6 } };
    const second = { scores: { discipline: 15, tasks: 45, bonus: 0 } };
    // With the worker stopped both updates wait on the server and reach the workflow in one
    // activation: the interleaving a busy worker produces by chance, made certain.
    await s.stopWorker();
    const answers = Promise.all([s.call('khanh', 'PUT', path, first), s.call('khanh', 'PUT', path, second)]);
    await new Promise((r) => setTimeout(r, 1500));
    await s.startWorker();
    const [won, lost] = oneWon(await answers, 200);
    expect(lost.status, JSON.stringify(lost.body)).toBe(409);
    expect(lost.body.error.details).toMatchObject({ status: 'reviewed' });
    const accepted = won.body.reviewScores;
    expect([first.scores, second.scores]).toContainEqual(accepted);
    const [row] = await s.sql<
      { reviewScores: unknown }[]
    >`select review_scores from evaluations where period = ${period} and person_id = 'minh'`;
    expect(row.reviewScores).toEqual(accepted);
    expect(
      await s.sql`select 1 from audit where action = 'evaluation.review' and subject = ${`eval:${period}:minh`}`,
    ).toHaveLength(1);
  });
});
