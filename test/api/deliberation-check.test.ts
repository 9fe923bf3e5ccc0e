/**
 * `POST /v1/cycles/{unitId}/{period}/deliberation/check` on the real servers: the dry run of the
 * head's list answers with every rule the list breaks (field and rule, in words) and the A quota
 * figures, refuses whoever may not put the list as the put would, and never changes anything.
 *
 * `snv` gets two more staff so that five rated members allow one A (30% of 5).
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
/** A cycle still taking plans. */
const OPEN = nextPeriod(THIS_MONTH);
/** A cycle walked to its deliberation. */
const WALKED = THIS_MONTH;

/** lan and minh are reviewed to an A; the others to a B. */
const PROPOSED = { lan: 'A', minh: 'A', ngoc: 'B', oanh: 'B', phuc: 'B' } as const;
const asProposed = () => Object.entries(PROPOSED).map(([personId, grade]) => ({ personId, grade }));

describe('POST …/deliberation/check on the real servers', () => {
  let s: Stack;
  const check = (who: string, period: string, body: unknown) =>
    s.call(who, 'POST', `/v1/cycles/snv/${period}/deliberation/check`, body);
  /** Everything a put would change: the cycle's snapshot and list, its trail and its open steps. */
  const state = async (period: string) => ({
    cycle: await s.sql`select version, phase, deliberation from cycles where unit_id = 'snv' and period = ${period}`,
    audit: await s.sql`select count(*)::int as n from audit where subject = ${`cycle:snv:${period}`}`,
    steps:
      await s.sql`select step_key, owner_id from open_steps where workflow_id = ${`cycle:snv:${period}`} order by 1, 2`,
  });
  const expectOk = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await s.call(who, method, path, body);
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  beforeAll(async () => {
    s = await startStack('deliberation-check', { directory: DIRECTORY, hr: ['dung'] });
    await expectOk('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: OPEN });
    await expectOk('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: WALKED,
      deadlines: { plan: at(10_000), selfAssessment: at(2 * DAY), review: at(3 * DAY), deliberation: at(4 * DAY) },
    });
    const self = { discipline: 18, tasks: 60, bonus: 2 };
    for (const who of Object.keys(PROPOSED))
      await eventually(
        `${who}'s self-assessment`,
        async () =>
          (await s.call(who, 'PUT', `/v1/evaluations/${WALKED}/${who}/self-assessment`, { scores: self })).status ===
          200,
        60_000,
      );
    const a = { discipline: 20, tasks: 66, bonus: 6 };
    const b = { discipline: 18, tasks: 55, bonus: 2 };
    for (const [person, grade] of Object.entries(PROPOSED))
      await expectOk(person === 'ngoc' ? 'lan' : 'khanh', 'PUT', `/v1/evaluations/${WALKED}/${person}/review`, {
        scores: grade === 'A' ? a : b,
      });
    await eventually(
      'the deliberation to open',
      async () => (await s.call('khanh', 'GET', `/v1/cycles/snv/${WALKED}`)).body.phase === 'deliberation',
    );
  }, 180_000);
  afterAll(async () => {
    await s?.stop();
  });

  it('names every broken rule with its field, and the quota figures, changing nothing', async () => {
    const before = await state(WALKED);
    const decisions = [
      { personId: 'lan', grade: 'A' },
      { personId: 'minh', grade: 'A' },
      // A changed grade without a rationale; phuc left out.
      { personId: 'ngoc', grade: 'C' },
      { personId: 'oanh', grade: 'B' },
    ];
    const res = await check('khanh', WALKED, { decisions });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ok).toBe(false);
    expect(res.body.quota).toEqual({ rated: 5, given: 2, allowed: 1, outstanding: false });
    const refusals = res.body.refusals as { rule: string; field: string; personId?: string; message: string }[];
    expect(refusals.map((r) => [r.rule, r.field, r.personId ?? null])).toEqual([
      ['rationale', 'decisions.2.rationale', 'ngoc'],
      ['coverage', 'decisions', 'phuc'],
      ['quota', 'decisions', null],
    ]);
    expect(refusals[2].message).toMatch(/2 A grades given but at most 1 allowed/);
    expect(res.body.caps.map((c: { personId: string; maxGrade: string }) => [c.personId, c.maxGrade])).toEqual(
      Object.keys(PROPOSED).map((p) => [p, 'A']),
    );
    expect(await state(WALKED)).toEqual(before);
  });

  it('says a list within the rules may be put, and still changes nothing', async () => {
    const before = await state(WALKED);
    const decisions = asProposed().map((d) =>
      d.personId === 'minh' ? { personId: 'minh', grade: 'B', rationale: 'Chỉ một A theo hạn mức' } : d,
    );
    const res = await check('khanh', WALKED, { decisions });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ok: true, refusals: [], quota: { rated: 5, given: 1, allowed: 1 } });
    expect(await state(WALKED)).toEqual(before);
    // The put the check approved is accepted as it said.
    const put = await s.call('khanh', 'PUT', `/v1/cycles/snv/${WALKED}/deliberation`, { decisions });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  });

  it.each([
    ['a deputy', 'lan'],
    ['a member', 'minh'],
    ['HR', 'dung'],
    ['the superior head', 'an'],
  ])('refuses %s as the put would (403), changing nothing', async (_name, who) => {
    const before = await state(OPEN);
    const res = await check(who, OPEN, { decisions: asProposed() });
    expect(res.status, JSON.stringify(res.body)).toBe(403);
    expect(await state(OPEN)).toEqual(before);
  });

  it('answers 409 with the phase while the cycle takes plans, 404 for no cycle, 400 for a bad list', async () => {
    const before = await state(OPEN);
    const early = await check('khanh', OPEN, { decisions: asProposed() });
    expect(early.status, JSON.stringify(early.body)).toBe(409);
    expect(early.body.error.details).toEqual({ phase: 'open' });
    expect((await check('khanh', nextPeriod(OPEN), { decisions: asProposed() })).status).toBe(404);
    const bad = await check('khanh', OPEN, { decisions: [{ personId: 'lan', grade: 'E' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'decisions.0.grade' })]);
    expect(await state(OPEN)).toEqual(before);
  });
});
