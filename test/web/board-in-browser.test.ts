/**
 * The deliberation board, the results and the complaint inbox in a real browser against the real
 * stack, signing in through the local provider. The month is walked to its deliberation through
 * the API; then the head sees the quota meter, gives one A too many and sees the quota refusal in
 * words before sending anything, fixes it and puts the list (a double click puts it once: progress
 * shown, the button disabled, then done); the deputy approves and the grades are published; a
 * member reads them and files a complaint inside the window; the head resolves it from the inbox
 * (a resolution without a rationale refused in words first); a staff member is refused the board.
 * Every page passes axe-core and leaves its screenshots in docs/screenshots/.
 *
 * `snv` gets two more staff: five rated members allow one A (30% of 5).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate } from '../../domain/calendar';
import type { Directory } from '../../domain/types';
import { DEMO_DIRECTORY } from '../../scripts/demo-directory';
import { launchBrowser, screenshots, seriousViolations, type Browser, signInAs } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';

const DIRECTORY: Directory = {
  units: DEMO_DIRECTORY.units,
  people: [
    ...DEMO_DIRECTORY.people,
    { id: 'oanh', fullName: 'Trần Thị Oanh', unitId: 'snv', role: 'staff', email: null, reviewerId: null },
    { id: 'phuc', fullName: 'Lê Văn Phúc', unitId: 'snv', role: 'staff', email: null, reviewerId: null },
  ],
};
const DAY = 86_400_000;

/**
 * Waits until htmx has swapped and settled what the last answer brought, as a person would before
 * touching the new form: a change made in the instant before htmx has wired the new form is lost.
 */
const settled = (page: Page) =>
  page.waitForFunction(
    () => document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added') === null,
  );
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const PERIOD = localDate(fromMs(Date.now())).slice(0, 7);
const BOARD = `/board/snv/${PERIOD}`;
const RESULTS = `/results/snv/${PERIOD}`;
/** lan is reviewed to an A, the others to a B. */
const PROPOSED: Record<string, 'A' | 'B'> = { lan: 'A', minh: 'B', ngoc: 'B', oanh: 'B', phuc: 'B' };

describe('the deliberation board, results and complaints in the browser', () => {
  let s: Stack;
  let browser: Browser;

  const signIn = (who: string, path: string): Promise<Page> =>
    signInAs(browser, { url: s.url, password: s.provider!.password }, who, path);
  const cycle = async () =>
    (
      await s.sql<{ phase: string; deliberation: { approvals: string[] } | null }[]>`
        select phase, deliberation from cycles where unit_id = 'snv' and period = ${PERIOD}`
    )[0];
  const audits = async (action: string) =>
    (await s.sql`select 1 from audit where action = ${action} and subject = ${`cycle:snv:${PERIOD}`}`).length;

  beforeAll(async () => {
    s = await startStack('board-web', { directory: DIRECTORY, signIn: {} });
    browser = await launchBrowser();
    const opened = await s.call('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: PERIOD,
      deadlines: { plan: at(10_000), selfAssessment: at(2 * DAY), review: at(3 * DAY), deliberation: at(4 * DAY) },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const self = { discipline: 18, tasks: 60, bonus: 2 };
    for (const who of Object.keys(PROPOSED))
      await eventually(
        `${who}'s self-assessment`,
        async () =>
          (await s.call(who, 'PUT', `/v1/evaluations/${PERIOD}/${who}/self-assessment`, { scores: self })).status ===
          200,
        60_000,
      );
    const a = { discipline: 20, tasks: 66, bonus: 6 };
    const b = { discipline: 18, tasks: 55, bonus: 2 };
    for (const [person, grade] of Object.entries(PROPOSED)) {
      const res = await s.call(
        person === 'ngoc' ? 'lan' : 'khanh',
        'PUT',
        `/v1/evaluations/${PERIOD}/${person}/review`,
        {
          scores: grade === 'A' ? a : b,
        },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    await eventually('the deliberation to open', async () => (await cycle()).phase === 'deliberation');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the head the quota meter, refuses one A too many in words before sending, then puts the list once', async () => {
    const page = await signIn('khanh', BOARD);
    expect(await page.locator('#quota-text').innerText()).toContain('Đã dùng 1 / 1 suất loại A.');
    expect(await seriousViolations(page)).toEqual([]);

    await settled(page);
    await page.getByLabel('Mức xếp loại của Dương Văn Minh').selectOption('A');
    await expect
      .poll(async () => page.locator('#list-errors').innerText(), { timeout: 30_000 })
      .toContain('Vượt hạn mức loại A: đã xếp 2 người loại A nhưng chỉ được tối đa 1');
    expect(await page.locator('#quota-text').innerText()).toContain('Đã dùng 2 / 1 suất loại A.');
    // The changed line now asks for its rationale, and says so next to the field.
    const rationale = page.getByLabel('Lý do thay đổi');
    expect(await rationale.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#rationale-1-error').innerText()).toContain('Cần ghi lý do');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'board-refused');
    // Putting it anyway is refused on the page, and nothing reaches the cycle.
    await settled(page);
    await page.locator('#put-list').click();
    await expect
      .poll(async () => page.getByRole('alert').first().innerText(), { timeout: 30_000 })
      .toContain('Hãy sửa');
    expect((await cycle()).deliberation).toBeNull();

    // Fixed: minh keeps the B, ngoc goes down to a C with a rationale.
    await settled(page);
    await page.getByLabel('Mức xếp loại của Dương Văn Minh').selectOption('B');
    await expect.poll(async () => page.locator('#list-errors').innerText(), { timeout: 30_000 }).toBe('');
    await settled(page);
    await page.getByLabel('Mức xếp loại của Lý Thị Ngọc').selectOption('C');
    await expect.poll(async () => page.getByLabel('Lý do thay đổi').count(), { timeout: 30_000 }).toBe(1);
    await settled(page);
    await page.getByLabel('Lý do thay đổi').fill('Chưa hoàn thành chỉ tiêu báo cáo quý');
    await page.getByLabel('Lý do thay đổi').blur();
    await expect.poll(async () => page.locator('#rationale-2-error').count(), { timeout: 30_000 }).toBe(0);
    await screenshots(page, 'board');

    // Seen by the page itself while the request is in flight: the button disabled, the progress shown.
    const seen = new Set<string>();
    await page.exposeFunction('boardSaw', (what: string) => seen.add(what));
    await page.evaluate(() => {
      const report = (window as unknown as { boardSaw: (w: string) => void }).boardSaw;
      new MutationObserver(() => {
        if (document.getElementById('put-list')?.hasAttribute('disabled')) report('disabled');
        if (document.getElementById('put-progress')?.classList.contains('htmx-request')) report('progress');
      }).observe(document.body, { attributes: true, subtree: true });
    });
    await page.locator('#put-list').dblclick();
    await page.waitForURL(`${s.url}${BOARD}?put=1`, { timeout: 60_000 });
    expect([...seen].sort()).toEqual(['disabled', 'progress']);
    expect(await page.locator('#board-notice').innerText()).toBe('Đã gửi xong: danh sách đã được ghi nhận.');
    expect(await audits('deliberation.put')).toBe(1);
    expect((await cycle()).deliberation?.approvals).toEqual(['khanh']);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('refuses a staff member the board, in words', async () => {
    const signedIn = await signIn('minh', '/tasks');
    await signedIn.goto(`${s.url}${BOARD}`);
    expect(await signedIn.getByRole('alert').innerText()).toContain('Bạn không có quyền xem bảng bình xét này');
    expect(await signedIn.locator('#board-form').count()).toBe(0);
    const res = await signedIn.request.get(`${s.url}${BOARD}`);
    expect(res.status()).toBe(403);
    await signedIn.close();
  });

  it('lets the deputy approve, with the majority shown, and the grades are published', async () => {
    const page = await signIn('lan', BOARD);
    expect(await page.locator('#board-form').count()).toBe(0);
    expect(await page.getByText('Bạn không duyệt dòng của chính mình').count()).toBe(1);
    expect(await page.getByText('Còn 4 dòng chưa đủ quá bán.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'board-approve');
    await settled(page);
    await page.getByRole('button', { name: 'Phê duyệt danh sách' }).click();
    await page.waitForURL(`${s.url}${BOARD}?approved=1`, { timeout: 60_000 });
    expect(await page.getByRole('status').first().innerText()).toBe('Đã ghi nhận phê duyệt của bạn.');
    await eventually('the results to be published', async () => (await cycle()).phase === 'published');
    await page.close();
  });

  it('shows a member the published grades and lets them complain inside the window; the head resolves it', async () => {
    const page = await signIn('ngoc', RESULTS);
    const rows = await page.locator('table.results tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0])).toEqual([
      'Ngô Thị Lan',
      'Dương Văn Minh',
      'Lý Thị Ngọc',
      'Trần Thị Oanh',
      'Lê Văn Phúc',
    ]);
    expect(rows[2]).toContain('C – Hoàn thành nhiệm vụ');
    expect(rows[0]).toContain('A – Hoàn thành xuất sắc nhiệm vụ');
    expect(await page.locator('#window-left').innerText()).toMatch(/^Hạn khiếu nại: .+ \(.+\)\.$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'results');
    await settled(page);
    await page.getByLabel('Nội dung khiếu nại').fill('Tôi đã hoàn thành báo cáo quý đúng hạn.');
    await settled(page);
    await page.getByRole('button', { name: 'Gửi khiếu nại' }).click();
    await page.waitForURL(`${s.url}${RESULTS}?filed=1`, { timeout: 60_000 });
    expect(await page.getByRole('status').first().innerText()).toBe('Đã gửi khiếu nại; người đứng đầu sẽ giải quyết.');
    expect(await s.sql`select 1 from complaints where person_id = 'ngoc' and status = 'open'`).toHaveLength(1);
    await page.close();

    const head = await signIn('khanh', '/complaints');
    expect(await head.locator('.task h2').allInnerTexts()).toEqual([`Lý Thị Ngọc – tháng ${PERIOD}`]);
    expect(await head.locator('blockquote').innerText()).toBe('Tôi đã hoàn thành báo cáo quý đúng hạn.');
    // The inbox is what GET /v1/me/complaints gives the same caller.
    const api = await s.call('khanh', 'GET', '/v1/me/complaints');
    expect(api.body.map((c: { personId: string; reason: string }) => [c.personId, c.reason])).toEqual([
      ['ngoc', 'Tôi đã hoàn thành báo cáo quý đúng hạn.'],
    ]);
    expect((await s.call('ngoc', 'GET', '/v1/me/complaints')).body).toEqual([]);
    expect(await seriousViolations(head)).toEqual([]);
    await screenshots(head, 'complaints');
    // Without a rationale: refused next to the field, nothing resolved.
    await settled(head);
    await head.getByRole('button', { name: 'Giải quyết khiếu nại' }).click();
    await expect
      .poll(async () => head.locator('[id$="-rationale-error"]').innerText(), { timeout: 30_000 })
      .toBe('Không được để trống.');
    expect(await s.sql`select 1 from complaints where person_id = 'ngoc' and status = 'open'`).toHaveLength(1);
    await head.getByLabel('Thay đổi mức xếp loại').check();
    await head.getByLabel('Mức mới (khi thay đổi)').selectOption('B');
    await settled(head);
    await head.getByLabel('Lý do').fill('Đã xác minh báo cáo quý nộp đúng hạn');
    await settled(head);
    await head.getByRole('button', { name: 'Giải quyết khiếu nại' }).click();
    await head.waitForURL(`${s.url}/complaints?resolved=1`, { timeout: 60_000 });
    expect(await head.getByText('Không có khiếu nại nào đang chờ bạn.').count()).toBe(1);
    const [resolved] = await s.sql<{ outcome: string; grade: string }[]>`
      select outcome, grade from complaints where person_id = 'ngoc'`;
    expect(resolved).toEqual({ outcome: 'changed', grade: 'B' });
    await head.close();
  });
});
