/**
 * `PUT /v1/org` changes only the fields it names: for every optional field, an omitted one keeps
 * what is stored, an explicit value (null where the field is nullable) replaces it, and a new row
 * gets the defaults. Read back through `GET /v1/people/{id}` (units through SQL: no route reads one).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

describe('directory upsert of named fields only', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('org-upsert', { hr: ['dung'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const put = async (body: unknown) => {
    const res = await s.call('dung', 'PUT', '/v1/org', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };
  const person = async (id: string) => {
    const res = await s.call('dung', 'GET', `/v1/people/${id}`);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  };
  const base = (id: string) => ({ id, fullName: `Người ${id}`, unitId: 'snv', role: 'staff' });

  it('gives a new person the defaults for every field left out', async () => {
    await put({ units: [], people: [base('p-new')] });
    expect(await person('p-new')).toMatchObject({
      email: null,
      reviewerId: null,
      retirementDate: null,
      positionSince: null,
      sensitivePosition: false,
      deferrals: [],
    });
  });

  it.each<[string, unknown, unknown]>([
    ['email', 'moi@hanoi.gov.vn', null],
    ['reviewerId', 'lan', null],
    ['retirementDate', '2024-03-31', null],
    ['positionSince', '2025-02-01', null],
    ['sensitivePosition', true, false],
    ['deferrals', [{ reason: 'pregnancy', until: '2025-12-31' }], []],
    ['oidcSubject', 'sub-0001', null],
  ])('keeps %s when an upsert omits it, and replaces it when one names it', async (field, value, cleared) => {
    const id = `p-${field.toLowerCase()}`;
    await put({ units: [], people: [{ ...base(id), [field]: value }] });
    expect((await person(id))[field]).toEqual(value);
    // Another field changes, this one is left out: it stays.
    await put({ units: [], people: [{ ...base(id), fullName: 'Tên mới' }] });
    expect(await person(id)).toMatchObject({ fullName: 'Tên mới', [field]: value });
    await put({ units: [], people: [{ ...base(id), [field]: cleared }] });
    expect((await person(id))[field]).toEqual(cleared);
  });

  it('keeps every optional field of a person at once when an upsert names none of them', async () => {
    const full = {
      ...base('p-all'),
      email: 'all@hanoi.gov.vn',
      reviewerId: 'lan',
      retirementDate: '2025-01-31',
      positionSince: '2024-01-01',
      sensitivePosition: true,
      deferrals: [{ reason: 'pregnancy', until: '2026-01-01' }],
    };
    await put({ units: [], people: [full] });
    await put({ units: [], people: [base('p-all')] });
    const { id: _id, fullName: _name, unitId: _unit, role: _role, ...kept } = full;
    expect(await person('p-all')).toMatchObject(kept);
  });

  it('refuses a sign-in subject another person already carries, storing nothing', async () => {
    await put({ units: [], people: [{ ...base('p-sub1'), oidcSubject: 'sub-shared' }] });
    const clash = await s.call('dung', 'PUT', '/v1/org', {
      units: [],
      people: [{ ...base('p-sub2'), fullName: 'Người khác', oidcSubject: 'sub-shared' }],
    });
    expect(clash.status).toBe(400);
    expect(clash.body.error.details).toEqual([
      expect.objectContaining({ field: 'people.oidcSubject', rule: 'unique' }),
    ]);
    expect((await s.call('dung', 'GET', '/v1/people/p-sub2')).status).toBe(404);
  });

  it('validates an omitted field as it is stored, not as null', async () => {
    await put({ units: [], people: [{ ...base('p-moved'), reviewerId: 'lan' }] });
    // Moving to sxd while the stored reviewer stays lan (a deputy of snv) is not a sound directory.
    const moved = await s.call('dung', 'PUT', '/v1/org', {
      units: [],
      people: [{ ...base('p-moved'), unitId: 'sxd' }],
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.details).toEqual([expect.objectContaining({ rule: 'reviewer-not-leader' })]);
    expect(await person('p-moved')).toMatchObject({ unitId: 'snv', reviewerId: 'lan' });
    await put({ units: [], people: [{ ...base('p-moved'), unitId: 'sxd', reviewerId: null }] });
    expect(await person('p-moved')).toMatchObject({ unitId: 'sxd', reviewerId: null });
  });

  it("keeps a unit's active flag when an upsert omits it; a new unit is active", async () => {
    const active = async (id: string) =>
      (await s.sql<{ active: boolean }[]>`select active from units where id = ${id}`)[0]?.active;
    await put({ units: [{ id: 'u-new', name: 'Phòng mới', parentId: 'hn' }], people: [] });
    expect(await active('u-new')).toBe(true);
    await put({ units: [{ id: 'u-new', name: 'Phòng mới', parentId: 'hn', active: false }], people: [] });
    expect(await active('u-new')).toBe(false);
    await put({ units: [{ id: 'u-new', name: 'Phòng đã đổi tên', parentId: 'hn' }], people: [] });
    expect(await s.sql`select name, active from units where id = 'u-new'`).toEqual([
      { name: 'Phòng đã đổi tên', active: false },
    ]);
    await put({ units: [{ id: 'u-new', name: 'Phòng đã đổi tên', parentId: 'hn', active: true }], people: [] });
    expect(await active('u-new')).toBe(true);
  });

  it('refuses an upload that names one id twice, for units as for people, and stores nothing', async () => {
    const res = await s.call('dung', 'PUT', '/v1/org', {
      units: [
        { id: 'u-twice', name: 'Một', parentId: 'hn' },
        { id: 'u-twice', name: 'Hai', parentId: 'hn' },
      ],
      people: [base('p-twice'), { ...base('p-twice'), fullName: 'Khác' }],
    });
    expect(res.status).toBe(400);
    expect(
      res.body.error.details
        .filter((d: { rule: string }) => d.rule === 'duplicate')
        .map((d: { field: string }) => d.field)
        .sort(),
    ).toEqual(['people', 'units']);
    expect(
      await s.sql`select 1 from units where id = 'u-twice' union all select 1 from people where id = 'p-twice'`,
    ).toHaveLength(0);
  });
});
