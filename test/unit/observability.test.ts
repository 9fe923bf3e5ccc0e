/**
 * The pure parts of what an operator sees: no secret reaches a log line, a caller's request ID is
 * kept only when sane, and who may read /metrics.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { metricsAllowed, requestIdFor } from '../../api/observability';
import { createLogger, scrub } from '../../telemetry/log';

const TOKEN = 'tok-s3cr3t-VALUE-0123456789';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('log redaction', () => {
  it('writes no bearer token, cookie or password, wherever it sits in a line', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: `Bearer ${TOKEN}`, cookie: `session=${TOKEN}` } }, 'request');
    logger.info({ req: { headers: { Authorization: `Bearer ${TOKEN}` } } }, 'nested');
    logger.warn({ token: TOKEN, adminToken: TOKEN, ADMIN_TOKEN: TOKEN }, 'config');
    logger.error({ err: new Error(`upstream refused Authorization: Bearer ${TOKEN}`) }, 'failed');
    logger.info(`retrying with bearer ${TOKEN}`);
    logger.info({ url: `postgres://app:${TOKEN}@db:5432/evaluations` }, 'connecting');
    logger.info({ detail: `set-cookie: sid=${TOKEN}; Path=/` }, 'answer');
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(() => JSON.parse(line)).not.toThrow();
    }
    expect(lines.join('')).toContain('[Redacted]');
  });

  it('leaves text without secrets alone', () => {
    expect(scrub('POST /v1/cycles 201 in 35 ms')).toBe('POST /v1/cycles 201 in 35 ms');
    expect(scrub('postgres://127.0.0.1:5432/evaluations')).toBe('postgres://127.0.0.1:5432/evaluations');
  });
});

describe('request IDs', () => {
  it.each([
    ['ops-42', 'ops-42'],
    ['3f2b9c1e-0d4a-4b8e-9a77-1c2d3e4f5a6b', '3f2b9c1e-0d4a-4b8e-9a77-1c2d3e4f5a6b'],
    ['trace:abc.def_1', 'trace:abc.def_1'],
  ])('keeps the caller’s sane ID %s', (given, kept) => {
    expect(requestIdFor(given)).toBe(kept);
  });

  it.each([undefined, '', 'has space', 'x'.repeat(129), 'new\nline', '<script>', 'é'])(
    'replaces %j with a fresh UUID',
    (given) => {
      const id = requestIdFor(given);
      expect(id).not.toBe(given);
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    },
  );
});

describe('who may read /metrics', () => {
  const METRICS_TOKEN = 'metrics-token-0123456789';
  it.each([
    ['127.0.0.1', undefined, undefined, true],
    ['127.3.2.1', undefined, METRICS_TOKEN, true],
    ['::1', undefined, undefined, true],
    ['::ffff:127.0.0.1', undefined, undefined, true],
    ['10.0.0.5', undefined, undefined, false],
    ['10.0.0.5', undefined, METRICS_TOKEN, false],
    ['10.0.0.5', `Bearer ${METRICS_TOKEN}`, METRICS_TOKEN, true],
    ['10.0.0.5', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, false],
    ['10.0.0.5', `Bearer wrong`, METRICS_TOKEN, false],
    ['10.0.0.5', METRICS_TOKEN, METRICS_TOKEN, false],
    ['10.0.0.5', 'Bearer ', undefined, false],
    ['::ffff:10.0.0.5', `Bearer ${METRICS_TOKEN}`, METRICS_TOKEN, true],
    ['128.0.0.1', undefined, undefined, false],
    [undefined, undefined, undefined, false],
    [undefined, `Bearer ${METRICS_TOKEN}`, METRICS_TOKEN, true],
  ])('from %s with %s (token %s): %s', (remote, authorization, token, allowed) => {
    expect(metricsAllowed(remote, authorization, token)).toBe(allowed);
  });
});
