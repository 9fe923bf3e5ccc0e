/**
 * `POST /v1/tokens` repeated with one Idempotency-Key, one after the other and at once, on the real
 * servers: one token is minted, shown once, and a repeat answers without a token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack';

describe('tokens under Idempotency-Key', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('tokens-api');
  });
  afterAll(async () => {
    await s?.stop();
  });

  const issue = (label: string, key: string) =>
    s.call('admin', 'POST', '/v1/tokens', { personId: 'minh', label }, { 'idempotency-key': key });
  const rows = async (label: string) => s.sql<{ hash: string }[]>`select hash from tokens where label = ${label}`;
  /** Who a token acts as, or the status it is refused with. */
  const whoIs = async (token: string) => {
    const res = await fetch(`${s.url}/v1/people/minh`, { headers: { authorization: `Bearer ${token}` } });
    return res.status === 200 ? ((await res.json()) as { id: string }).id : res.status;
  };

  it('mints one token for two requests in a row, and the repeat answers without one', async () => {
    const first = await issue('in-a-row', 'token-1');
    const repeat = await issue('in-a-row', 'token-1');
    expect(await rows('in-a-row')).toHaveLength(1);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      token: expect.any(String),
      tokenId: expect.any(String),
      personId: 'minh',
      roles: [],
    });
    expect(repeat.status).toBe(201);
    expect(repeat.body).toEqual({
      tokenId: first.body.tokenId,
      personId: 'minh',
      roles: [],
      message: expect.stringMatching(/shown only once/),
    });
    expect(await whoIs(first.body.token)).toBe('minh');
  });

  it('mints one token for two requests at once; the other answer carries none', async () => {
    const answers = await Promise.all([issue('at-once', 'token-2'), issue('at-once', 'token-2')]);
    const withToken = answers.filter((a) => typeof a.body?.token === 'string');
    expect(withToken).toHaveLength(1);
    // The other is told the first still runs, or gets the stored answer: never a token.
    const other = answers.find((a) => a !== withToken[0])!;
    expect([201, 409]).toContain(other.status);
    expect(other.body.token).toBeUndefined();
    const after = await issue('at-once', 'token-2');
    expect(after.status).toBe(201);
    expect(after.body.token).toBeUndefined();
    expect(after.body.tokenId).toBe(withToken[0].body.tokenId);
    expect(await rows('at-once')).toHaveLength(1);
    expect(await whoIs(withToken[0].body.token)).toBe('minh');
  });
});
