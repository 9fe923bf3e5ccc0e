/**
 * A local SMTP server for development: it accepts every message, prints one line for it and
 * keeps it as an .eml file, so reminders and escalations are visible without a real mail relay.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  url: string;
  received: { to: string; subject: string; raw: string }[];
  stop: () => Promise<void>;
}

export async function startMailSink(opts: {
  port: number;
  dir?: string;
  log?: (line: string) => void;
}): Promise<MailSink> {
  const received: MailSink['received'] = [];
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
        // The subject as the person reads it: folded lines joined, encoded words (RFC 2047) decoded.
        void simpleParser(raw, {
          skipHtmlToText: true,
          skipTextToHtml: true,
          skipTextLinks: true,
          skipImageLinks: true,
        })
          .then((mail) => mail.subject ?? '')
          .catch(() => '(subject unreadable)')
          .then((subject) => {
            received.push({ to, subject, raw });
            if (opts.dir) writeFileSync(join(opts.dir, `${Date.now()}-${received.length}.eml`), raw);
            opts.log?.(`mail → ${to}: ${subject}`);
            callback();
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  return {
    url: `smtp://127.0.0.1:${opts.port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
