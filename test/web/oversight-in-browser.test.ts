/**
 * The oversight pages in a real browser: the city's head opens a month in which one department is
 * late, sees which, drills into it, and downloads its results as XLSX and PDF (the bytes read back);
 * the annual page and its download; a staff member is refused the oversight page in words. Each
 * page passes axe-core and leaves its screenshots in docs/screenshots/.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleActivities } from '../../activities/cycles';
import { evaluationActivities } from '../../activities/evaluations';
import type { EvaluationRow } from '../../contracts/snapshots';
import type { Grade } from '../../domain/types';
import { launchBrowser, screenshots, seriousViolations, type Browser, signInAs } from '../support/browser';
import { startStack, type Stack } from '../support/stack';

const P = '2025-05';
const DEADLINES = {
  plan: '2025-05-06T17:00:00.000+07:00',
  selfAssessment: '2025-06-03T17:00:00.000+07:00',
  review: '2025-06-05T17:00:00.000+07:00',
};
const UNITS: Record<string, { head: string; collective: string[] }> = {
  hn: { head: 'an', collective: ['an', 'binh'] },
  sxd: { head: 'em', collective: ['em', 'giang'] },
  snv: { head: 'khanh', collective: ['khanh', 'lan'] },
};

interface Member {
  personId: string;
  reviewerId: string | null;
  review: number;
  plan?: boolean;
  missed?: string[];
  final?: Grade;
}

const grade = (t: number): Grade => (t >= 90 ? 'A' : t >= 70 ? 'B' : t >= 50 ? 'C' : 'D');
const scores = (total: number) => ({ discipline: 18, tasks: total - 23, bonus: 5 });

describe('oversight pages in the browser', () => {
  let s: Stack;
  let browser: Browser;

  /** Writes a unit's month as its workflows would (the read model's own writers), so every count is known. */
  async function seedMonth(unitId: string, members: Member[], published: boolean) {
    const evaluations = evaluationActivities(s.sql);
    for (const m of members) {
      const row: EvaluationRow = {
        period: P,
        personId: m.personId,
        unitId,
        reviewerId: m.reviewerId,
        status: 'reviewed',
        plan: m.plan === false ? null : [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }],
        selfScores: scores(m.review),
        selfComment: null,
        reviewScores: scores(m.review),
        reviewComment: 'Hoàn thành',
        total: m.review,
        proposedGrade: grade(m.review),
        missed: m.missed ?? [],
        history: [],
        deadlines: DEADLINES,
      };
      await evaluations.saveEvaluation({
        workflowId: `eval:${P}:${m.personId}`,
        version: 1,
        row,
        escalations: [],
        openSteps: [],
        audit: [],
        notifications: [],
      });
    }
    const { head, collective } = UNITS[unitId];
    await cycleActivities(s.sql).saveCycle({
      workflowId: `cycle:${unitId}:${P}`,
      version: 2,
      view: {
        unitId,
        period: P,
        phase: published ? 'published' : 'deliberation',
        profileId: 'HN-2023',
        deadlines: { ...DEADLINES, deliberation: '2025-06-11T17:00:00.000+07:00' },
        headId: head,
        collective,
        outstanding: false,
        deliberation: published
          ? {
              putBy: head,
              putAt: '2025-06-09T10:00:00.000+07:00',
              decisions: members.map((m) => ({ personId: m.personId, grade: m.final ?? null })),
              approvals: collective.slice(1),
              pending: [],
            }
          : null,
        publishedAt: published ? '2025-06-10T09:00:00.000+07:00' : null,
        complaintWindowEndsAt: null,
      },
      members: members.map((m) => ({ personId: m.personId, reviewerId: m.reviewerId })),
      finals: published ? members.map((m) => ({ personId: m.personId, finalGrade: m.final ?? null, caps: [] })) : [],
      complaints: [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    });
  }

  const signIn = (who: string, path: string): Promise<Page> =>
    signInAs(browser, { url: s.url, password: s.provider!.password }, who, path);

  /** Clicks a download link and answers the bytes the browser saved. */
  const download = async (page: Page, name: string | RegExp): Promise<{ file: string; bytes: Buffer }> => {
    const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name }).click()]);
    return { file: saved.suggestedFilename(), bytes: readFileSync((await saved.path())!) };
  };
  const sheetRows = async (bytes: Buffer) => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as never);
    const rows: unknown[][] = [];
    book.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  beforeAll(async () => {
    s = await startStack('web-oversight', { signIn: {} });
    browser = await launchBrowser();
    await seedMonth(
      'hn',
      [
        { personId: 'an', reviewerId: null, review: 88, final: 'B' },
        { personId: 'binh', reviewerId: 'an', review: 95, final: 'A' },
        { personId: 'cuong', reviewerId: 'binh', review: 85, final: 'B' },
        { personId: 'dung', reviewerId: 'an', review: 65, final: 'C' },
      ],
      true,
    );
    // Sở Xây dựng published, but hoa never filed her plan: a step overdue.
    await seedMonth(
      'sxd',
      [
        { personId: 'em', reviewerId: 'an', review: 91, final: 'A' },
        { personId: 'giang', reviewerId: 'em', review: 80, final: 'B' },
        { personId: 'hai', reviewerId: 'em', review: 75, final: 'B' },
        { personId: 'hoa', reviewerId: 'giang', review: 60, final: 'C', plan: false, missed: ['plan'] },
      ],
      true,
    );
    await seedMonth(
      'snv',
      [
        { personId: 'khanh', reviewerId: 'an', review: 85 },
        { personId: 'lan', reviewerId: 'khanh', review: 92 },
        { personId: 'minh', reviewerId: 'khanh', review: 75 },
        { personId: 'ngoc', reviewerId: 'lan', review: 70 },
      ],
      false,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('shows the head of the city which department is late, drills into it and downloads its results', async () => {
    const page = await signIn('an', `/oversight/hn/${P}`);
    expect(await page.getByRole('link', { name: 'Giám sát' }).count()).toBe(1);
    // Sở Nội vụ is still deliberating past its deadline; Sở Xây dựng published with a plan never filed.
    expect(await page.getByRole('status').innerText()).toBe('2 đơn vị có bước quá hạn: Sở Nội vụ, Sở Xây dựng.');
    const late = page.locator('tbody tr', { has: page.getByRole('link', { name: 'Sở Xây dựng', exact: true }) });
    expect(await late.innerText()).toContain('1 bước quá hạn');
    expect(await late.innerText()).toContain('quá hạn');
    const deliberating = page.locator('tbody tr', { has: page.getByRole('link', { name: 'Sở Nội vụ', exact: true }) });
    expect(await deliberating.innerText()).toContain('Họp xét quá hạn');
    expect(await page.locator('tbody tr').first().innerText()).toContain('Đúng hạn');
    expect(await page.locator('tfoot').innerText()).toContain('12');
    expect(await page.locator('svg[role=img] rect').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    // On a 360-px phone the table scrolls inside its region; the page itself never scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshots(page, 'oversight');

    const report = await download(page, 'Tải báo cáo (Excel)');
    expect(report.file).toBe(`bao-cao-hn-${P}.xlsx`);
    expect((await sheetRows(report.bytes)).map((r) => r[0])).toEqual(
      expect.arrayContaining(['hn', 'sxd', 'snv', 'Tổng']),
    );

    await page.getByRole('link', { name: 'Sở Xây dựng', exact: true }).click();
    await page.waitForURL(`${s.url}/oversight/sxd/${P}`);
    expect(await page.locator('h1').innerText()).toContain('Sở Xây dựng');
    expect(await page.getByRole('link', { name: 'Lên đơn vị cấp trên' }).getAttribute('href')).toBe(
      `/oversight/hn/${P}`,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'oversight-unit');

    // The results are the unit's collective's to file (the rights of the /v1 downloads): the city's head
    // is told so here, and downloads those of the city's own unit.
    const sxd = page.locator('tbody tr').first();
    expect(await sxd.innerText()).toContain('Tập thể lãnh đạo đơn vị tải kết quả');
    expect(await page.getByRole('link', { name: 'Excel Sở Xây dựng' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Lên đơn vị cấp trên' }).click();
    await page.waitForURL(`${s.url}/oversight/hn/${P}`);
    const xlsx = await download(page, 'Excel UBND Thành phố Hà Nội');
    expect(xlsx.file).toBe(`ket-qua-hn-${P}.xlsx`);
    expect(xlsx.bytes.subarray(0, 2).toString()).toBe('PK');
    const names = (await sheetRows(xlsx.bytes)).map((r) => r[1]);
    expect(names).toEqual(expect.arrayContaining(['Nguyễn Văn An', 'Phạm Thị Dung']));
    const pdf = await download(page, 'PDF UBND Thành phố Hà Nội');
    expect(pdf.file).toBe(`ket-qua-hn-${P}.pdf`);
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-');

    // The month picker goes to the chosen month's page.
    await page.getByLabel('Tháng', { exact: true }).fill('2025-04');
    await page.getByRole('button', { name: 'Xem' }).click();
    await page.waitForURL(`${s.url}/oversight/hn/2025-04`);
    expect(await page.getByRole('status').innerText()).toBe('Không đơn vị nào có bước quá hạn.');
    await page.close();
  });

  it('shows the annual roll-up to the collective with its download, and a member only their own line', async () => {
    const page = await signIn('an', '/annual/hn/2025');
    const rows = await page.locator('tbody th[scope=row]').allInnerTexts();
    expect(rows).toEqual(expect.arrayContaining(['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Văn Cường']));
    // One rated month is too few for an annual grade: each line says so.
    expect(await page.locator('tbody').innerText()).toContain('tháng 5 năm 2025: B (88)');
    expect(await page.locator('tbody').innerText()).toContain('chưa xếp loại');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'annual');
    const annual = await download(page, 'Tải tổng hợp năm (Excel)');
    expect(annual.file).toBe('nam-hn-2025.xlsx');
    expect((await sheetRows(annual.bytes)).map((r) => r[0])).toEqual(expect.arrayContaining(['an', 'binh']));
    await page.close();

    const member = await signIn('cuong', '/annual/hn/2025');
    expect(await member.locator('tbody th[scope=row]').allInnerTexts()).toEqual(['Lê Văn Cường']);
    expect(await member.getByRole('link', { name: 'Tải tổng hợp năm (Excel)' }).count()).toBe(0);
    await member.close();
  });

  it('refuses a staff member the oversight page and its downloads, in words', async () => {
    const page = await signIn('minh', `/oversight/hn/${P}`);
    expect(await page.getByRole('alert').innerText()).toContain('lãnh đạo');
    expect(await page.getByRole('link', { name: 'Giám sát' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, 'oversight-refused');
    const file = await page.request.get(`${s.url}/files/report/hn/${P}`);
    expect(file.status()).toBe(403);
    expect(file.headers()['content-type']).toContain('text/html');
    await page.goto(`${s.url}/annual/hn/2025`);
    expect(await page.getByRole('alert').innerText()).toContain('chỉ thành viên đơn vị');
    // A month that does not exist is refused in words too, not a server error.
    const bad = await page.request.get(`${s.url}/oversight/hn/2025-13`);
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('Dữ liệu chưa hợp lệ');
    await page.close();
  });
});
