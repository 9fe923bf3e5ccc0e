/**
 * `PUT /v1/cycles/{unitId}/{period}/outstanding` over HTTP on the real servers: who may flag a
 * unit outstanding (the superior unit's head, an admin), who may not, the rationale it needs, what
 * it changes (the cycle's flag, its audit entry, and the A quota the deliberation allows), and
 * that a refusal changes nothing.
 *
 * `snv` gets two more staff so that its five rated members tell the quotas apart: 30% of 5 allows
 * one A, the outstanding 40% allows two.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate, nextPeriod } from '../../domain/calendar';
import type { Directory } from '../../domain/types';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { eventually, startStack, type Stack } from '../support/stack';

const DIRECTORY: Directory = {
  units: DEMO_DIRECTORY.units,
  people: [
    ...DEMO_DIRECTORY.people,
    { id: 'oanh', fullName: 'Trần Thị Oanh', unitId: 'snv', role: 'staff', email: null, reviewerId: null },
    { id: 'phuc', fullName: 'Lê Văn Phúc', unitId: 'snv', role: 'staff', email: null, reviewerId: null },
  ],
};

const DAY = 86_400_000;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const THIS_MONTH = localDate(fromMs(Date.now())).slice(0, 7);
/** A cycle left taking plans (its default deadlines are all ahead). */
const OPEN = nextPeriod(THIS_MONTH);
/** A cycle walked to its deliberation with deadlines pulled close. */
const WALKED = THIS_MONTH;
const RATIONALE = 'Hoàn thành xuất sắc nhiệm vụ được giao';

describe('PUT …/outstanding on the real servers', () => {
  let s: Stack;

  const outstanding = (who: string, period: string, body: unknown) =>
    s.call(who, 'PUT', `/v1/cycles/snv/${period}/outstanding`, body);
  const flagOf = async (period: string) =>
    (
      await s.sql<
        { outstanding: boolean }[]
      >`select outstanding from cycles where unit_id = 'snv' and period = ${period}`
    )[0]?.outstanding;
  const flagAudits = async (period: string) =>
    s.sql<{ actor: string; outstanding: boolean; rationale: string }[]>`
      select actor, (payload->>'outstanding')::boolean as outstanding, payload->>'rationale' as rationale
      from audit where action = 'cycle.outstanding' and subject = ${`cycle:snv:${period}`} order by id`;
  /**
   * What a refused call must leave as it was: the flag and its trail, and for the quiet OPEN cycle
   * (no timer of it fires during the tests) the snapshot's version, so that nothing at all is written.
   */
  const state = async (period: string) => ({
    outstanding: await flagOf(period),
    audits: await flagAudits(period),
    ...(period === OPEN
      ? {
          version: (
            await s.sql<{ version: number }[]>`select version from cycles where unit_id = 'snv' and period = ${OPEN}`
          )[0].version,
        }
      : {}),
  });
  const expectOk = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await s.call(who, method, path, body);
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  beforeAll(async () => {
    s = await startStack('outstanding', { directory: DIRECTORY, hr: ['dung'] });
    await expectOk('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: OPEN });
    await expectOk('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: WALKED,
      deadlines: { plan: at(10_000), selfAssessment: at(2 * DAY), review: at(3 * DAY), deliberation: at(4 * DAY) },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  it.each([
    ["the unit's own head", 'khanh'],
    ['the head of a sibling unit', 'em'],
    ['a deputy of the unit', 'lan'],
    ['a member of the unit', 'minh'],
    ['an HR role holder', 'dung'],
  ])('refuses %s (403), changing nothing', async (_name, who) => {
    const before = await state(OPEN);
    const res = await outstanding(who, OPEN, { outstanding: true, rationale: RATIONALE });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await state(OPEN)).toEqual(before);
  });

  it.each([
    ['none', { outstanding: true }],
    ['an empty one', { outstanding: true, rationale: '' }],
    ['a blank one', { outstanding: true, rationale: '   \n ' }],
  ])('requires a rationale: %s is refused (400), changing nothing', async (_name, body) => {
    const before = await state(OPEN);
    const res = await outstanding('an', OPEN, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'rationale' })]);
    expect(await state(OPEN)).toEqual(before);
  });

  it('answers 404 for a month the unit has no cycle in, creating none', async () => {
    const none = nextPeriod(OPEN);
    const res = await outstanding('an', none, { outstanding: true, rationale: RATIONALE });
    expect(res.status).toBe(404);
    expect(await s.sql`select 1 from cycles where unit_id = 'snv' and period = ${none}`).toHaveLength(0);
  });

  it("lets the superior unit's head flag the unit: the cycle reads outstanding and the trail keeps who and why", async () => {
    expect(await flagOf(OPEN)).toBe(false);
    const res = await outstanding('an', OPEN, { outstanding: true, rationale: RATIONALE });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outstanding).toBe(true);
    expect((await s.call('khanh', 'GET', `/v1/cycles/snv/${OPEN}`)).body.outstanding).toBe(true);
    expect(await flagOf(OPEN)).toBe(true);
    expect(await flagAudits(OPEN)).toEqual([{ actor: 'an', outstanding: true, rationale: RATIONALE }]);
  });

  it('lets an admin clear the flag', async () => {
    const res = await outstanding('admin', OPEN, { outstanding: false, rationale: 'Rút lại đề nghị' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outstanding).toBe(false);
    expect(await flagOf(OPEN)).toBe(false);
    expect((await flagAudits(OPEN)).map((a) => [a.actor, a.outstanding])).toEqual([
      ['an', true],
      ['admin', false],
    ]);
  });

  describe('in the deliberation of five rated members', () => {
    /** lan and minh are reviewed to an A; the others to a B. */
    const LIST = {
      decisions: [
        { personId: 'lan', grade: 'A' },
        { personId: 'minh', grade: 'A' },
        { personId: 'ngoc', grade: 'B' },
        { personId: 'oanh', grade: 'B' },
        { personId: 'phuc', grade: 'B' },
      ],
    };
    const putList = () => s.call('khanh', 'PUT', `/v1/cycles/snv/${WALKED}/deliberation`, LIST);

    beforeAll(async () => {
      const self = { discipline: 18, tasks: 60, bonus: 2 };
      for (const who of ['lan', 'minh', 'ngoc', 'oanh', 'phuc']) {
        await eventually(
          `${who}'s self-assessment`,
          async () =>
            (await s.call(who, 'PUT', `/v1/evaluations/${WALKED}/${who}/self-assessment`, { scores: self })).status ===
            200,
          60_000,
        );
      }
      const a = { discipline: 20, tasks: 66, bonus: 6 };
      const b = { discipline: 18, tasks: 55, bonus: 2 };
      const reviews: [string, string, Record<string, number>][] = [
        ['khanh', 'lan', a],
        ['khanh', 'minh', a],
        ['lan', 'ngoc', b],
        ['khanh', 'oanh', b],
        ['khanh', 'phuc', b],
      ];
      for (const [reviewer, person, scores] of reviews)
        await expectOk(reviewer, 'PUT', `/v1/evaluations/${WALKED}/${person}/review`, { scores });
      await eventually(
        'the deliberation to open',
        async () => (await s.call('khanh', 'GET', `/v1/cycles/snv/${WALKED}`)).body.phase === 'deliberation',
      );
    }, 120_000);

    it('allows one A of five while the unit is not flagged (422 for two)', async () => {
      const res = await putList();
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details.breaches).toEqual([
        expect.objectContaining({ rule: 'quota', allowed: 1, given: 2, rated: 5 }),
      ]);
      expect((await s.call('khanh', 'GET', `/v1/cycles/snv/${WALKED}`)).body.deliberation).toBeNull();
    });

    it('allows two A of five once the superior head flags the unit outstanding', async () => {
      expect((await outstanding('an', WALKED, { outstanding: true, rationale: RATIONALE })).status).toBe(200);
      const res = await putList();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.deliberation.decisions.filter((d: { grade: string }) => d.grade === 'A')).toHaveLength(2);
    });

    it('refuses to clear the flag while the list put needs it (422), changing nothing', async () => {
      const before = await state(WALKED);
      const res = await outstanding('an', WALKED, { outstanding: false, rationale: 'Rút lại' });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.error.details.breaches).toEqual([
        expect.objectContaining({ rule: 'quota', allowed: 1, given: 2 }),
      ]);
      expect(await state(WALKED)).toEqual(before);
      expect(before.outstanding).toBe(true);
    });

    it('refuses a change once the grades are published (409), changing nothing', async () => {
      expect((await expectOk('lan', 'POST', `/v1/cycles/snv/${WALKED}/deliberation/approvals`, {})).phase).toBe(
        'published',
      );
      const before = await state(WALKED);
      const res = await outstanding('admin', WALKED, { outstanding: false, rationale: 'Quá muộn' });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error.details.phase).toBe('published');
      expect(await state(WALKED)).toEqual(before);
    });
  });
});
