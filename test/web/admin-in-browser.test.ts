/**
 * The directory import and the admin page in Chromium against the real stack: HR uploads the
 * sample CSV (docs/directory-sample.csv), sees the person it adds and the one it changes, applies
 * it once and the directory holds it; an XLSX with a bad row shows that row's error and applies
 * nothing. A person given the admin role by a token signs in as admin, adds a holiday, is refused
 * a deadline in the past in words next to the field, moves it to the future, and issues a token.
 * A staff member is refused both pages. Every page passes axe-core and leaves its screenshots.
 */
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { launchBrowser, screenshots, seriousViolations, type Browser, signInAs } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const SAMPLE = readFileSync(join(import.meta.dirname, '../../docs/directory-sample.csv'));

/** `YYYY-MM` of the month after now, and the Hanoi `datetime-local` value of an instant. */
const hanoi = (ms: number) => new Date(ms + 7 * 60 * MINUTE).toISOString().slice(0, 16);
const NEXT_PERIOD = hanoi(Date.now() + 32 * DAY).slice(0, 7);
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

describe('directory import and admin pages in the browser', () => {
  let s: Stack;
  let browser: Browser;

  const signIn = (who: string, path: string): Promise<Page> =>
    signInAs(browser, { url: s.url, password: s.provider!.password }, who, path);

  beforeAll(async () => {
    s = await startStack('admin-web', { signIn: {}, hr: ['khanh'] });
    browser = await launchBrowser();
    // The admin role reaches a person's sessions through a token naming them (docs/web.md).
    const granted = await s.call('admin', 'POST', '/v1/tokens', { personId: 'an', roles: ['admin'] });
    expect(granted.status, JSON.stringify(granted.body)).toBe(201);
    const opened = await s.call('admin', 'POST', '/v1/cycles', {
      unitId: 'snv',
      period: NEXT_PERIOD,
      deadlines: {
        plan: fromMs(Date.now() + 20 * DAY),
        selfAssessment: fromMs(Date.now() + 40 * DAY),
        review: fromMs(Date.now() + 42 * DAY),
        deliberation: fromMs(Date.now() + 44 * DAY),
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('lets HR preview the sample CSV, apply it once, and the directory holds it', async () => {
    const page = await signIn('khanh', '/directory/import');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'import');
    await page.getByLabel('Tệp danh bạ (CSV hoặc XLSX)').setInputFiles({
      name: 'danh-ba.csv',
      mimeType: 'text/csv',
      buffer: SAMPLE,
    });
    await page.getByRole('button', { name: 'Xem trước thay đổi' }).click();
    const changes = page.locator('.changes');
    await expect.poll(async () => changes.count(), { timeout: 30_000 }).toBe(2);
    const shown = await page.locator('#import').innerText();
    expect(shown).toContain('Thêm mới tuan');
    expect(shown).toContain('Thêm mới snv-tccb');
    expect(shown).toContain('Thay đổi ngoc');
    expect(shown).toContain('Họ và tên: Lý Thị Ngọc → Vũ Bích Ngọc');
    expect(shown).toContain('Người đánh giá: lan → —');
    expect(shown).not.toContain('Thay đổi snv');
    // Nothing is written by the preview.
    expect((await s.call('admin', 'GET', '/v1/people/tuan')).status).toBe(404);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'import-preview');
    const key = await page.locator('input[name=key]').inputValue();
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();

    await page.getByRole('button', { name: 'Áp dụng thay đổi' }).click();
    await page.waitForURL(/\/directory\/import\?applied=/);
    expect(await page.getByRole('status').innerText()).toContain('Đã cập nhật danh bạ');
    const tuan = await s.call('admin', 'GET', '/v1/people/tuan');
    expect(tuan.body).toMatchObject({ fullName: 'Phạm Anh Tuấn', unitId: 'snv', reviewerId: 'lan' });
    expect((await s.call('admin', 'GET', '/v1/people/ngoc')).body).toMatchObject({
      fullName: 'Vũ Bích Ngọc',
      reviewerId: null,
    });
    await screenshots(page, 'import-applied');

    // The same apply again (a double submit) answers as the first.
    await s.call('admin', 'PUT', '/v1/org', {
      units: [],
      people: [{ id: 'tuan', fullName: 'Phạm Anh Tuấn (sửa)', unitId: 'snv', role: 'staff' }],
    });
    const again = await page.request.post(`${s.url}/directory/import/apply`, {
      form: { _csrf: csrf, key },
      maxRedirects: 0,
    });
    expect(again.status()).toBe(303);
    expect((await s.call('admin', 'GET', '/v1/people/tuan')).body.fullName).toBe('Phạm Anh Tuấn (sửa)');
    await page.close();
  });

  it('shows the bad row of an XLSX in words and applies nothing', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Danh bạ');
    sheet.addRow(['kind', 'id', 'name', 'parentId', 'active', 'unitId', 'role', 'email', 'reviewerId']);
    sheet.addRow(['person', 'quang', 'Trịnh Quang', '', '', 'snv', 'staff', 'quang@hanoi.gov.vn', '']);
    sheet.addRow(['person', 'son', 'Mai Sơn', '', '', 'snv', 'giám đốc', '', '']);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());

    const page = await signIn('khanh', '/directory/import');
    await page.getByLabel('Tệp danh bạ (CSV hoặc XLSX)').setInputFiles({
      name: 'danh-ba.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await page.getByRole('button', { name: 'Xem trước thay đổi' }).click();
    const errors = page.locator('#import-errors li');
    await expect.poll(async () => errors.count(), { timeout: 30_000 }).toBe(1);
    expect(await errors.first().innerText()).toBe(
      'Dòng 3: cột role: Giá trị không nằm trong danh sách cho phép (head, deputy hoặc staff).',
    );
    expect(await page.getByRole('button', { name: 'Áp dụng thay đổi' }).count()).toBe(0);
    expect((await s.call('admin', 'GET', '/v1/people/quang')).status).toBe(404);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'import-errors');

    // A file over the bound is refused before it is read.
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const huge = await page.request.post(`${s.url}/directory/import/preview`, {
      multipart: {
        _csrf: csrf,
        file: { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.alloc(2 * 1024 * 1024, 97) },
      },
      maxRedirects: 0,
    });
    expect(huge.status()).toBe(413);
    await page.close();
  });

  it('lets an admin add a holiday, refuses a past deadline in words, moves one, and issues a token', async () => {
    const page = await signIn('an', '/admin');
    const day = `${NEXT_YEAR}-02-17`;
    await page.getByLabel('Ngày', { exact: true }).fill(day);
    await page.getByLabel('Tên ngày nghỉ').fill('Tết Nguyên đán');
    await page.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
    await expect
      .poll(
        async () =>
          page
            .locator('#holiday-list')
            .innerText()
            .catch(() => ''),
        { timeout: 30_000 },
      )
      .toContain('Tết Nguyên đán');
    expect((await s.sql`select name from holidays where date = ${day}`).map((r) => r.name)).toEqual(['Tết Nguyên đán']);

    await page.getByLabel('Mã đơn vị').fill('snv');
    await page.getByLabel('Kỳ (tháng)').fill(NEXT_PERIOD);
    await page.getByLabel('Hạn lập kế hoạch').fill(hanoi(Date.now() - DAY));
    await page.getByRole('button', { name: 'Dời hạn' }).click();
    await expect
      .poll(
        async () =>
          page
            .locator('#dl-plan-error')
            .innerText()
            .catch(() => ''),
        { timeout: 60_000 },
      )
      .toBe('Hạn mới đã ở trong quá khứ; hãy chọn một thời điểm sau bây giờ.');
    expect(await page.locator('#dl-plan').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'admin');

    const moved = hanoi(Date.now() + 25 * DAY);
    await page.getByLabel('Hạn lập kế hoạch').fill(moved);
    await page.getByRole('button', { name: 'Dời hạn' }).click();
    await expect
      .poll(
        async () =>
          page
            .getByRole('status')
            .first()
            .innerText()
            .catch(() => ''),
        { timeout: 60_000 },
      )
      .toBe('Đã dời hạn.');
    await eventually('the moved deadline', async () => {
      const cycle = await s.call('admin', 'GET', `/v1/cycles/snv/${NEXT_PERIOD}`);
      return Date.parse(cycle.body.deadlines?.plan) === Date.parse(`${moved}:00+07:00`);
    });

    await page.getByLabel('Mã người (để trống nếu mã không gắn với ai)').fill('khanh');
    await page.getByLabel('Tổ chức cán bộ (hr)').check();
    await page.getByRole('button', { name: 'Cấp mã' }).click();
    await expect.poll(async () => page.locator('#issued-token').count(), { timeout: 30_000 }).toBe(1);
    const token = await page.locator('#issued-token').innerText();
    const res = await fetch(`${s.url}/v1/people/khanh`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await page.close();
  });

  it('refuses a staff member the admin and import pages', async () => {
    const page = await signIn('minh', '/tasks');
    expect(await page.getByRole('link', { name: 'Quản trị' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Nhập danh bạ' }).count()).toBe(0);
    for (const [path, words] of [
      ['/admin', 'Chỉ quản trị viên được vào trang này.'],
      ['/directory/import', 'Chỉ cán bộ tổ chức (HR) hoặc quản trị viên được nhập danh bạ.'],
    ]) {
      const answer = await page.goto(`${s.url}${path}`);
      expect(answer?.status()).toBe(403);
      expect(await page.getByRole('alert').innerText()).toBe(words);
    }
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const post = await page.request.post(`${s.url}/admin/holidays`, {
      form: { _csrf: csrf, date: `${NEXT_YEAR}-03-01`, name: 'x' },
      maxRedirects: 0,
    });
    expect(post.status()).toBe(403);
    expect((await s.sql`select 1 from holidays where date = ${`${NEXT_YEAR}-03-01`}`).length).toBe(0);
    await page.close();
  });
});
