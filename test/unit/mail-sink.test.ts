/** The development mail sink shows a Vietnamese subject as it was written, not as encoded words. */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../scripts/mail-sink';
import { freePort } from '../../scripts/bench/stack';

describe('the mail sink', () => {
  let sink: MailSink;
  const lines: string[] = [];
  beforeAll(async () => {
    sink = await startMailSink({ port: await freePort(), log: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await sink?.stop();
  });

  it('decodes a long encoded subject and prints it readable', async () => {
    const subject = 'Họp xét của Sở Nội vụ tháng 12/2026: hạn chót phê duyệt danh sách xếp loại cán bộ, công chức';
    const transport = nodemailer.createTransport({ url: sink.url } as never);
    await transport.sendMail({ from: 'engine@example.test', to: 'khanh@example.test', subject, text: 'Nội dung' });
    expect(sink.received.map((m) => m.subject)).toEqual([subject]);
    expect(sink.received[0].raw).toMatch(/=\?UTF-8\?/);
    expect(lines).toEqual([`mail → khanh@example.test: ${subject}`]);
  });
});
