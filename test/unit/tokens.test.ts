import { describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS, tokenExpiry, tokenStatus } from '../../domain/tokens';

const DAY = 86_400_000;
const NOW = Date.parse('2026-05-04T03:00:00Z');

describe('token expiry', () => {
  it.each<[string, string | undefined, { expiresAt: string } | { rule: string }]>([
    ['none asked: the default', undefined, { expiresAt: fromMs(NOW + TOKEN_DEFAULT_DAYS * DAY) }],
    ['a minute away', fromMs(NOW + 60_000), { expiresAt: fromMs(NOW + 60_000) }],
    ['exactly the maximum', fromMs(NOW + TOKEN_MAX_DAYS * DAY), { expiresAt: fromMs(NOW + TOKEN_MAX_DAYS * DAY) }],
    ['in another offset, kept as the same instant', '2026-05-05T00:00:00Z', { expiresAt: '2026-05-05T07:00:00+07:00' }],
    ['a millisecond past the maximum', fromMs(NOW + TOKEN_MAX_DAYS * DAY + 1), { rule: 'max-life' }],
    ['now', fromMs(NOW), { rule: 'future' }],
    ['in the past', fromMs(NOW - DAY), { rule: 'future' }],
  ])('%s', (_name, requested, expected) => {
    const got = tokenExpiry(NOW, requested);
    if ('rule' in expected)
      expect(got).toEqual({ issue: expect.objectContaining({ field: 'expiresAt', ...expected }) });
    else expect(got).toEqual(expected);
  });
});

describe('token status', () => {
  it.each<[string, string | null, string | null, string]>([
    ['no expiry, not revoked', null, null, 'active'],
    ['expires later', fromMs(NOW + 1), null, 'active'],
    ['expires now', fromMs(NOW), null, 'expired'],
    ['expired', fromMs(NOW - DAY), null, 'expired'],
    ['revoked, not expired', fromMs(NOW + DAY), fromMs(NOW - 1), 'revoked'],
    ['revoked and expired: revoked wins', fromMs(NOW - DAY), fromMs(NOW - 2 * DAY), 'revoked'],
    ['revoked, no expiry', null, fromMs(NOW - 1), 'revoked'],
  ])('%s', (_name, expiresAt, revokedAt, status) => expect(tokenStatus(NOW, { expiresAt, revokedAt })).toBe(status));
});
