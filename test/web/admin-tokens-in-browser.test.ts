/**
 * The admin page's suggested holidays and token list, and "Thẻ truy cập của tôi", in Chromium
 * against the real stack: an admin confirms next year's suggested holidays once (a repeated form
 * stores nothing more) and revokes a token, which the API then refuses (401); a staff member sees
 * and revokes only their own token and is refused another's and the admin page. Each page passes
 * axe-core and leaves its screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshots, seriousViolations, type Browser, signInAs } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe('suggested holidays and tokens in the browser', () => {
  let s: Stack;
  let browser: Browser;

  const signIn = (who: string, path: string): Promise<Page> =>
    signInAs(browser, { url: s.url, password: s.provider!.password }, who, path);

  const issue = async (personId: string) => {
    const res = await s.call('admin', 'POST', '/v1/tokens', { personId, roles: [] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { token: string; tokenId: string };
  };
  const statusWith = async (token: string) =>
    (await fetch(`${s.url}/v1/tokens`, { headers: { authorization: `Bearer ${token}` } })).status;

  beforeAll(async () => {
    s = await startStack('admin-tokens-web', { signIn: {} });
    browser = await launchBrowser();
    // The admin role reaches a person's sessions through a token naming them (docs/web.md).
    const granted = await s.call('admin', 'POST', '/v1/tokens', { personId: 'an', roles: ['admin'] });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it("confirms next year's suggested holidays once and marks them confirmed", async () => {
    const page = await signIn('an', '/admin');
    await page.getByLabel('Năm', { exact: true }).selectOption(String(NEXT_YEAR));
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await page.waitForURL(`${s.url}/admin?year=${NEXT_YEAR}#suggested`);
    expect(await page.locator('#suggested-title').innerText()).toContain(String(NEXT_YEAR));
    expect(await page.locator('#suggested').innerText()).toContain('thông báo của Chính phủ mới là căn cứ');
    const states = page.locator('#suggested-list .suggested-state');
    const days = await states.count();
    expect(days).toBeGreaterThanOrEqual(7);
    expect(await states.allInnerTexts()).toEqual(Array(days).fill('Chưa xác nhận'));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'admin-suggested');

    const form = page.locator('form[action="/admin/holidays/suggested"]');
    const key = await form.locator('input[name=key]').inputValue();
    const csrf = await form.locator('input[name=_csrf]').inputValue();
    await page.getByRole('button', { name: `Xác nhận ${days} ngày chưa xác nhận` }).click();
    await expect.poll(async () => states.allInnerTexts(), { timeout: 30_000 }).toEqual(Array(days).fill('Đã xác nhận'));
    expect(await page.getByRole('status').first().innerText()).toBe(`Đã xác nhận ${days} ngày.`);
    const api = await s.call('admin', 'GET', `/v1/holidays/suggested?year=${NEXT_YEAR}`);
    expect(api.body.holidays.every((h: { confirmed: boolean }) => h.confirmed)).toBe(true);

    // The same form again (a double submit) answers as the first and stores nothing more.
    const stored = async () =>
      Number((await s.sql`select count(*)::int as n from audit where action = 'holidays.stored'`)[0].n);
    const before = await stored();
    const again = await page.request.post(`${s.url}/admin/holidays/suggested`, {
      form: { _csrf: csrf, key, year: String(NEXT_YEAR) },
    });
    expect(again.status()).toBe(200);
    expect(await again.text()).toContain(`Đã xác nhận ${days} ngày.`);
    expect(await stored()).toBe(before);

    // A year outside the picker's is refused in words and confirms nothing.
    const far = await page.request.post(`${s.url}/admin/holidays/suggested`, {
      form: { _csrf: csrf, key: 'another-key-123', year: String(NEXT_YEAR + 5) },
    });
    expect(far.status()).toBe(422);
    expect(await far.text()).toContain('Chỉ xác nhận được ngày nghỉ gợi ý của năm nay hoặc năm sau');
    expect(await stored()).toBe(before);
    await page.close();
  });

  it('lets the admin revoke a token, which the API then refuses', async () => {
    const { token, tokenId } = await issue('khanh');
    expect(await statusWith(token)).toBe(200);
    const page = await signIn('an', '/admin');
    const row = page.locator(`#token-${tokenId}`);
    expect(await row.locator('.token-status').innerText()).toBe('Đang dùng');
    // The list never shows a token's secret.
    expect(await page.locator('#token-list').innerText()).not.toContain(token);
    await page.getByRole('button', { name: `Thu hồi mã ${tokenId}` }).click();
    await expect.poll(async () => row.locator('.token-status').innerText(), { timeout: 30_000 }).toBe('Đã thu hồi');
    expect(await statusWith(token)).toBe(401);
    // The issue form shows the default expiry, and refuses one in the past next to the field.
    const expiry = page.getByLabel('Hết hạn (giờ Hà Nội)');
    expect(await expiry.inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    const tokensBefore = Number((await s.sql`select count(*)::int as n from tokens`)[0].n);
    await page.getByLabel('Mã người (để trống nếu mã không gắn với ai)').fill('khanh');
    await expiry.fill(new Date(Date.now() + 7 * 3_600_000 - 86_400_000).toISOString().slice(0, 16));
    await page.getByRole('button', { name: 'Cấp mã' }).click();
    await expect
      .poll(
        async () =>
          page
            .locator('#tok-expires-error')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toBe('Thời điểm hết hạn phải sau bây giờ.');
    expect(Number((await s.sql`select count(*)::int as n from tokens`)[0].n)).toBe(tokensBefore);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'admin-tokens');
    await page.close();
  });

  it('lets a staff member see and revoke only their own token, and refuses them the admin page', async () => {
    const own = await issue('minh');
    const other = await issue('lan');
    const page = await signIn('minh', '/my-tokens');
    expect(await page.getByRole('link', { name: 'Thẻ truy cập của tôi' }).count()).toBe(1);
    const list = await page.locator('#token-list').innerText();
    expect(list).toContain(own.tokenId);
    expect(list).not.toContain(other.tokenId);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'my-tokens');

    await page.getByRole('button', { name: `Thu hồi mã ${own.tokenId}` }).click();
    await expect
      .poll(async () => page.locator(`#token-${own.tokenId} .token-status`).innerText(), { timeout: 30_000 })
      .toBe('Đã thu hồi');
    expect(await statusWith(own.token)).toBe(401);

    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const theirs = await page.request.post(`${s.url}/my-tokens/${other.tokenId}/revoke`, { form: { _csrf: csrf } });
    expect(theirs.status()).toBe(403);
    expect(await theirs.text()).toContain('Bạn không có quyền thực hiện việc này');
    expect(await statusWith(other.token)).toBe(200);

    const admin = await page.goto(`${s.url}/admin`);
    expect(admin?.status()).toBe(403);
    expect(await page.getByRole('alert').innerText()).toBe('Chỉ quản trị viên được vào trang này.');
    const revoke = await page.request.post(`${s.url}/admin/tokens/${other.tokenId}/revoke`, { form: { _csrf: csrf } });
    expect(revoke.status()).toBe(403);
    expect(await statusWith(other.token)).toBe(200);
    await page.close();
  });
});
