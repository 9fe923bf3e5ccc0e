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
