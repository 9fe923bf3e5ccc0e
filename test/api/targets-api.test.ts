/**
 * Unit targets on the real servers: HR or the unit's head sets them, a repeat changes nothing,
 * bad input is a 400 naming the field and the rule, a CSV import sets many units at once, and
 * the oversight report shows each unit's completion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

describe('unit targets', () => {
  let s: Stack;
  const period = '2026-03';
  const rows = async () =>
    (
      await s.sql<
        { n: number }[]
      >`select ((select count(*) from unit_targets) + (select count(*) from audit))::int as n`
    )[0].n;

  beforeAll(async () => {
    s = await startStack('targets-api', { hr: ['dung'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const body = {
    targets: [
      { name: 'Giải quyết hồ sơ đúng hạn', weight: 3, planned: 200, achieved: 150 },
      { name: 'Chuyển đổi số', weight: 1, completion: 100 },
    ],
  };

  it("lets the unit's head set them, answers the weighted completion, and a repeat changes nothing", async () => {
    const put = await s.call('khanh', 'PUT', `/v1/units/snv/targets/${period}`, body);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // (3 × 75% + 1 × 100%) / 4
    expect(put.body).toMatchObject({ unitId: 'snv', period, completion: 0.8125, updatedBy: 'khanh' });
    const before = await rows();
    const again = await s.call('khanh', 'PUT', `/v1/units/snv/targets/${period}`, body, { 'idempotency-key': 'k-1' });
    expect(again.status).toBe(200);
    expect(again.body.completion).toBe(0.8125);
    const retried = await s.call('khanh', 'PUT', `/v1/units/snv/targets/${period}`, body, { 'idempotency-key': 'k-1' });
    expect(retried.body).toEqual(again.body);
    expect(await s.sql`select count(*)::int as n from unit_targets`).toEqual([{ n: 1 }]);
    expect(
      (await s.sql<{ n: number }[]>`select count(*)::int as n from audit where action = 'unit.targets'`)[0].n,
    ).toBe(1);
    expect(before).toBeGreaterThan(0);
    const got = await s.call('an', 'GET', `/v1/units/snv/targets/${period}`);
    expect(got.status).toBe(200);
    expect(got.body.targets).toEqual(body.targets);
  });

  it('answers an empty list for a period without targets', async () => {
    const got = await s.call('dung', 'GET', '/v1/units/sxd/targets/2026');
    expect(got.body).toMatchObject({ unitId: 'sxd', period: '2026', targets: [], completion: null });
  });

  it.each([
    ['a weight of 0', { targets: [{ name: 'x', weight: 0, completion: 50 }] }, 'targets.0.weight', 'too_small'],
    [
      'both ways of measuring',
      { targets: [{ name: 'x', weight: 1, completion: 50, planned: 1, achieved: 1 }] },
      'targets.0.completion',
      'custom',
    ],
    ['neither way of measuring', { targets: [{ name: 'x', weight: 1 }] }, 'targets.0.completion', 'custom'],
    ['achieved without planned', { targets: [{ name: 'x', weight: 1, achieved: 3 }] }, 'targets.0.planned', 'custom'],
    [
      'a negative achievement',
      { targets: [{ name: 'x', weight: 1, planned: 3, achieved: -1 }] },
      'targets.0.achieved',
      'too_small',
    ],
    ['an unknown field', { targets: [], note: 'x' }, '(body)', 'unrecognized_keys'],
  ])('refuses %s with 400 naming the field and rule, and changes nothing', async (_what, bad, field, rule) => {
    const before = await rows();
    const res = await s.call('dung', 'PUT', `/v1/units/snv/targets/${period}`, bad);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual(expect.objectContaining({ field, rule }));
    expect(await rows()).toBe(before);
  });

  it('refuses a bad period, a deputy, and an unknown unit', async () => {
    const bad = await s.call('dung', 'PUT', '/v1/units/snv/targets/2026-13', body);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toContain('period');
    expect((await s.call('lan', 'PUT', `/v1/units/snv/targets/${period}`, body)).status).toBe(403);
    expect((await s.call('em', 'PUT', `/v1/units/snv/targets/${period}`, body)).status).toBe(403);
    expect((await s.call('dung', 'PUT', `/v1/units/nowhere/targets/${period}`, body)).status).toBe(404);
    expect((await s.call('minh', 'GET', `/v1/units/snv/targets/${period}`)).status).toBe(403);
  });

  it('imports many units from CSV (HR), names a bad line, and the report shows the completion', async () => {
    const csv = [
      'unitId,period,name,weight,planned,achieved,completion',
      `sxd,${period},Giải ngân,2,100,50,`,
      `sxd,${period},Cấp phép,1,,,80`,
      `hn,${period},Tổng hợp,1,,,100`,
    ].join('\n');
    expect((await s.call('khanh', 'POST', '/v1/units/targets/import', { csv })).status).toBe(403);
    const before = await rows();
    const broken = await s.call('dung', 'POST', '/v1/units/targets/import', {
      csv: `${csv}\nsxd,${period},Sai,abc,,,10`,
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.details).toContainEqual(expect.objectContaining({ field: 'csv[line 5].weight' }));
    const unknown = await s.call('dung', 'POST', '/v1/units/targets/import', {
      csv: `${csv}\nnowhere,${period},X,1,,,10`,
    });
    expect(unknown.status).toBe(400);
    expect(await rows()).toBe(before);
    const res = await s.call('dung', 'POST', '/v1/units/targets/import', { csv });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ given: 2, changed: 2 });
    expect((await s.call('dung', 'POST', '/v1/units/targets/import', { csv })).body).toEqual({ given: 2, changed: 0 });
    const report = await s.call('an', 'GET', `/v1/reports/hn/${period}`);
    expect(report.status).toBe(200);
    const completion = Object.fromEntries(
      report.body.units.map((u: { unitId: string; targets: { completion: number | null } }) => [
        u.unitId,
        u.targets.completion,
      ]),
    );
    // sxd: (2 × 50% + 1 × 80%) / 3 = 60%; snv from the head's targets above.
    expect(completion).toEqual({ hn: 1, sxd: 0.6, snv: 0.8125 });
  });
});
