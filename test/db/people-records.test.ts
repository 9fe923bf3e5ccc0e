/**
 * HR records and their audit rows commit together: each record writes its audit row in the same
 * transaction, and an audit row that cannot be written (its key already taken) leaves no record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeAudit } from '../../db/audit';
import { recordConfidenceVote, recordDiscipline, recordLeave } from '../../db/people-records';
import { freshDatabase, type FreshDatabase } from '../support/db';

describe('HR records with their audit rows', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase('people_records');
  });
  afterAll(async () => {
    await db?.drop();
  });

  const auditOf = (key: string) =>
    db.sql<
      { actor: string; action: string; subject: string; payload: unknown }[]
    >`select actor, action, subject, payload from audit where dedupe_key = ${key}`;

  const cases = [
    {
      table: 'discipline',
      keyPrefix: 'discipline',
      action: 'person.discipline',
      record: (actor: string) =>
        recordDiscipline(db.sql, 'ngoc', { date: '2026-01-10', level: 'reprimand', note: 'late twice' }, actor),
      payload: { date: '2026-01-10', level: 'reprimand', note: 'late twice' },
    },
    {
      table: 'leaves',
      keyPrefix: 'leave',
      action: 'person.leave',
      record: (actor: string) => recordLeave(db.sql, 'ngoc', { from: '2026-01-04', to: '2026-01-29' }, actor),
      payload: { from: '2026-01-04', to: '2026-01-29' },
    },
    {
      table: 'confidence_votes',
      keyPrefix: 'confidence-vote',
      action: 'person.confidence-vote',
      record: (actor: string) => recordConfidenceVote(db.sql, 'ngoc', { date: '2026-10-15', low: 3, total: 15 }, actor),
      payload: { date: '2026-10-15', low: 3, total: 15 },
    },
  ] as const;

  it.each(cases)(
    '$table: the record and its audit row ($action, by the caller) are written together',
    async ({ table, keyPrefix, action, record, payload }) => {
      const id = await record('dung');
      expect(await db.sql`select 1 from ${db.sql(table)} where id = ${id} and person_id = 'ngoc'`).toHaveLength(1);
      expect(await auditOf(`${keyPrefix}:${id}`)).toEqual([{ actor: 'dung', action, subject: 'person:ngoc', payload }]);
    },
  );

  it.each(cases)(
    '$table: an audit row that cannot be written leaves no record either',
    async ({ table, keyPrefix, record }) => {
      // The next record's id is known; its audit key is taken first, so the audit insert fails after the record's insert.
      const [{ next }] = await db.sql<
        { next: string }[]
      >`select setval(pg_get_serial_sequence(${table}, 'id'), 1000 + (select count(*) from ${db.sql(table)})) + 1 as next`;
      await writeAudit(db.sql, {
        dedupeKey: `${keyPrefix}:${next}`,
        actor: 'someone-else',
        action: 'test.blocker',
        subject: 'person:ngoc',
      });
      const [{ before }] = await db.sql<{ before: string }[]>`select count(*) as before from ${db.sql(table)}`;
      await expect(record('dung')).rejects.toThrow(/duplicate key/);
      const [{ after }] = await db.sql<{ after: string }[]>`select count(*) as after from ${db.sql(table)}`;
      expect(after).toBe(before);
      expect(await db.sql`select 1 from ${db.sql(table)} where id = ${next}`).toHaveLength(0);
      expect(await auditOf(`${keyPrefix}:${next}`)).toEqual([expect.objectContaining({ actor: 'someone-else' })]);
    },
  );

  it('writeAudit skips a duplicate only when told to', async () => {
    const entry = { dedupeKey: 'test:dup', actor: 'system', action: 'test.dup', subject: 'test:1', payload: { n: 1 } };
    expect(await writeAudit(db.sql, entry)).toBe(true);
    expect(await writeAudit(db.sql, { ...entry, onDuplicate: 'skip' })).toBe(false);
    await expect(writeAudit(db.sql, entry)).rejects.toThrow(/duplicate key/);
    const [row] = await db.sql<{ at: Date }[]>`select at from audit where dedupe_key = 'test:dup'`;
    expect(Math.abs(row.at.getTime() - Date.now())).toBeLessThan(60_000);
    await writeAudit(db.sql, { ...entry, dedupeKey: 'test:at', at: '2026-01-02T03:04:05+07:00' });
    const [stamped] = await db.sql<{ at: Date }[]>`select at from audit where dedupe_key = 'test:at'`;
    expect(stamped.at.toISOString()).toBe('2026-01-01T20:04:05.000Z');
  });
});
