/**
 * Every write HR and admins make beside the workflows leaves its audit row, written in the same
 * transaction: the directory (checked and unchecked), tokens, holidays, discipline, leave,
 * confidence votes and a proposal's dismissal. A trigger installed for the test (its function runs as the test's user, since audit rows are written as audit_owner) refuses one
 * action's audit row; the write it records must then leave nothing either.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { upsertCheckedDirectory, upsertDirectory } from '../../db/directory';
import { recordConfidenceVote, recordDiscipline, recordLeave } from '../../db/people-records';
import { dismissProposal } from '../../db/proposals';
import { storeHolidays } from '../../db/settings';
import { insertToken } from '../../db/tokens';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { freshDatabase, type FreshDatabase } from '../support/db';

describe('audited writes', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('audited_writes');
    await db.sql`create table refused_audit (action text primary key)`;
    await db.sql.unsafe(`
      create function refuse_audit() returns trigger language plpgsql security definer as $$
      begin
        if exists (select 1 from refused_audit where action = new.action) then
          raise exception 'audit row % refused by the test', new.action;
        end if;
        return new;
      end $$;
      create trigger refuse_audit before insert on audit for each row execute function refuse_audit();`);
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    await db.sql`
      insert into proposals (id, kind, person_id, level, evidence) values
        ('p-1', 'position-change', 'ngoc', 'due', '{}'), ('p-2', 'position-change', 'minh', 'due', '{}')`;
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.sql`delete from refused_audit`;
  });

  const count = async (table: string) =>
    Number((await db.sql<{ n: string }[]>`select count(*) as n from ${db.sql(table)}`)[0].n);
  const lastAudit = async (action: string) =>
    (
      await db.sql<{ actor: string; subject: string; payload: Record<string, unknown> }[]>`
        select actor, subject, payload from audit where action = ${action} order by id desc limit 1`
    )[0];

  const has = async (table: string, column: string, value: string) =>
    (await db.sql`select 1 from ${db.sql(table)} where ${db.sql(column)} = ${value}`).length > 0;
  /** Day n of a month of 2031 (month as MM), a date no other row of the test uses. */
  const day = (month: string, n: number) => `2031-${month}-${String(n).padStart(2, '0')}`;
  const token = (n: number) => ({
    // The number first: a token's short id is its hash's first twelve characters, and must be unique.
    hash: `${String(n).padStart(2, '0')}${'ab'.repeat(31)}`,
    personId: 'ngoc',
    roles: [],
    label: 'test',
    expiresAt: null,
  });
  const directory = (name: string) => ({
    units: [{ id: 'snv', name, parentId: 'hn' }],
    people: [{ id: 'ngoc', fullName: 'Ngọc', unitId: 'snv', role: 'staff' as const, email: null, reviewerId: null }],
  });

  const writes = [
    {
      action: 'directory.upserted',
      table: 'units',
      write: (n: number) => upsertCheckedDirectory(db.sql, directory(`Sở Nội vụ ${n}`), () => [], 'dung'),
      changed: (n: number) => has('units', 'name', `Sở Nội vụ ${n}`),
      expected: { actor: 'dung', subject: 'directory', payload: { units: ['snv'], people: ['ngoc'] } },
    },
    {
      action: 'directory.upserted',
      table: 'units',
      write: (n: number) => upsertDirectory(db.sql, directory(`Sở Nội vụ (script) ${n}`)),
      changed: (n: number) => has('units', 'name', `Sở Nội vụ (script) ${n}`),
      expected: { actor: 'system', subject: 'directory', payload: { units: ['snv'], people: ['ngoc'] } },
    },
    {
      action: 'token.issued',
      table: 'tokens',
      write: (n: number) => insertToken(db.sql, token(n), 'admin'),
      changed: (n: number) => has('tokens', 'hash', token(n).hash),
      expected: {
        actor: 'admin',
        subject: `token:01${'ab'.repeat(5)}`,
        payload: { personId: 'ngoc', roles: [], label: 'test', expiresAt: null },
      },
    },
    {
      action: 'holidays.stored',
      table: 'holidays',
      write: (n: number) => storeHolidays(db.sql, [{ date: day('02', n), name: 'Tết' }], 'admin'),
      changed: (n: number) => has('holidays', 'date', day('02', n)),
      expected: { actor: 'admin', subject: 'holidays', payload: { holidays: [{ date: '2031-02-01', name: 'Tết' }] } },
    },
    {
      action: 'person.leave',
      table: 'leaves',
      write: (n: number) => recordLeave(db.sql, 'ngoc', { from: day('03', n), to: '2031-03-20' }, 'dung'),
      changed: (n: number) => has('leaves', 'from_date', day('03', n)),
      expected: { actor: 'dung', subject: 'person:ngoc', payload: { from: '2031-03-01', to: '2031-03-20' } },
    },
    {
      action: 'person.discipline',
      table: 'discipline',
      write: (n: number) => recordDiscipline(db.sql, 'ngoc', { date: day('04', n), level: 'reprimand' }, 'dung'),
      changed: (n: number) => has('discipline', 'date', day('04', n)),
      expected: { actor: 'dung', subject: 'person:ngoc', payload: { date: '2031-04-01', level: 'reprimand' } },
    },
    {
      action: 'person.confidence-vote',
      table: 'confidence_votes',
      write: (n: number) => recordConfidenceVote(db.sql, 'ngoc', { date: day('05', n), low: 2, total: 9 }, 'dung'),
      changed: (n: number) => has('confidence_votes', 'date', day('05', n)),
      expected: { actor: 'dung', subject: 'person:ngoc', payload: { date: '2031-05-01', low: 2, total: 9 } },
    },
    {
      action: 'proposal.dismissed',
      table: 'proposals',
      // The first call dismisses p-1; the refused one tries p-2.
      write: (n: number) => dismissProposal(db.sql, `p-${n}`, 'Không cần', 'dung'),
      changed: async (n: number) =>
        (await db.sql`select status from proposals where id = ${`p-${n}`}`)[0].status === 'dismissed',
      expected: { actor: 'dung', subject: 'proposal:p-1', payload: { note: 'Không cần' } },
    },
  ];

  it.each(writes)('$action ($table): written with its audit row', async ({ action, write, changed, expected }) => {
    const before = await count('audit');
    await write(1);
    expect(await changed(1)).toBe(true);
    expect(await count('audit')).toBe(before + 1);
    expect(await lastAudit(action)).toEqual(expected);
  });

  it.each(writes)(
    '$action ($table): an audit row refused leaves no write',
    async ({ action, table, write, changed }) => {
      await db.sql`insert into refused_audit (action) values (${action})`;
      const [rows, audits] = [await count(table), await count('audit')];
      await expect(write(2)).rejects.toThrow(/refused by the test/);
      expect(await changed(2)).toBe(false);
      expect([await count(table), await count('audit')]).toEqual([rows, audits]);
    },
  );
});
