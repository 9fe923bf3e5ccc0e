/**
 * Tokens on the real servers: `POST /v1/tokens` repeated with one Idempotency-Key mints one token,
 * shown once; a token's expiry, the list of tokens and revocation, and an expired or revoked token
 * refused with 401 and changing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from '../../domain/tokens';
import { startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;

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
      expiresAt: first.body.expiresAt,
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

  describe('lifecycle', () => {
    const as = (token: string, method: string, path: string, body?: unknown) =>
      s.call(null, method, path, body, { authorization: `Bearer ${token}` });
    const mint = async (body: Record<string, unknown>) => {
      const res = await s.call('admin', 'POST', '/v1/tokens', body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { token: string; tokenId: string; expiresAt: string };
    };
    const count = async () => (await s.sql<{ n: number }[]>`select count(*)::int as n from tokens`)[0].n;
    const holidays = async () => (await s.sql<{ n: number }[]>`select count(*)::int as n from holidays`)[0].n;

    it('gives a token the default expiry when none is asked, and the asked one when it is allowed', async () => {
      const before = Date.now();
      const plain = await mint({ personId: 'minh', label: 'default-life' });
      const after = Date.now();
      const at = Date.parse(plain.expiresAt);
      expect(at).toBeGreaterThanOrEqual(before + TOKEN_DEFAULT_DAYS * DAY - 1000);
      expect(at).toBeLessThanOrEqual(after + TOKEN_DEFAULT_DAYS * DAY + 1000);
      const asked = fromMs(Date.now() + 7 * DAY);
      expect((await mint({ personId: 'minh', expiresAt: asked })).expiresAt).toBe(asked);
    });

    it.each([
      ['in the past', () => fromMs(Date.now() - 60_000), 'future'],
      [`past ${TOKEN_MAX_DAYS} days`, () => fromMs(Date.now() + (TOKEN_MAX_DAYS + 1) * DAY), 'max-life'],
    ])('refuses an expiry %s with 422 naming expiresAt and the rule, and mints nothing', async (_name, at, rule) => {
      const before = await count();
      const res = await s.call('admin', 'POST', '/v1/tokens', { personId: 'minh', expiresAt: at() });
      expect(res.status).toBe(422);
      expect(res.body.error.details).toEqual({ field: 'expiresAt', rule });
      expect(await count()).toBe(before);
    });

    it('refuses an expiry without an offset with 400 naming expiresAt, and mints nothing', async () => {
      const before = await count();
      const res = await s.call('admin', 'POST', '/v1/tokens', { personId: 'minh', expiresAt: '2030-01-01T00:00:00' });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'expiresAt' })]);
      expect(await count()).toBe(before);
    });

    it('lists every token to the admin and only their own to a person, never a secret', async () => {
      const minted = await mint({ personId: 'ngoc', label: 'listed' });
      const all = await s.call('admin', 'GET', '/v1/tokens?limit=500');
      expect(all.status).toBe(200);
      expect(all.body.tokens.length).toBe(await count());
      expect(all.body.tokens).toContainEqual(
        expect.objectContaining({ id: minted.tokenId, personId: 'ngoc', label: 'listed', status: 'active' }),
      );
      const own = await s.call('ngoc', 'GET', '/v1/tokens');
      expect(own.status).toBe(200);
      expect(own.body.tokens.map((t: { id: string }) => t.id)).toContain(minted.tokenId);
      expect(own.body.tokens.every((t: { personId: string }) => t.personId === 'ngoc')).toBe(true);
      const hashes = await s.sql<{ hash: string }[]>`select hash from tokens`;
      for (const text of [JSON.stringify(all.body), JSON.stringify(own.body)]) {
        expect(text).not.toContain(minted.token);
        for (const { hash } of hashes) expect(text).not.toContain(hash);
      }
      for (const t of all.body.tokens) expect(Object.keys(t)).not.toContain('token');
    });

    it('pages the list with the cursor, each token once', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { status: number; body: any } = await s.call(
          'admin',
          'GET',
          `/v1/tokens?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        seen.push(...page.body.tokens.map((t: { id: string }) => t.id));
        cursor = page.body.next;
      } while (cursor);
      expect(seen.length).toBe(await count());
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('shows a person-less token only itself', async () => {
      const hr = await mint({ roles: ['hr'], label: 'hr-robot' });
      const res = await as(hr.token, 'GET', '/v1/tokens');
      expect(res.status).toBe(200);
      expect(res.body.tokens.map((t: { id: string }) => t.id)).toEqual([hr.tokenId]);
    });

    it("revokes a person's own token; a second revocation changes nothing; the token is then refused", async () => {
      const own = await mint({ personId: 'minh', label: 'to-revoke' });
      expect(await whoIs(own.token)).toBe('minh');
      const first = await s.call('minh', 'DELETE', `/v1/tokens/${own.tokenId}`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: own.tokenId, status: 'revoked', revokedBy: 'minh' });
      const audit = async () =>
        (await s.sql`select 1 from audit where action = 'token.revoked' and subject = ${`token:${own.tokenId}`}`)
          .length;
      expect(await audit()).toBe(1);
      const again = await s.call('admin', 'DELETE', `/v1/tokens/${own.tokenId}`);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await audit()).toBe(1);
      const refused = await as(own.token, 'GET', '/v1/people/minh');
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toMatch(/revoked/);
    });

    it("refuses revoking someone else's token (403), an unknown one (404) and a malformed id (400)", async () => {
      const other = await mint({ personId: 'minh', label: 'not-yours' });
      const res = await s.call('ngoc', 'DELETE', `/v1/tokens/${other.tokenId}`);
      expect(res.status).toBe(403);
      expect(await whoIs(other.token)).toBe('minh');
      expect((await s.call('admin', 'DELETE', '/v1/tokens/000000000000')).status).toBe(404);
      const bad = await s.call('admin', 'DELETE', '/v1/tokens/not-an-id');
      expect(bad.status).toBe(400);
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'id' })]);
    });

    it('refuses a revoked admin token with 401 and it changes nothing', async () => {
      const robot = await mint({ roles: ['admin'], label: 'revoked-admin' });
      expect((await s.call('admin', 'DELETE', `/v1/tokens/${robot.tokenId}`)).status).toBe(200);
      const [tokensBefore, holidaysBefore] = [await count(), await holidays()];
      const issue = await as(robot.token, 'POST', '/v1/tokens', { personId: 'minh' });
      const put = await as(robot.token, 'PUT', '/v1/holidays', { holidays: [{ date: '2031-02-01', name: 'Tết' }] });
      expect([issue.status, put.status]).toEqual([401, 401]);
      expect([await count(), await holidays()]).toEqual([tokensBefore, holidaysBefore]);
    });

    it('answers 405 naming the methods for a method a known path does not take, 404 for an unknown path', async () => {
      const put = await fetch(`${s.url}/v1/tokens/0123456789ab`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${s.adminToken}` },
      });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('DELETE');
      expect(((await put.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
      expect((await s.call('admin', 'GET', '/v1/no-such-thing')).status).toBe(404);
    });

    it('refuses an expired token with 401 and lists it as expired', async () => {
      const robot = await mint({ roles: ['admin'], label: 'expiring' });
      expect((await as(robot.token, 'GET', '/v1/tokens')).status).toBe(200);
      // Its expiry moved into the past, as time would: no test waits for a real expiry.
      await s.sql`update tokens set expires_at = now() - interval '1 second' where id = ${robot.tokenId}`;
      const before = await count();
      const res = await as(robot.token, 'POST', '/v1/tokens', { personId: 'minh' });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/expired/);
      expect(await count()).toBe(before);
      const listed = await s.call('admin', 'GET', '/v1/tokens?limit=500');
      expect(listed.body.tokens).toContainEqual(expect.objectContaining({ id: robot.tokenId, status: 'expired' }));
    });
  });
});
