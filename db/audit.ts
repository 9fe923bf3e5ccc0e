/**
 * The audit trail's one writer, its reader and its verifier. Every audit row goes through
 * {@link writeAudit}, inside the transaction of the write it records, so a change and its audit
 * record commit or fail together. Rows are hash-chained (migration 010): each carries the hash of
 * the row before it and its own; {@link verifyAuditChain} recomputes the chain.
 */
import { createHash } from 'node:crypto';
import { decodeCursor, pageOf, type Page, type PageRequest } from './pagination';
import type { Sql, Tx } from './sql';

export interface AuditEntry {
  /** Unique per recorded fact: a retry of the same fact finds its row by this key. */
  dedupeKey: string;
  /** When it happened; the transaction's time (`now()`) when absent. */
  at?: string | Date;
  actor: string;
  /** What happened, e.g. `person.discipline`. */
  action: string;
  /** What it happened to, e.g. `person:an`. */
  subject: string;
  payload?: unknown;
  /**
   * `skip`: a row with this key already there is the same fact recorded by an earlier try, and
   * nothing is written. `fail` (the default): a second row under the key is an error.
   */
  onDuplicate?: 'skip' | 'fail';
}

/**
 * Writes one audit row through `audit_append`, the only way the API's user may add one; returns
 * whether it was written (false only when a duplicate was skipped).
 */
export async function writeAudit(tx: Sql | Tx, entry: AuditEntry): Promise<boolean> {
  const at = entry.at === undefined ? null : entry.at instanceof Date ? entry.at.toISOString() : entry.at;
  const [row] = await tx<{ written: boolean }[]>`
    select audit_append(${entry.dedupeKey}, ${at}::timestamptz, ${entry.actor}, ${entry.action}, ${entry.subject},
                        ${tx.json((entry.payload ?? {}) as never)}::jsonb, ${entry.onDuplicate === 'skip'}) as written`;
  return row.written;
}

/** The hash the first row follows. */
export const CHAIN_START = '0'.repeat(64);

/** A row's hash: SHA-256 of the hash before it and the row's text, as migration 010 computes it. */
export const chainHash = (prevHash: string, rowText: string): string =>
  createHash('sha256').update(`${prevHash}\n${rowText}`, 'utf8').digest('hex');

export type ChainBreak =
  /** The row's content no longer gives its stored hash: the row was edited. */
  | { id: string; dedupeKey: string; problem: 'content' }
  /** The row does not follow the one before it: a row before it was removed, inserted or re-hashed. */
  | { id: string; dedupeKey: string; problem: 'link'; expectedPrev: string; storedPrev: string };

export interface ChainReport {
  rows: number;
  /** The first row where the chain breaks; null when it holds from the first row to the last. */
  broken: ChainBreak | null;
}

const VERIFY_BATCH = 5000;

/**
 * Walks the whole trail in id order and recomputes every hash here rather than trusting the
 * database's functions; only the row's text (the same expression as migration 010) comes from
 * PostgreSQL. Stops at the first break.
 */
export async function verifyAuditChain(sql: Sql): Promise<ChainReport> {
  let expectedPrev = CHAIN_START;
  let after = '0';
  let rows = 0;
  for (;;) {
    const batch = await sql<{ id: string; dedupeKey: string; prevHash: string; hash: string; rowText: string }[]>`
      select id::text, dedupe_key, prev_hash, hash,
             jsonb_build_array(id, dedupe_key, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                               actor, action, subject, payload)::text as row_text
      from audit where id > ${after}::bigint order by audit.id limit ${VERIFY_BATCH}`;
    for (const r of batch) {
      rows += 1;
      if (r.prevHash !== expectedPrev) {
        return {
          rows,
          broken: { id: r.id, dedupeKey: r.dedupeKey, problem: 'link', expectedPrev, storedPrev: r.prevHash },
        };
      }
      if (chainHash(r.prevHash, r.rowText) !== r.hash) {
        return { rows, broken: { id: r.id, dedupeKey: r.dedupeKey, problem: 'content' } };
      }
      expectedPrev = r.hash;
    }
    if (batch.length < VERIFY_BATCH) return { rows, broken: null };
    after = batch[batch.length - 1].id;
  }
}

export interface AuditFilter {
  /** Rows about the person (their record, evaluations and cases) or acted by them. */
  personId?: string;
  /** Rows about the unit's cycles, its evaluations and the people now in it. */
  unitId?: string;
  /** First and last day (YYYY-MM-DD, in Hanoi's time zone), inclusive. */
  from?: string;
  to?: string;
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  payload: unknown;
  prevHash: string;
  hash: string;
}

/** The engine's calendar zone: a day of the filter is a day in Hanoi. */
const ZONE = 'Asia/Ho_Chi_Minh';

/** Audit rows matching `filter`, oldest first (the chain's order), one page. */
export async function listAudit(sql: Sql, filter: AuditFilter, page: PageRequest): Promise<Page<AuditRow>> {
  const after = page.cursor === undefined ? '0' : decodeCursor('audit', page.cursor)[0];
  const person = filter.personId ?? null;
  const unit = filter.unitId ?? null;
  const rows = await sql<(AuditRow & { cursorKey: string[] })[]>`
    select a.id::text, a.at, a.actor, a.action, a.subject, a.payload, a.prev_hash, a.hash, array[a.id::text] as cursor_key
    from audit a
    where a.id > ${after}::bigint
      and (${filter.from ?? null}::date is null or a.at >= (${filter.from ?? null}::date)::timestamp at time zone ${ZONE})
      and (${filter.to ?? null}::date is null or a.at < (${filter.to ?? null}::date + 1)::timestamp at time zone ${ZONE})
      and (${person}::text is null
        or a.actor = ${person}
        or a.subject = 'person:' || ${person}
        or (split_part(a.subject, ':', 1) = 'eval' and split_part(a.subject, ':', 3) = ${person})
        or (split_part(a.subject, ':', 1) = 'case' and exists (
              select 1 from cases c where c.workflow_id = a.subject and c.person_id = ${person})))
      and (${unit}::text is null
        or (split_part(a.subject, ':', 1) = 'cycle' and split_part(a.subject, ':', 2) = ${unit})
        or (split_part(a.subject, ':', 1) = 'eval' and exists (
              select 1 from evaluations e where e.workflow_id = a.subject and e.unit_id = ${unit}))
        or (split_part(a.subject, ':', 1) = 'person' and exists (
              select 1 from people p where p.id = substr(a.subject, 8) and p.unit_id = ${unit})))
    order by a.id
    limit ${page.limit + 1}`;
  return pageOf('audit', rows, page.limit);
}

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
}

/** What the unit's cycle records for every member at once: a person's month shows these too. */
const UNIT_WIDE_ACTIONS = [
  'cycle.opened',
  'cycle.deadlines-overridden',
  'deliberation.opened',
  'deliberation.put',
  'deliberation.approved',
  'cycle.published',
  'cycle.locked',
];

/**
 * A person's month in the audit trail, oldest first: everything their evaluation recorded, and
 * what their unit's cycle recorded about them (their complaints, escalations) or about every
 * member. Payloads stay out: the cycle's carry other members' grades.
 */
export async function auditOfMonth(
  sql: Sql,
  at: { evaluationWorkflowId: string; cycleWorkflowId: string; period: string; personId: string },
): Promise<AuditRow[]> {
  return sql<AuditRow[]>`
    select id::text, at, actor, action from audit
    where subject = ${at.evaluationWorkflowId}
       or (subject = ${at.cycleWorkflowId} and (
             action in ${sql(UNIT_WIDE_ACTIONS)}
             or payload->>'personId' = ${at.personId}
             or payload->'escalation'->>'personId' = ${at.personId}
             or payload->>'complaintId' in (
               select id from complaints where period = ${at.period} and person_id = ${at.personId})))
    order by at, id`;
}
