/**
 * The audit trail's one writer. Every audit row goes through {@link writeAudit}, inside the
 * transaction of the write it records, so a change and its audit record commit or fail together.
 */
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

/** Writes one audit row; returns whether it was written (false only when a duplicate was skipped). */
export async function writeAudit(tx: Sql | Tx, entry: AuditEntry): Promise<boolean> {
  const rows = await tx`
    insert into audit (dedupe_key, at, actor, action, subject, payload)
    values (${entry.dedupeKey}, coalesce(${entry.at ?? null}::timestamptz, now()), ${entry.actor}, ${entry.action}, ${entry.subject},
            ${tx.json((entry.payload ?? {}) as never)})
    ${entry.onDuplicate === 'skip' ? tx`on conflict (dedupe_key) do nothing` : tx``}
    returning id`;
  return rows.length > 0;
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
