/**
 * The HR records kept beside the directory: discipline decisions, approved leave and confidence
 * votes. Each record is written with its audit row in one transaction: both or neither.
 */
import { writeAudit } from './audit';
import type { Sql } from './sql';

export interface DisciplineInput {
  date: string;
  level: 'reprimand' | 'warning' | 'demotion' | 'dismissal';
  note?: string;
}

export interface LeaveInput {
  from: string;
  to: string;
}

export interface ConfidenceVoteInput {
  date: string;
  low: number;
  total: number;
}

/** Records a discipline decision on `personId` by `actor`, audited as `person.discipline`; returns its id. */
export async function recordDiscipline(
  sql: Sql,
  personId: string,
  record: DisciplineInput,
  actor: string,
): Promise<string> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into discipline (person_id, date, level, note) values (${personId}, ${record.date}, ${record.level}, ${record.note ?? null}) returning id`;
    const id = String(row.id);
    await writeAudit(tx, {
      dedupeKey: `discipline:${id}`,
      actor,
      action: 'person.discipline',
      subject: `person:${personId}`,
      payload: record,
    });
    return id;
  });
}

/** Records approved leave of `personId` by `actor`, audited as `person.leave`; returns its id. */
export async function recordLeave(sql: Sql, personId: string, leave: LeaveInput, actor: string): Promise<string> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into leaves (person_id, from_date, to_date) values (${personId}, ${leave.from}, ${leave.to}) returning id`;
    const id = String(row.id);
    await writeAudit(tx, {
      dedupeKey: `leave:${id}`,
      actor,
      action: 'person.leave',
      subject: `person:${personId}`,
      payload: leave,
    });
    return id;
  });
}

/** Records a confidence vote on `personId` by `actor`, audited as `person.confidence-vote`; returns its id. */
export async function recordConfidenceVote(
  sql: Sql,
  personId: string,
  vote: ConfidenceVoteInput,
  actor: string,
): Promise<string> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ id: string }[]>`
      insert into confidence_votes (person_id, date, low, total) values (${personId}, ${vote.date}, ${vote.low}, ${vote.total}) returning id`;
    const id = String(row.id);
    await writeAudit(tx, {
      dedupeKey: `confidence-vote:${id}`,
      actor,
      action: 'person.confidence-vote',
      subject: `person:${personId}`,
      payload: vote,
    });
    return id;
  });
}

/** Those of `personIds` disciplined between two dates (inclusive, YYYY-MM-DD). */
export async function disciplinedAmong(sql: Sql, personIds: string[], from: string, to: string): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await sql<{ personId: string }[]>`
    select distinct person_id from discipline where person_id in ${sql(personIds)} and date between ${from} and ${to}`;
  return new Set(rows.map((r) => r.personId));
}

/** The leave of `personIds` that overlaps two dates (inclusive), each clipped to them. */
export async function leaveWithin(
  sql: Sql,
  personIds: string[],
  from: string,
  to: string,
): Promise<{ personId: string; fromDate: string; toDate: string }[]> {
  if (personIds.length === 0) return [];
  return sql<{ personId: string; fromDate: string; toDate: string }[]>`
    select person_id, to_char(greatest(from_date, ${from}::date), 'YYYY-MM-DD') as from_date,
           to_char(least(to_date, ${to}::date), 'YYYY-MM-DD') as to_date
    from leaves where person_id in ${sql(personIds)} and from_date <= ${to} and to_date >= ${from}`;
}

/** The people disciplined between two dates (inclusive, YYYY-MM-DD). */
export async function disciplinedBetween(sql: Sql, from: string, to: string): Promise<Set<string>> {
  const rows = await sql<
    { personId: string }[]
  >`select distinct person_id from discipline where date between ${from} and ${to}`;
  return new Set(rows.map((r) => r.personId));
}
