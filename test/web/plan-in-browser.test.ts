/**
 * The pages in a real browser (Debian's Chromium) against the real stack and the local OpenID
 * provider: the demo staff member signs in on a phone-sized window, sees the plan waiting, files
 * two lines, and sees it accepted and the header count drop; every page passes axe-core with no
 * serious or critical violation and leaves its screenshots in docs/screenshots/. Then the
 * refusals: a form without its CSRF token, an expired session, and a sign-in answered by another
 * issuer each change nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { startDevProvider, type DevProvider } from '../../web/dev-provider';
import { launchBrowser, screenshots, seriousViolations, type Browser } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-10';
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);

describe('web pages in the browser', () => {
  let s: Stack;
  let browser: Browser;
  let other: DevProvider | undefined;

  const evaluation = async (personId: string) =>
    (
      await s.sql<{ status: string; plan: { title: string; target: string }[] | null; history: { step: string }[] }[]>`
        select status, plan, history from evaluations where period = ${PERIOD} and person_id = ${personId}`
    )[0];
  const sessions = async (personId: string) =>
    Number((await s.sql<{ n: string }[]>`select count(*) as n from web_sessions where person_id = ${personId}`)[0].n);

  /** Signs `who` in through the local provider in a fresh page, landing on `path`. */
  const signIn = async (who: string, path = '/tasks'): Promise<Page> => {
    // Signed out of the app is not signed out of the provider: a new person starts from no cookies.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${s.url}${path}`);
    await page.getByRole('link', { name: 'Đăng nhập' }).click();
    await page.getByLabel('Tên đăng nhập').fill(who);
    await page.getByLabel('Mật khẩu').fill(s.provider!.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${s.url}${path}`).catch(async (err) => {
      throw new Error(`signed in to ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`, {
        cause: err,
      });
    });
    return page;
  };
  const headerCount = (page: Page) => page.locator('#task-count [aria-hidden]').innerText();
  const formFields = (page: Page) =>
    page.evaluate(() => ({
      csrf: (document.querySelector('input[name=_csrf]') as HTMLInputElement).value,
      key: (document.querySelector('input[name=key]') as HTMLInputElement).value,
    }));

  beforeAll(async () => {
    s = await startStack('web', { signIn: {} });
    browser = await launchBrowser();
    const opened = await s.call('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: PERIOD,
      // The self-assessment opens five working days before its deadline: far enough that only the plan waits.
      deadlines: {
        plan: at(60 * MINUTE),
        selfAssessment: at(30 * DAY),
        review: at(32 * DAY),
        deliberation: at(34 * DAY),
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    for (const who of ['minh', 'ngoc'])
      await eventually(`${who}'s plan task`, async () =>
        (await s.call(who, 'GET', '/v1/me/tasks')).body.some((t: { kind: string }) => t.kind === 'plan'),
      );
  });
  afterAll(async () => {
    await browser?.close();
    await other?.stop();
    await s?.stop();
  });

  it('shows the sign-in page in Vietnamese, accessible, and in English on the switch', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${s.url}/tasks`);
    await expect.poll(async () => page.url(), { timeout: 30_000 }).toContain('/sign-in');
    expect(await page.locator('h1').innerText()).toBe('Đăng nhập');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'sign-in');
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('h1').innerText()).toBe('Sign in');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    expect(await page.locator('h1').innerText()).toBe('Đăng nhập');
    await page.close();
  });

  it('lets the staff member sign in on a phone, file a two-line plan once, and see the count drop', async () => {
    const page = await signIn('minh');
    expect(await headerCount(page)).toBe('1');
    expect(await page.locator('.task h2').allInnerTexts()).toEqual(['Lập kế hoạch tháng']);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'tasks');

    await page.getByRole('link', { name: 'Lập kế hoạch tháng' }).click();
    await page.waitForURL(`${s.url}/plan/${PERIOD}`);
    await page.getByLabel('Nội dung nhiệm vụ').fill('Rà soát hồ sơ công chức');
    await page.getByLabel('Chỉ tiêu, sản phẩm').fill('100 hồ sơ');
    await page.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
    await expect.poll(async () => page.locator('fieldset').count(), { timeout: 30_000 }).toBe(2);
    await page.locator('#line-1-title').fill('Báo cáo tổng hợp');
    await page.locator('#line-1-target').fill('1 báo cáo');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'plan');
    const { csrf, key } = await formFields(page);

    await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
    await page.waitForURL(`${s.url}/plan/${PERIOD}?filed=1`);
    expect(await page.getByRole('status').innerText()).toBe('Kế hoạch đã được tiếp nhận.');
    // The step closes in the workflow's next turn, just after it answered: the count follows on a reload.
    await expect
      .poll(
        async () => {
          await page.reload();
          return headerCount(page);
        },
        { timeout: 30_000 },
      )
      .toBe('0');
    const filed = await evaluation('minh');
    expect(filed.status).toBe('planned');
    expect(filed.plan).toEqual([
      { title: 'Rà soát hồ sơ công chức', target: '100 hồ sơ' },
      { title: 'Báo cáo tổng hợp', target: '1 báo cáo' },
    ]);
    await screenshots(page, 'plan-filed');

    // The same form again (a double submit): answered as the first, filed once.
    const again = await page.request.post(`${s.url}/plan/${PERIOD}`, {
      form: { _csrf: csrf, key, title: 'Khác', target: 'Khác', action: 'submit' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe(`/plan/${PERIOD}?filed=1`);
    const after = await evaluation('minh');
    expect(after.plan).toEqual(filed.plan);
    expect(after.history.filter((h) => h.step === 'plan')).toHaveLength(1);

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/sign-in\?out=1$/);
    expect(await sessions('minh')).toBe(0);
    await page.goto(`${s.url}/tasks`);
    await expect.poll(async () => page.url(), { timeout: 30_000 }).toContain('/sign-in');
    await page.close();
  });

  it('shows a refusal in words next to the fields, and files nothing', async () => {
    const page = await signIn('ngoc', `/plan/${PERIOD}`);
    await page.getByRole('button', { name: 'Nộp kế hoạch' }).click();
    await expect
      .poll(async () => page.locator('#line-0-title-error').innerText(), { timeout: 30_000 })
      .toBe('Không được để trống.');
    expect(await page.locator('#line-0-title').getAttribute('aria-invalid')).toBe('true');
    expect((await evaluation('ngoc')).status).toBe('pending');
    await page.close();
  });

  it('refuses a form without its CSRF token, one too large, and one sent after the session expired, changing nothing', async () => {
    const page = await signIn('ngoc', `/plan/${PERIOD}`);
    const { csrf, key } = await formFields(page);
    const lines = { title: 'Nhiệm vụ', target: 'Chỉ tiêu', action: 'submit', key };
    const missing = await page.request.post(`${s.url}/plan/${PERIOD}`, { form: lines, maxRedirects: 0 });
    expect(missing.status()).toBe(403);
    const wrong = await page.request.post(`${s.url}/plan/${PERIOD}`, {
      form: { ...lines, _csrf: `${csrf}x` },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(403);
    const huge = await page.request.post(`${s.url}/plan/${PERIOD}`, {
      form: { ...lines, _csrf: csrf, title: 'x'.repeat(100_000) },
      maxRedirects: 0,
    });
    expect(huge.status()).toBe(413);
    expect((await evaluation('ngoc')).status).toBe('pending');

    // Idle past the limit: the session is over, whatever the browser still holds.
    await s.sql`update web_sessions set last_seen_at = now() - interval '1 day' where person_id = 'ngoc'`;
    const late = await page.request.post(`${s.url}/plan/${PERIOD}`, {
      form: { ...lines, _csrf: csrf },
      maxRedirects: 0,
    });
    expect(late.status()).toBe(303);
    expect(late.headers().location).toMatch(/^\/sign-in\?.*expired=1/);
    expect((await evaluation('ngoc')).status).toBe('pending');
    await page.goto(`${s.url}/tasks`);
    expect(await page.getByRole('alert').innerText()).toContain('Phiên làm việc đã hết hạn');
    await page.close();
  });

  it('finds the person by the subject first, by a verified e-mail only for people without one', async () => {
    const lan = { id: 'lan', fullName: 'Ngô Thị Lan', unitId: 'snv', role: 'deputy' };
    const linked = await s.call('admin', 'PUT', '/v1/org', { units: [], people: [{ ...lan, oidcSubject: 'lan@idp' }] });
    expect(linked.status).toBe(200);
    // The provider's account `lan` (subject "lan") now names nobody: lan is found by "lan@idp" only.
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.goto(`${s.url}/sign-in`);
    await page.getByRole('link', { name: 'Đăng nhập' }).click();
    await page.getByLabel('Tên đăng nhập').fill('lan');
    await page.getByLabel('Mật khẩu').fill(s.provider!.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/auth\/callback\?/);
    expect(await page.getByRole('alert').innerText()).toContain('không gắn với ai trong danh bạ');
    expect(await sessions('lan')).toBe(0);
    await page.close();

    const khanh = { id: 'khanh', fullName: 'Đỗ Văn Khánh', unitId: 'snv', role: 'head', oidcSubject: 'lan' };
    expect((await s.call('admin', 'PUT', '/v1/org', { units: [], people: [khanh] })).status).toBe(200);
    const asKhanh = await signIn('lan');
    expect(await asKhanh.locator('.who').innerText()).toBe('Đang đăng nhập: Đỗ Văn Khánh');
    expect(await sessions('khanh')).toBe(1);
    await asKhanh.close();
  });

  it('refuses a sign-in answered by another issuer, opening no session', async () => {
    const client = { clientId: 'eval-web', clientSecret: 'other-secret', redirectUris: [`${s.url}/auth/callback`] };
    other = await startDevProvider({ people: DEMO_DIRECTORY.people, client, password: 'other-pw', port: 0 });
    const before = await s.sql`select 1 from web_sessions`;
    const page = await browser.context.newPage();
    const start = await page.request.get(`${s.url}/auth/start?next=/tasks`, { maxRedirects: 0 });
    expect(start.status()).toBe(303);
    // The app's request, with its state and PKCE challenge, sent to the other provider instead.
    const sent = new URL(start.headers().location);
    expect(sent.origin).toBe(s.provider!.issuer);
    await page.goto(`${other.issuer}${sent.pathname}${sent.search}`);
    await page.getByLabel('Tên đăng nhập').fill('ngoc');
    await page.getByLabel('Mật khẩu').fill('other-pw');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/auth\/callback\?/);
    expect(await page.getByRole('alert').innerText()).toContain('Không đăng nhập được');
    expect(await s.sql`select 1 from web_sessions`).toHaveLength(before.length);
    await page.close();
  });
});
