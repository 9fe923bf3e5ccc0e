/** Notifications leave through a real SMTP conversation, once each, and failures are retried later. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertDirectory } from '../../db/directory';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { startMailSink, type MailSink } from '../../scripts/mail-sink';
import { deliverDue, smtpTransport } from '../../worker/outbox';
import { freshDatabase } from '../support/db';
import { freePort } from '../support/stack';

describe('outbox delivery over SMTP', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let sink: MailSink;

  beforeAll(async () => {
    db = await freshDatabase('outbox');
    await upsertDirectory(db.sql, DEMO_DIRECTORY);
    sink = await startMailSink({ port: await freePort() });
  });
  afterAll(async () => {
    await sink?.stop();
    await db?.drop();
  });

  const enqueue = (key: string, recipientId: string) => db.sql`
    insert into outbox (key, recipient_id, email, subject, body)
    values (${key}, ${recipientId}, (select email from people where id = ${recipientId}), ${`Nhắc việc ${key}`}, 'Hạn chót sắp đến')`;

  it('sends each message once, to the person or to the HR mailbox, and parks those without an address', async () => {
    await enqueue('k1', 'cuong');
    await enqueue('k2', 'hr');
    await db.sql`update people set email = null where id = 'hai'`;
    await enqueue('k3', 'hai');
    const opts = {
      sql: db.sql,
      transport: smtpTransport(sink.url),
      from: 'noreply@test.vn',
      hrEmail: 'tccb@hanoi.gov.vn',
    };
    expect(await deliverDue(opts)).toBe(2);
    expect(await deliverDue(opts)).toBe(0);
    expect(sink.received.map((m) => m.to).sort()).toEqual(['cuong@hanoi.gov.vn', 'tccb@hanoi.gov.vn']);
    const rows = await db.sql<{ key: string; status: string }[]>`select key, status from outbox order by key`;
    expect(rows).toEqual([
      { key: 'k1', status: 'sent' },
      { key: 'k2', status: 'sent' },
      { key: 'k3', status: 'no-address' },
    ]);
  });

  it('keeps a message whose send failed and retries it after a backoff', async () => {
    await enqueue('k4', 'dung');
    const closedPort = await freePort();
    const failing = {
      sql: db.sql,
      transport: smtpTransport(`smtp://127.0.0.1:${closedPort}`),
      from: 'noreply@test.vn',
    };
    expect(await deliverDue(failing)).toBe(0);
    const [row] = await db.sql<{ status: string; attempts: number; later: boolean }[]>`
      select status, attempts, next_attempt_at > now() as later from outbox where key = 'k4'`;
    expect(row).toEqual({ status: 'pending', attempts: 1, later: true });
    await db.sql`update outbox set next_attempt_at = now() where key = 'k4'`;
    expect(await deliverDue({ ...failing, transport: smtpTransport(sink.url) })).toBe(1);
    expect(sink.received.filter((m) => m.to === 'dung@hanoi.gov.vn')).toHaveLength(1);
  });
});
