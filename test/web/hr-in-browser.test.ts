/**
 * The escalations inbox and the HR case pages in a real browser against the real stack, signing
 * in through the local OpenID provider as the people involved: a reviewer refused a decision the
 * step does not allow (in words, next to the choice), then extends the missed step and sees it gone;
 * HR's dry run refuses a deferred person in words before anything is opened (eligible once the deferral
 * is waived at their request), then opens a transfer
 * for an eligible one; the collective votes and the voter's page does not show their vote; the
 * replacement's secret ballot shows only how many have voted, after HR puts the proposal on the case page; the person confirms the handover and the case completes; HR dismisses a proposal (first without a
 * reason, refused); a staff member is refused the HR pages. Every page passes axe-core and leaves
 * its screenshots in docs/screenshots/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs, localDate } from '../../domain/calendar';
import { addMonths } from '../../domain/eligibility';
import { launchBrowser, screenshots, seriousViolations, type Browser, signInAs } from '../support/browser';
import { eventually, startStack, type Stack } from '../support/stack';

const DAY = 86_400_000;
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const PERIOD = localDate(fromMs(Date.now())).slice(0, 7);

describe('escalations and HR case pages in the browser', () => {
  let s: Stack;
  let browser: Browser;
  const today = localDate(fromMs(Date.now()));

  const signIn = (who: string, path: string): Promise<Page> =>
    signInAs(browser, { url: s.url, password: s.provider!.password }, who, path);
  const expectAccessible = async (page: Page, name: string) => {
    expect(await seriousViolations(page)).toEqual([]);
    await screenshots(page, name);
  };
  const call = async (who: string, method: string, path: string, body?: unknown) => {
    const res = await s.call(who, method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };

  beforeAll(async () => {
    s = await startStack('web-hr', { hr: ['dung'], signIn: {} });
    browser = await launchBrowser();
    // hai is deferred (pregnancy) for years; ngoc has held her sensitive post 30 months, a change due.
    await call('dung', 'PUT', '/v1/org', {
      units: [],
      people: [
        {
          id: 'hai',
          fullName: 'Đặng Văn Hải',
          unitId: 'sxd',
          role: 'staff',
          deferrals: [{ reason: 'pregnancy', until: addMonths(today, 48) }],
        },
        {
          id: 'ngoc',
          fullName: 'Lý Thị Ngọc',
          unitId: 'snv',
          role: 'staff',
          reviewerId: 'lan',
          sensitivePosition: true,
          positionSince: addMonths(today, -30),
        },
      ],
    });
    // Nobody files a self-assessment due shortly: each miss escalates to the member's reviewer.
    const deadlines = { plan: at(15_000), selfAssessment: at(30_000), review: at(3 * DAY), deliberation: at(4 * DAY) };
    await call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD, deadlines });
    await eventually(
      "minh's missed self-assessment to escalate",
      async () =>
        (await s.call('khanh', 'GET', '/v1/escalations?status=open')).body.some(
          (e: { personId: string }) => e.personId === 'minh',
        ),
      120_000,
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('lets the reviewer decide an escalation from the inbox, after a refusal in words', async () => {
    const page = await signIn('khanh', '/escalations');
    const card = page.locator('section.card', { hasText: 'Dương Văn Minh' });
    await expect.poll(() => card.count(), { timeout: 30_000 }).toBe(1);
    await expectAccessible(page, 'escalations');
    const [minhs] = (
      (await call('khanh', 'GET', '/v1/escalations?status=open')) as { id: string; personId: string }[]
    ).filter((e) => e.personId === 'minh');

    // A self-assessment cannot be handed to someone else: the workflow refuses, and the page says so by the choice.
    await card.getByLabel('Giao người khác', { exact: true }).check();
    await card.getByLabel('Giao cho (khi chọn “Giao người khác”)').selectOption({ label: 'Ngô Thị Lan' });
    await card.getByRole('button', { name: 'Ghi nhận quyết định' }).click();
    const refusal = page.locator(`#esc-${minhs.id}-action-error`);
    await expect.poll(() => refusal.innerText(), { timeout: 30_000 }).toBe('Bước này không cho phép quyết định đó.');
    expect(
      (await s.call('khanh', 'GET', '/v1/escalations?status=open')).body.map((e: { id: string }) => e.id),
    ).toContain(minhs.id);

    const card2 = page.locator('section.card', { hasText: 'Dương Văn Minh' });
    await card2.getByLabel('Gia hạn đến ngày').check();
    await card2.getByLabel('Gia hạn đến (khi chọn “Gia hạn”)').fill(localDate(fromMs(Date.now() + 3 * DAY)));
    await card2.getByRole('button', { name: 'Ghi nhận quyết định' }).click();
    await page.waitForURL(`${s.url}/escalations?done=1`);
    expect(await page.getByRole('status').innerText()).toBe('Quyết định của bạn đã được ghi nhận.');
    expect(await page.locator('section.card', { hasText: 'Dương Văn Minh' }).count()).toBe(0);
    const decided = (await call('khanh', 'GET', '/v1/escalations?status=decided')) as {
      id: string;
      decision: { action: string };
    }[];
    expect(decided.map((e) => [e.id, e.decision.action])).toEqual([[minhs.id, 'extend']]);

    // lan's escalation is khanh's to decide: the reviewer of nobody else may post a decision on it.
    const [lans] = (
      (await call('khanh', 'GET', '/v1/escalations?status=open')) as { id: string; personId: string }[]
    ).filter((e) => e.personId === 'lan');
    const other = await signIn('minh', '/tasks');
    const minhCsrf = await other.locator('input[name=_csrf]').first().inputValue();
    const foreign = await other.request.post(`${s.url}/escalations/${lans.id}`, {
      form: { _csrf: minhCsrf, key: 'a-foreign-key-1', action: 'accept-default' },
      maxRedirects: 0,
    });
    expect(foreign.status()).toBe(403);
    expect((await call('khanh', 'GET', '/v1/escalations?status=open')).map((e: { id: string }) => e.id)).toContain(
      lans.id,
    );
    await other.close();
    await page.close();
  });

  let caseId = '';

  it('checks eligibility before opening a transfer: refused in words for a deferred person, then opened for an eligible one', async () => {
    const page = await signIn('dung', '/cases/new');
    await page.getByLabel('Loại hồ sơ').selectOption('transfer');
    await page.getByLabel('Người', { exact: true }).selectOption('hai');
    await page.getByLabel('Đến đơn vị').selectOption('snv');
    await page.getByLabel('Vị trí mới').selectOption('staff');
    await page.getByLabel('Ngày hiệu lực').fill(today);
    await page.getByLabel('Lý do').fill('Điều động theo nhu cầu công tác');
    await page.getByRole('button', { name: 'Kiểm tra điều kiện' }).click();
    await expect
      .poll(() => page.locator('#personId-error').innerText(), { timeout: 30_000 })
      .toBe('Đang tạm hoãn (đang mang thai): chỉ bỏ qua khi chính người đó tự nguyện.');
    expect(await page.getByLabel('Người', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'case-open-refused');
    expect((await call('dung', 'GET', '/v1/cases')).cases).toEqual([]);

    // The deferral may be set aside at the person's own request: offered, refused without the request, then eligible.
    await page.getByLabel('Bỏ qua tạm hoãn (đang mang thai)').check();
    await page.getByRole('button', { name: 'Kiểm tra điều kiện' }).click();
    await expect
      .poll(() => page.locator('#waivers-error').innerText(), { timeout: 30_000 })
      .toBe('Không được để trống.');
    await page.getByLabel('Nguyện vọng của người đó (ví dụ: đơn, ngày)').fill('Đơn tự nguyện ngày 20/11');
    await page.getByRole('button', { name: 'Kiểm tra điều kiện' }).click();
    await expect.poll(() => page.locator('#verdict').innerText(), { timeout: 30_000 }).toContain('Đủ điều kiện');
    expect((await call('dung', 'GET', '/v1/cases')).cases).toEqual([]);

    await page.getByLabel('Bỏ qua tạm hoãn (đang mang thai)').uncheck();
    await page.getByLabel('Người', { exact: true }).selectOption('hoa');
    await page.getByRole('button', { name: 'Kiểm tra điều kiện' }).click();
    await expect.poll(() => page.locator('#verdict').innerText(), { timeout: 30_000 }).toContain('Đủ điều kiện');
    expect(await page.locator('#verdict').innerText()).toContain('Nguyễn Văn An');
    expect((await call('dung', 'GET', '/v1/cases')).cases).toEqual([]);
    await page.getByRole('button', { name: 'Mở hồ sơ' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}\?done=opened$/, { timeout: 60_000 });
    caseId = new URL(page.url()).pathname.split('/')[2];
    const { cases } = await call('dung', 'GET', '/v1/cases');
    expect(cases.map((c: { id: string; personId: string }) => [c.id, c.personId])).toEqual([[caseId, 'hoa']]);
    expect(await page.locator('h1').innerText()).toBe('Điều động: Bùi Thị Hoa');
    await expectAccessible(page, 'case');
    await page.goto(`${s.url}/cases`);
    expect(await page.locator('.cases li').count()).toBe(1);
    await expectAccessible(page, 'cases');
    await page.close();
  });

  it('lets the collective vote without showing the voter their vote, and walks the case to completion', async () => {
    for (const who of ['em', 'khanh', 'hoa'])
      await call(who, 'POST', `/v1/cases/${caseId}/opinions`, { opinion: 'agree' });
    await eventually(
      'vote step',
      async () => (await s.call('dung', 'GET', `/v1/cases/${caseId}`)).body.step === 'vote',
    );

    const page = await signIn('binh', `/cases/${caseId}`);
    await page.getByLabel('Đồng ý', { exact: true }).check();
    await page.getByRole('button', { name: 'Bỏ phiếu' }).click();
    await page.waitForURL(`${s.url}/cases/${caseId}?done=vote`);
    expect(await page.locator('#votes-title + p + p').innerText()).toBe(
      'Bạn đã bỏ phiếu. Lá phiếu của bạn không hiển thị ở đây.',
    );
    expect(await page.locator('#votes-title + p').innerText()).toBe(
      '1/2 người đã bỏ phiếu; kết quả hiện khi kết thúc biểu quyết.',
    );
    expect(await page.locator('main').innerText()).not.toContain('Đồng ý:');
    expect(await page.getByRole('button', { name: 'Bỏ phiếu' }).count()).toBe(0);
    expect(await page.locator('input[name=vote]').count()).toBe(0);
    await expectAccessible(page, 'case-voted');
    expect((await call('dung', 'GET', `/v1/cases/${caseId}`)).votes).toMatchObject({ approve: 1, of: 2 });
    await page.close();

    await call('an', 'POST', `/v1/cases/${caseId}/votes`, { vote: 'approve' });
    await eventually('handover step', async () =>
      (await s.call('hoa', 'GET', `/v1/cases/${caseId}`)).body.steps.some(
        (st: { name: string; doneAt: string | null }) => st.name === 'handover' && st.doneAt === null,
      ),
    );
    const hoa = await signIn('hoa', `/cases/${caseId}`);
    await hoa.getByRole('button', { name: 'Xác nhận bàn giao' }).click();
    await hoa.waitForURL(`${s.url}/cases/${caseId}?done=handover`);
    await call('khanh', 'POST', `/v1/cases/${caseId}/receipt`, {});
    // The effective date is today: with both confirmations in, the directory moves at once.
    await expect
      .poll(
        async () => {
          await hoa.reload();
          return hoa.locator('.facts dd').first().innerText();
        },
        { timeout: 60_000 },
      )
      .toBe('Hoàn tất');
    expect((await call('dung', 'GET', '/v1/people/hoa')).unitId).toBe('snv');
    await hoa.close();
  });

  it('shows a secret ballot only as a count until it closes, and never the voter their ballot', async () => {
    const opened = await call('dung', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'em',
      reason: 'Hai tháng liền loại D',
    });
    const id = opened.id as string;
    const [first] = opened.parties.collective as string[];
    await call('em', 'POST', `/v1/cases/${id}/explanation`, { text: 'Giải trình' });
    await eventually(
      'proposal step',
      async () => (await s.call('dung', 'GET', `/v1/cases/${id}`)).body.step === 'proposal',
    );
    // HR puts the proposal on the case page: keeping the leader without a rationale is refused by the field.
    const hr = await signIn('dung', `/cases/${id}`);
    await hr.getByLabel('Giữ nguyên cán bộ').check();
    await hr.getByRole('button', { name: 'Gửi đề xuất' }).click();
    await expect
      .poll(() => hr.locator('#proposal-note-error').innerText(), { timeout: 30_000 })
      .toBe('Giữ nguyên cán bộ phải nêu lý do.');
    expect((await call('dung', 'GET', `/v1/cases/${id}`)).step).toBe('proposal');
    await expectAccessible(hr, 'case-hr-proposal');
    await hr.getByLabel('Thay thế cán bộ').check();
    await hr.getByLabel('Người giữ chức vụ tạm thời (khi “Thay thế”)').selectOption('giang');
    await hr.getByRole('button', { name: 'Gửi đề xuất' }).click();
    await hr.waitForURL(`${s.url}/cases/${id}?done=proposal`);
    await hr.close();
    await eventually('vote step', async () => (await s.call('dung', 'GET', `/v1/cases/${id}`)).body.step === 'vote');

    const page = await signIn(first, `/cases/${id}`);
    expect(await page.locator('#votes-title').innerText()).toBe('Bỏ phiếu kín');
    await page.getByLabel('Không đồng ý', { exact: true }).check();
    await page.getByRole('button', { name: 'Bỏ phiếu' }).click();
    await page.waitForURL(`${s.url}/cases/${id}?done=vote`);
    const of = opened.parties.collective.length;
    expect(await page.locator('#votes-title + p').innerText()).toBe(
      `1/${of} người đã bỏ phiếu; kết quả hiện khi kết thúc biểu quyết.`,
    );
    expect(await page.locator('#votes-title + p + p').innerText()).toBe(
      'Bạn đã bỏ phiếu. Lá phiếu của bạn không hiển thị ở đây.',
    );
    expect(await page.locator('main').innerText()).not.toMatch(/Không đồng ý:|Đồng ý:/);
    await expectAccessible(page, 'case-secret-ballot');
    await page.close();
  });

  it('lets HR dismiss a proposal with its reason, refusing one without', async () => {
    await call('dung', 'POST', '/v1/proposals/scan', {});
    const page = await signIn('dung', '/proposals');
    const card = page.locator('section.card', { hasText: 'Lý Thị Ngọc' });
    expect(await card.count()).toBe(1);
    await expectAccessible(page, 'proposals');
    await card.getByRole('button', { name: 'Bác đề xuất' }).click();
    await expect
      .poll(() => page.locator('section.card', { hasText: 'Lý Thị Ngọc' }).locator('.error').innerText(), {
        timeout: 30_000,
      })
      .toBe('Bác đề xuất phải có lý do.');
    const again = page.locator('section.card', { hasText: 'Lý Thị Ngọc' });
    await again.getByLabel('Lý do bác đề xuất').fill('Vừa chuyển đổi nội bộ');
    await again.getByRole('button', { name: 'Bác đề xuất' }).click();
    await page.waitForURL(`${s.url}/proposals?done=1`);
    expect(await page.locator('section.card', { hasText: 'Lý Thị Ngọc' }).count()).toBe(0);
    const { proposals } = await call('dung', 'GET', '/v1/proposals?status=dismissed');
    expect(proposals.map((p: { personId: string; note: string }) => [p.personId, p.note])).toEqual([
      ['ngoc', 'Vừa chuyển đổi nội bộ'],
    ]);
    await page.close();
  });

  it('refuses a staff member the HR pages, and shows them no HR navigation', async () => {
    const page = await signIn('minh', '/tasks');
    expect(await page.getByRole('link', { name: 'Đề xuất' }).count()).toBe(0);
    for (const path of ['/proposals', '/cases/new', `/cases/${caseId}`]) {
      const res = await page.goto(`${s.url}${path}`);
      expect(res?.status(), path).toBe(403);
      expect(await page.getByRole('alert').innerText()).toBe(
        'Bạn không có quyền thực hiện việc này; chưa có gì thay đổi.',
      );
    }
    await page.close();
  });
});
