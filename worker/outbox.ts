/**
 * Delivers the notification outbox by e-mail (nodemailer over SMTP). Rows are claimed with
 * `for update skip locked`, so several workers share the work and no row is sent by two; a
 * failed send is retried with backoff. The Message-ID is derived from the outbox key, so even
 * the rare resend after a crash mid-send is recognisable as the same message by mail clients.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { claimDueMessages, markNoAddress, markSendFailed, markSent } from '../db/outbox';
import type { Sql } from '../db/sql';

export interface OutboxOptions {
  sql: Sql;
  transport: Transporter;
  from: string;
  hrEmail?: string;
  intervalMs?: number;
  batch?: number;
  maxAttempts?: number;
  log?: (msg: string) => void;
}

export function smtpTransport(url: string): Transporter {
  return nodemailer.createTransport(url);
}

/** Sends what is due once; returns how many were sent. Exposed for tests. */
export async function deliverDue(opts: OutboxOptions): Promise<number> {
  const { sql } = opts;
  const maxAttempts = opts.maxAttempts ?? 8;
  const rows = await claimDueMessages(sql, opts.batch ?? 50);
  let sent = 0;
  for (const row of rows) {
    const to = row.recipientId === 'hr' ? opts.hrEmail : row.email;
    if (!to) {
      await markNoAddress(sql, row.id);
      continue;
    }
    try {
      await opts.transport.sendMail({
        from: opts.from,
        to,
        subject: row.subject,
        text: row.body,
        messageId: `<${Buffer.from(row.key).toString('base64url').slice(0, 180)}@evaluation.local>`,
      });
      await markSent(sql, row.id);
      sent += 1;
    } catch (err) {
      await markSendFailed(sql, row.id, String(err), {
        final: row.attempts >= maxAttempts,
        retryInSeconds: Math.min(3600, 2 ** row.attempts * 5),
      });
      opts.log?.(`mail to ${to} failed (attempt ${row.attempts}): ${String(err)}`);
    }
  }
  return sent;
}

/** Polls the outbox until stopped; `stop()` waits for the batch in flight. */
export function startOutboxDelivery(opts: OutboxOptions): { stop: () => Promise<void> } {
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (!stopped) {
      try {
        await deliverDue(opts);
      } catch (err) {
        opts.log?.(`outbox delivery paused: ${String(err)}`);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, opts.intervalMs ?? 2000).unref();
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
