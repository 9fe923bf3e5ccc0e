/** Directory, tokens, holidays and HR records through the API on the real servers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

describe('directory and tokens API', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('org', { hr: ['dung'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  const count = async (table: 'units' | 'people' | 'tokens') =>
    Number((await s.sql<{ n: string }[]>`select count(*) as n from ${s.sql(table)}`)[0].n);

  it('refuses a directory with bad references, naming each, and stores nothing', async () => {
    const [units, people] = [await count('units'), await count('people')];
    const res = await s.call('admin', 'PUT', '/v1/org', {
      units: [{ id: 'qhk', name: 'UBND quận Hoàn Kiếm', parentId: 'nowhere' }],
      people: [
        { id: 'x1', fullName: 'Trịnh Văn Xuân', unitId: 'sxd', role: 'head' },
        { id: 'x2', fullName: 'Mai Thị Yến', unitId: 'ghost', role: 'staff' },
      ],
    });
    expect(res.status).toBe(400);
    const rules = res.body.error.details.map((d: { rule: string }) => d.rule).sort();
    expect(rules).toEqual(expect.arrayContaining(['unknown-parent', 'unknown-unit', 'two-heads']));
    expect([await count('units'), await count('people')]).toEqual([units, people]);
  });

  it('refuses a person under an id the engine acts under, naming the field, and stores nothing', async () => {
    const people = await count('people');
    const res = await s.call('admin', 'PUT', '/v1/org', {
      units: [],
      people: [
        { id: 'quang', fullName: 'Trịnh Văn Quang', unitId: 'snv', role: 'staff' },
        { id: 'hr', fullName: 'Phòng Tổ chức', unitId: 'snv', role: 'staff' },
        { id: 'ballot-box', fullName: 'Hòm phiếu', unitId: 'snv', role: 'staff' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'people.1.id', rule: 'reserved' }),
      expect.objectContaining({ field: 'people.2.id', rule: 'reserved' }),
    ]);
    expect(await count('people')).toBe(people);
  });

  it('upserts a sound directory (HR may), and refuses members', async () => {
    const body = {
      units: [{ id: 'qhk', name: 'UBND quận Hoàn Kiếm', parentId: 'hn' }],
      people: [
        { id: 'xuan', fullName: 'Trịnh Văn Xuân', unitId: 'qhk', role: 'head', email: 'xuan@hoankiem.gov.vn' },
        { id: 'yen', fullName: 'Mai Thị Yến', unitId: 'qhk', role: 'staff' },
      ],
    };
    expect((await s.call('minh', 'PUT', '/v1/org', body)).status).toBe(403);
    const res = await s.call('dung', 'PUT', '/v1/org', body);
    expect(res).toEqual({ status: 200, body: { units: 1, people: 2 } });
    const [row] = await s.sql<{ unitId: string; role: string }[]>`select unit_id, role from people where id = 'xuan'`;
    expect(row).toEqual({ unitId: 'qhk', role: 'head' });
  });

  it('issues tokens only to admins, for known people, and the token works', async () => {
    expect((await s.call('dung', 'POST', '/v1/tokens', { personId: 'yen', roles: [] })).status).toBe(403);
    expect((await s.call('admin', 'POST', '/v1/tokens', { personId: 'nobody', roles: [] })).status).toBe(404);
    expect((await s.call('admin', 'POST', '/v1/tokens', { personId: 'yen', roles: ['superuser'] })).status).toBe(400);
    const before = await count('tokens');
    const res = await s.call('admin', 'POST', '/v1/tokens', { personId: 'yen', roles: [] });
    expect(res.status).toBe(201);
    expect(await count('tokens')).toBe(before + 1);
    const stored = await s.sql`select 1 from tokens where hash = ${res.body.token}`;
    expect(stored).toHaveLength(0);
    const tasks = await fetch(`${s.url}/v1/me/tasks`, { headers: { authorization: `Bearer ${res.body.token}` } });
    expect(tasks.status).toBe(200);
  });

  it('keeps holidays (admin), discipline and leave (HR)', async () => {
    expect(
      (await s.call('dung', 'PUT', '/v1/holidays', { holidays: [{ date: '2026-02-16', name: 'Tết Nguyên đán' }] }))
        .status,
    ).toBe(403);
    const hol = await s.call('admin', 'PUT', '/v1/holidays', {
      holidays: [
        { date: '2026-02-16', name: 'Tết Nguyên đán' },
        { date: '2026-02-17', name: 'Tết Nguyên đán' },
      ],
    });
    expect(hol.body.holidays.map((h: { date: string }) => h.date)).toEqual(['2026-02-16', '2026-02-17']);
    expect(
      (await s.call('minh', 'POST', '/v1/people/ngoc/discipline', { date: '2026-01-10', level: 'reprimand' })).status,
    ).toBe(403);
    expect(
      (await s.call('dung', 'POST', '/v1/people/ngoc/discipline', { date: '2026-13-10', level: 'reprimand' })).status,
    ).toBe(400);
    expect(
      (await s.call('dung', 'POST', '/v1/people/ngoc/discipline', { date: '2026-01-10', level: 'reprimand' })).status,
    ).toBe(201);
    expect(
      (await s.call('dung', 'POST', '/v1/people/ngoc/leave', { from: '2026-01-20', to: '2026-01-10' })).status,
    ).toBe(400);
    expect(
      (await s.call('dung', 'POST', '/v1/people/ngoc/leave', { from: '2026-01-04', to: '2026-01-29' })).status,
    ).toBe(201);
    expect(await s.sql`select 1 from discipline where person_id = 'ngoc'`).toHaveLength(1);
    expect(
      (await s.call('dung', 'POST', '/v1/people/ngoc/confidence-votes', { date: '2026-01-15', low: 2, total: 9 }))
        .status,
    ).toBe(201);
    // Each record is audited under the caller, in the transaction that wrote it.
    const audit = await s.sql<{ actor: string; action: string; payload: unknown }[]>`
      select actor, action, payload from audit where subject = 'person:ngoc' order by id`;
    expect(audit).toEqual([
      { actor: 'dung', action: 'person.discipline', payload: { date: '2026-01-10', level: 'reprimand' } },
      { actor: 'dung', action: 'person.leave', payload: { from: '2026-01-04', to: '2026-01-29' } },
      { actor: 'dung', action: 'person.confidence-vote', payload: { date: '2026-01-15', low: 2, total: 9 } },
    ]);
  });
});
