/**
 * The evaluation pages in a real browser (Debian's Chromium) against the real stack and the local
 * OpenID provider: the staff member files a self-assessment on a phone, the total and band
 * following as she types and a score over the criterion's maximum refused in words next to the
 * field; her reviewer (the deputy) reviews from the queue, the self-assessment beside each field;
 * the month's page shows the steps; a colleague is refused the review and month pages, as the
 * API refuses him the evaluation. Each page passes axe-core and leaves its screenshots.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { launchBrowser, screenshots, seriousViolations, type Browser } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-09';
const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const POLL = { timeout: 30_000 };

describe('evaluation pages in the browser', () => {
  let s: Stack;
  let browser: Browser;

  const evaluation = async (personId: string) =>
    (
      await s.sql<
        {
          status: string;
          total: number | null;
          proposedGrade: string | null;
          selfScores: Record<string, number> | null;
          history: { step: string }[];
        }[]
      >`
        select status, total, proposed_grade, self_scores, history from evaluations where period = ${PERIOD} and person_id = ${personId}`
    )[0];

  /** Signs `who` in through the local provider in a fresh page, landing on `path`. */
  const signIn = async (who: string, path = '/tasks'): Promise<Page> => {
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
  const summary = (page: Page, id: string) => page.locator(`#${id}`).innerText();

  beforeAll(async () => {
    s = await startStack('web-eval', { signIn: {} });
    browser = await launchBrowser();
    const opened = await s.call('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: PERIOD,
      deadlines: { plan: at(30 * MINUTE), selfAssessment: at(2 * DAY), review: at(3 * DAY), deliberation: at(4 * DAY) },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await eventually('ngoc to owe her plan', async () =>
      (await s.call('ngoc', 'GET', '/v1/me/tasks')).body.some((t: { kind: string }) => t.kind === 'plan'),
    );
    const plan = await s.call('ngoc', 'PUT', `/v1/evaluations/${PERIOD}/ngoc/plan`, {
      tasks: [{ title: 'Thẩm định hồ sơ tuyển dụng', target: '40 hồ sơ' }],
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    // The plan step ends a few seconds from now: the self-assessment (already within its window) opens.
    const moved = await s.call('admin', 'PUT', `/v1/cycles/snv/${PERIOD}/deadlines`, { plan: at(5_000) });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await eventually(
      'ngoc to owe her self-assessment',
      async () =>
        (await s.call('ngoc', 'GET', '/v1/me/tasks')).body.some((t: { kind: string }) => t.kind === 'self-assessment'),
      120_000,
    );
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('lets the staff member self-assess on a phone: total and band follow her typing, a score over the maximum is refused in words', async () => {
    const page = await signIn('ngoc');
    await page.getByRole('link', { name: 'Tự đánh giá' }).click();
    await page.waitForURL(`${s.url}/self-assessment/${PERIOD}`);
    expect(await page.locator('.plan').innerText()).toContain('Thẩm định hồ sơ tuyển dụng');

    await page.getByLabel('Ý thức tổ chức kỷ luật').fill('18');
    await page.getByLabel('Kết quả thực hiện nhiệm vụ').fill('62');
    await page.getByLabel('Điểm thưởng').fill('0');
    await expect.poll(() => summary(page, 'live-summary'), POLL).toContain('80 / 100');
    expect(await summary(page, 'live-summary')).toContain('B · Hoàn thành tốt nhiệm vụ');
    await page.getByLabel('Kết quả thực hiện nhiệm vụ').fill('67,5');
    await page.getByLabel('Điểm thưởng').fill('5');
    await expect.poll(() => summary(page, 'live-summary'), POLL).toContain('90,5 / 100');
    expect(await summary(page, 'live-summary')).toContain('A · Hoàn thành xuất sắc nhiệm vụ');

    // Over the criterion's maximum: said next to the field as she types, and refused by the workflow on filing.
    await page.getByLabel('Điểm thưởng').fill('15');
    await expect.poll(() => page.locator('#score-bonus-error').innerText(), POLL).toBe('Điểm phải từ 0 đến 10.');
    await expect.poll(() => summary(page, 'live-summary'), POLL).toContain('Nhập đủ điểm hợp lệ');
    await page.getByLabel('Tự nhận xét').fill('Hoàn thành đúng hạn các hồ sơ được giao.');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'self-assessment');
    await page.getByRole('button', { name: 'Nộp tự đánh giá' }).click();
    // The refused form comes back with the field marked and the workflow's refusal beside it.
    await expect.poll(() => page.locator('#score-bonus').getAttribute('aria-invalid'), POLL).toBe('true');
    expect(await page.locator('#score-bonus-error').innerText()).toBe('Điểm phải từ 0 đến 10.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('score-bonus');
    expect(await page.getByRole('alert').innerText()).toContain('hãy sửa các ô được đánh dấu');
    expect((await evaluation('ngoc')).status).toBe('planned');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'self-assessment-refused');

    await page.getByLabel('Điểm thưởng').fill('5');
    const sent = await page.evaluate(() => ({
      _csrf: (document.querySelector('input[name=_csrf]') as HTMLInputElement).value,
      key: (document.querySelector('input[name=key]') as HTMLInputElement).value,
    }));
    await page.getByRole('button', { name: 'Nộp tự đánh giá' }).click();
    await page.waitForURL(`${s.url}/self-assessment/${PERIOD}?filed=1`);
    expect(await page.locator('.notice').innerText()).toBe('Bản tự đánh giá đã được tiếp nhận.');
    const filed = await evaluation('ngoc');
    expect(filed.status).toBe('self-assessed');
    expect(filed.history.filter((h) => h.step === 'self-assessment')).toHaveLength(1);
    expect(await summary(page, 'filed-summary')).toContain('90,5 / 100');

    // The same form again (a double submit, other scores): answered as the first, filed once.
    const again = await page.request.post(`${s.url}/self-assessment/${PERIOD}`, {
      form: { ...sent, 'score.discipline': '1', 'score.tasks': '1', 'score.bonus': '1' },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect(again.headers().location).toBe(`/self-assessment/${PERIOD}?filed=1`);
    const after = await evaluation('ngoc');
    expect(after.history.filter((h) => h.step === 'self-assessment')).toHaveLength(1);
    expect(after.selfScores).toEqual({ discipline: 18, tasks: 67.5, bonus: 5 });
    await page.close();
  });

  it('lets the deputy review from her queue, the self-assessment beside each field', async () => {
    await eventually('lan to owe the review', async () =>
      (await s.call('lan', 'GET', '/v1/me/tasks')).body.some((t: { kind: string }) => t.kind === 'review'),
    );
    const page = await signIn('lan', '/review');
    expect(await page.locator('.task h2').allInnerTexts()).toEqual([`Lý Thị Ngọc, tháng ${PERIOD}`]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'review-queue');
    await page.getByRole('link', { name: `Lý Thị Ngọc, tháng ${PERIOD}` }).click();
    await page.waitForURL(`${s.url}/review/${PERIOD}/ngoc`);
    expect(await page.locator('#score-discipline-hint').innerText()).toContain('Tự chấm: 18');
    expect(await page.locator('.quote').innerText()).toBe('Hoàn thành đúng hạn các hồ sơ được giao.');

    await page.getByLabel('Ý thức tổ chức kỷ luật').fill('17');
    await page.getByLabel('Kết quả thực hiện nhiệm vụ').fill('60');
    await page.getByLabel('Điểm thưởng').fill('3');
    await expect.poll(() => summary(page, 'review-summary'), POLL).toContain('80 / 100');
    expect(await summary(page, 'review-summary')).toContain('B · Hoàn thành tốt nhiệm vụ');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'review');
    await page.getByRole('button', { name: 'Nộp đánh giá' }).click();
    await page.waitForURL(`${s.url}/review/${PERIOD}/ngoc?filed=1`);
    expect(await page.locator('.notice').innerText()).toBe('Bản đánh giá đã được tiếp nhận.');
    const reviewed = await evaluation('ngoc');
    expect(reviewed.status).toBe('reviewed');
    expect(Number(reviewed.total)).toBe(80);
    expect(reviewed.proposedGrade).toBe('B');
    await page.close();
  });

  it("shows the person's month: each step with its deadline and when it happened, and the audit trail", async () => {
    const page = await signIn('ngoc', `/month/${PERIOD}/ngoc`);
    const steps = await page.locator('.timeline h3').allInnerTexts();
    expect(steps.map((x) => x.split('\n')[0].trim())).toHaveLength(7);
    expect(steps.slice(0, 3)).toEqual([
      expect.stringContaining('Lập kế hoạch'),
      expect.stringContaining('Tự đánh giá'),
      expect.stringContaining('Đánh giá của người đánh giá'),
    ]);
    for (const done of steps.slice(0, 3)) expect(done).toContain('Đã xong');
    for (const later of steps.slice(3)) expect(later).toContain('Chưa đến');
    const actions = await page.locator('table.audit td:nth-child(3)').allInnerTexts();
    expect(actions).toEqual(
      expect.arrayContaining(['Nộp kế hoạch', 'Nộp tự đánh giá', 'Nộp đánh giá', 'Mở kỳ đánh giá']),
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'month');
    await page.close();
  });

  it("shows the unit's head a member's missed plan in his month, with the miss in the audit trail", async () => {
    const page = await signIn('khanh', `/month/${PERIOD}/minh`);
    expect(await page.locator('h1').innerText()).toBe(`Tháng ${PERIOD} của Dương Văn Minh`);
    expect(await page.locator('.timeline h3').first().innerText()).toContain('Bị lỡ');
    expect(await page.locator('table.audit td:nth-child(3)').allInnerTexts()).toContain('Không nộp kế hoạch đúng hạn');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("refuses a colleague the other's review and month pages, as the API refuses him the evaluation", async () => {
    expect((await s.call('minh', 'GET', `/v1/evaluations/${PERIOD}/ngoc`)).status).toBe(403);
    const page = await signIn('minh');
    expect(await page.getByRole('link', { name: 'Đánh giá cán bộ' }).count()).toBe(0);
    const before = await evaluation('ngoc');
    for (const path of [`/review/${PERIOD}/ngoc`, `/month/${PERIOD}/ngoc`]) {
      const res = await page.goto(`${s.url}${path}`);
      expect(res?.status()).toBe(403);
      expect(await page.getByRole('alert').innerText()).toContain('Bạn không có quyền xem');
    }
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'evaluation-refused');
    const csrf = await page.evaluate(() => (document.querySelector('input[name=_csrf]') as HTMLInputElement).value);
    const posted = await page.request.post(`${s.url}/review/${PERIOD}/ngoc`, {
      form: { _csrf: csrf, key: 'a-fresh-key-123', 'score.discipline': '0', 'score.tasks': '0', 'score.bonus': '0' },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(403);
    const live = await page.request.get(`${s.url}/scores/${PERIOD}/ngoc?score.bonus=5`, { maxRedirects: 0 });
    expect(live.status()).toBe(403);
    expect(await evaluation('ngoc')).toEqual(before);
    await page.close();
  });
});
