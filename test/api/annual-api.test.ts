/**
 * The annual roll-up as its readers see it, on the real servers over a year whose settled months
 * the test writes into the read model: a member reads only their own line, the unit's collective
 * every line, and a head whose months are settled by the collective above finds their line under
 * their own person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulationTitle } from '../../domain/reports';
import type { Grade } from '../../domain/types';
import { startStack, type Stack } from '../support/stack';

const YEAR = '2025';
const MONTHS = ['01', '02', '03', '04', '05', '06'].map((m) => `${YEAR}-${m}`);

describe('annual results for their readers', () => {
  let s: Stack;

  const settle = async (unitId: string, personId: string, period: string, total: number, grade: string) => {
    await s.sql`insert into cycles (unit_id, period, workflow_id, phase, profile_id, deadlines, version)
      values (${unitId}, ${period}, ${`cycle:${unitId}:${period}`}, 'locked', 'qd3814', '{}', 1)
      on conflict do nothing`;
    await s.sql`insert into evaluations (period, person_id, unit_id, workflow_id, status, total, proposed_grade, final_grade, deadlines, version)
      values (${period}, ${personId}, ${unitId}, ${`eval:${period}:${personId}`}, 'closed', ${total}, ${grade}, ${grade}, '{}', 1)`;
  };

  beforeAll(async () => {
    s = await startStack('annual-api');
    for (const period of MONTHS) {
      await settle('snv', 'ngoc', period, 80, 'B');
      await settle('snv', 'minh', period, 60, 'C');
      // The head of snv is settled by the collective of hn, the unit above.
      await settle('hn', 'khanh', period, 95, 'A');
    }
  });
  afterAll(async () => {
    await s?.stop();
  });

  const line = (personId: string, total: number, grade: string) => ({
    personId,
    months: MONTHS.map((period) => ({ period, total, grade })),
    ratedMonths: 6,
    mean: total,
    grade,
    caps: [],
    title: emulationTitle(grade as Grade),
  });

  it("gives a member of the unit their own line and nobody else's", async () => {
    const res = await s.call('ngoc', 'GET', `/v1/annual/snv/${YEAR}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ unitId: 'snv', year: YEAR, people: [line('ngoc', 80, 'B')] });
  });

  it("gives the unit's collective every line settled there, with the quota check", async () => {
    const res = await s.call('lan', 'GET', `/v1/annual/snv/${YEAR}`);
    expect(res.status).toBe(200);
    expect(res.body.people).toEqual([line('minh', 60, 'C'), line('ngoc', 80, 'B')]);
    expect(res.body.quota).toEqual({ aCount: 0, bCount: 1, allowedA: 0, breached: false });
  });

  it('finds the head settled above under their own person', async () => {
    const own = await s.call('khanh', 'GET', `/v1/people/khanh/annual/${YEAR}`);
    expect(own.status).toBe(200);
    expect(own.body).toEqual({ year: YEAR, ...line('khanh', 95, 'A') });
    // Their reviewer, the head of hn, reads it too; the unit's own roll-up does not hold it.
    expect((await s.call('an', 'GET', `/v1/people/khanh/annual/${YEAR}`)).body.grade).toBe('A');
    const unit = await s.call('khanh', 'GET', `/v1/annual/snv/${YEAR}`);
    expect(unit.body.people.map((p: { personId: string }) => p.personId)).toEqual(['minh', 'ngoc']);
  });

  it('answers a year without settled months as not rated', async () => {
    const res = await s.call('ngoc', 'GET', '/v1/people/ngoc/annual/2024');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      year: '2024',
      personId: 'ngoc',
      months: [],
      ratedMonths: 0,
      mean: null,
      grade: null,
      caps: ['not-rated'],
      title: null,
    });
  });

  it.each([
    ['a member of another unit, on the unit', 'hai', `/v1/annual/snv/${YEAR}`, 403],
    ['a colleague, on a person', 'minh', `/v1/people/ngoc/annual/${YEAR}`, 403],
    ['a member, on their head', 'ngoc', `/v1/people/khanh/annual/${YEAR}`, 403],
    ['an unknown person', 'admin', `/v1/people/nobody/annual/${YEAR}`, 404],
    ['a year out of range', 'ngoc', '/v1/people/ngoc/annual/1999', 400],
  ])('refuses %s', async (_who, caller, path, status) => {
    expect((await s.call(caller, 'GET', path)).status).toBe(status);
  });
});
