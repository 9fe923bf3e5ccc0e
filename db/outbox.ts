/**
 * The notification outbox as the mailer works it: rows are claimed with `for update skip locked`,
 * so several workers share the work and no row is sent by two.
 */
import type { Sql } from './sql';

export interface ClaimedMessage {
  id: number;
  key: string;
  recipientId: string;
  email: string | null;
  subject: string;
  body: string;
  attempts: number;
}

/**
 * Hands back claims left by a worker that died mid-send (older than ten minutes), then claims up
 * to `batch` messages due now, counting the attempt.
 */
export async function claimDueMessages(sql: Sql, batch: number): Promise<ClaimedMessage[]> {
  await sql`update outbox set status = 'pending' where status = 'sending' and claimed_at < now() - interval '10 minutes'`;
  return sql<ClaimedMessage[]>`
    update outbox set status = 'sending', claimed_at = now(), attempts = attempts + 1
    where id in (select id from outbox where status = 'pending' and next_attempt_at <= now() order by id limit ${batch} for update skip locked)
    returning id, key, recipient_id, email, subject, body, attempts`;
}

export async function markNoAddress(sql: Sql, id: number): Promise<void> {
  await sql`update outbox set status = 'no-address', last_error = 'the recipient has no e-mail address' where id = ${id}`;
}

export async function markSent(sql: Sql, id: number): Promise<void> {
  await sql`update outbox set status = 'sent', sent_at = now(), last_error = null where id = ${id}`;
}

/** Records a failed send: tried again after `retryInSeconds`, or failed for good when `final`. */
export async function markSendFailed(
  sql: Sql,
  id: number,
  error: string,
  opts: { final: boolean; retryInSeconds: number },
): Promise<void> {
  await sql`
    update outbox set status = ${opts.final ? 'failed' : 'pending'}, last_error = ${error.slice(0, 1000)},
      next_attempt_at = now() + make_interval(secs => ${opts.retryInSeconds})
    where id = ${id}`;
}
