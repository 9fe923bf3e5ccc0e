/**
 * The oversight report, its trend and the downloads, on a month whose outcome the test writes
 * itself through the read model's own writers (the activities the workflows call), so every count
 * is known: plans missed and filed late, a missed self-assessment escalated, grades published in
 * the city unit while a department is still deliberating past its deadline.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleActivities } from '../../activities/cycles';
import { evaluationActivities } from '../../activities/evaluations';
import type { EscalationView } from '../../contracts/messages';
import type { EvaluationRow } from '../../contracts/snapshots';
import type { Grade } from '../../domain/types';
import { startStack, type Stack } from '../support/stack';

const P = '2025-05';
const DEADLINES = {
  plan: '2025-05-06T17:00:00.000+07:00',
  selfAssessment: '2025-06-03T17:00:00.000+07:00',
  review: '2025-06-05T17:00:00.000+07:00',
};

interface Member {
  personId: string;
  reviewerId: string | null;
  plan?: boolean;
  self?: boolean;
  review?: number;
  missed?: string[];
  final?: Grade;
  rationale?: string;
}

const BONUS = 5;
const scores = (total: number) => ({ discipline: 18, tasks: total - 18 - BONUS, bonus: BONUS });
const grade = (t: number): Grade => (t >= 90 ? 'A' : t >= 70 ? 'B' : t >= 50 ? 'C' : 'D');

const escalation = (
  id: string,
  unitId: string,
  personId: string,
  status: EscalationView['status'],
): EscalationView => ({
  id,
  kind: 'self-assessment',
  personId,
  unitId,
  period: P,
  level: 1,
  targetId: 'lan',
  dueAt: '2025-06-06T17:00:00.000+07:00',
  status,
  createdAt: '2025-06-03T17:00:00.000+07:00',
  decision: null,
  trail: [],
});

describe('oversight reports and exports', () => {
  let s: Stack;

  /** Writes a unit's month as its workflows would: each evaluation's snapshot, then the cycle's. */
  async function seedMonth(
    unitId: string,
    period: string,
    members: Member[],
    cycle: { phase: string; deliberationDue: string; publishedAt: string | null; escalations?: EscalationView[] },
  ) {
    const evaluations = evaluationActivities(s.sql);
    for (const m of members) {
      const total = m.review ?? null;
      const row: EvaluationRow = {
        period,
        personId: m.personId,
        unitId,
        reviewerId: m.reviewerId,
        status: total === null ? 'planned' : 'reviewed',
        plan: m.plan === false ? null : [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }],
        selfScores: m.self === false ? null : scores(total ?? 80),
        selfComment: null,
        reviewScores: total === null ? null : scores(total),
        reviewComment: total === null ? null : 'Hoàn thành tốt',
        total,
        proposedGrade: total === null ? null : grade(total),
        missed: m.missed ?? [],
        history: [],
        deadlines: DEADLINES,
      };
      await evaluations.saveEvaluation({
        workflowId: `eval:${period}:${m.personId}`,
        version: 1,
        row,
        escalations: (cycle.escalations ?? []).filter((e) => e.personId === m.personId),
        openSteps: [],
        audit: [],
        notifications: [],
      });
    }
    const settled = cycle.publishedAt !== null;
    await cycleActivities(s.sql).saveCycle({
      workflowId: `cycle:${unitId}:${period}`,
      version: 2,
      view: {
        unitId,
        period,
        phase: cycle.phase as never,
        profileId: 'HN-2023',
        deadlines: { ...DEADLINES, deliberation: cycle.deliberationDue },
        headId: unitId === 'hn' ? 'an' : 'khanh',
        collective: unitId === 'hn' ? ['an', 'binh'] : ['khanh', 'lan'],
        outstanding: false,
        deliberation: settled
          ? {
              putBy: 'an',
              putAt: '2025-06-09T10:00:00.000+07:00',
              decisions: members.map((m) => ({ personId: m.personId, grade: m.final ?? null, rationale: m.rationale })),
              approvals: ['binh'],
              pending: [],
            }
          : null,
        publishedAt: cycle.publishedAt,
        complaintWindowEndsAt: null,
      },
      members: members.map((m) => ({ personId: m.personId, reviewerId: m.reviewerId })),
      finals: settled ? members.map((m) => ({ personId: m.personId, finalGrade: m.final ?? null, caps: [] })) : [],
      complaints:
        unitId === 'hn' && period === P
          ? [
              {
                id: 'complaint-1',
                personId: 'cuong',
                reason: 'Tôi đã vượt chỉ tiêu',
                status: 'open',
                outcome: null,
                grade: null,
                rationale: null,
                resolvedBy: null,
                dueAt: '2025-06-13T17:00:00.000+07:00',
                createdAt: '2025-06-10T10:00:00.000+07:00',
                resolvedAt: null,
              },
            ]
          : [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    });
  }

  const download = async (who: string, path: string) => {
    const token = who === 'admin' ? s.adminToken : s.tokens[who];
    const res = await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  const pdfText = async (bytes: Buffer): Promise<string> => {
    const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false }).promise;
    let text = '';
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      text += content.items.map((item) => ('str' in item ? item.str : '')).join('') + '\n';
    }
    return text;
  };

  beforeAll(async () => {
    s = await startStack('reports', { hr: ['dung'] });
    // The city unit published on 10 June, before its deliberation deadline; one complaint is open.
    await seedMonth(
      'hn',
      P,
      [
        { personId: 'an', reviewerId: null, review: 88, final: 'B' },
        { personId: 'binh', reviewerId: 'an', review: 95, final: 'A' },
        { personId: 'cuong', reviewerId: 'binh', review: 85, final: 'B', missed: ['review'] },
        { personId: 'dung', reviewerId: 'an', review: 65, final: 'C' },
        { personId: 'em', reviewerId: 'an', review: 91, final: 'B', rationale: 'Chưa có sáng kiến' },
        { personId: 'khanh', reviewerId: 'an', review: 45, final: 'D' },
      ],
      {
        phase: 'published',
        deliberationDue: '2025-06-11T17:00:00.000+07:00',
        publishedAt: '2025-06-10T09:00:00.000+07:00',
      },
    );
    // Sở Nội vụ is still deliberating past its deadline: ngoc missed her plan and her
    // self-assessment (escalated to lan, still open); minh missed his plan and filed it late.
    await seedMonth(
      'snv',
      P,
      [
        { personId: 'lan', reviewerId: 'khanh', review: 92 },
        { personId: 'minh', reviewerId: 'khanh', review: 75, missed: ['plan'] },
        { personId: 'ngoc', reviewerId: 'lan', plan: false, self: false, missed: ['plan', 'self-assessment'] },
      ],
      {
        phase: 'deliberation',
        deliberationDue: '2025-06-09T17:00:00.000+07:00',
        publishedAt: null,
        escalations: [escalation('esc-ngoc', 'snv', 'ngoc', 'open'), escalation('esc-minh', 'snv', 'minh', 'decided')],
      },
    );
    // A year of the city unit for the annual roll-up: an is graded A every month, binh B.
    for (let m = 1; m <= 12; m++) {
      await seedMonth(
        'hn',
        `2024-${String(m).padStart(2, '0')}`,
        [
          { personId: 'an', reviewerId: null, review: 95, final: 'A' },
          { personId: 'binh', reviewerId: 'an', review: 80, final: 'B' },
        ],
        {
          phase: 'locked',
          deliberationDue: '2024-12-31T17:00:00.000+07:00',
          publishedAt: '2024-12-30T09:00:00.000+07:00',
        },
      );
    }
  }, 240_000);

  afterAll(async () => {
    await s?.stop();
  });

  const zeroLine = { plan: 0, selfAssessment: 0, review: 0 };

  it("counts a department's month: plans missed, the open escalation, the deliberation past its deadline", async () => {
    const res = await s.call('khanh', 'GET', `/v1/reports/snv/${P}`);
    expect(res.status).toBe(200);
    const snv = {
      unitId: 'snv',
      name: 'Sở Nội vụ',
      parentId: 'hn',
      phase: 'deliberation',
      members: 3,
      done: { plan: 2, selfAssessment: 2, review: 2 },
      overdue: { plan: 1, selfAssessment: 1, review: 0, deliberation: 1 },
      escalationsOpen: 1,
      grades: { A: 0, B: 0, C: 0, D: 0, unrated: 3 },
      quota: { allowed: 1, used: 0, outstanding: false },
      targets: { completion: null },
      publishedAt: null,
    };
    expect(res.body.units).toEqual([snv]);
    expect(res.body.totals).toEqual({
      units: 1,
      members: 3,
      done: snv.done,
      overdue: snv.overdue,
      escalationsOpen: 1,
      grades: snv.grades,
      quota: { allowed: 1, used: 0, outstanding: 0 },
    });
  });

  it('counts the city: every unit below it, depth first, and the totals of the subtree', async () => {
    const res = await s.call('an', 'GET', `/v1/reports/hn/${P}`);
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(['hn', 'snv', 'sxd']);
    const [hn, , sxd] = res.body.units;
    expect(hn).toMatchObject({
      phase: 'published',
      members: 6,
      done: { plan: 6, selfAssessment: 6, review: 6 },
      // cuong's review was missed, then done: late, but no longer overdue.
      overdue: { ...zeroLine, deliberation: 0 },
      escalationsOpen: 0,
      grades: { A: 1, B: 3, C: 1, D: 1, unrated: 0 },
      quota: { allowed: 1, used: 1, outstanding: false },
      publishedAt: '2025-06-10T09:00:00+07:00',
    });
    expect(sxd).toMatchObject({ phase: null, members: 0, grades: { A: 0, B: 0, C: 0, D: 0, unrated: 0 } });
    expect(res.body.totals).toEqual({
      units: 3,
      members: 9,
      done: { plan: 8, selfAssessment: 8, review: 8 },
      overdue: { plan: 1, selfAssessment: 1, review: 0, deliberation: 1 },
      escalationsOpen: 1,
      grades: { A: 1, B: 3, C: 1, D: 1, unrated: 3 },
      quota: { allowed: 2, used: 1, outstanding: 0 },
    });
  });

  it('shows the trend month by month: grades, late steps, escalations, complaints', async () => {
    const res = await s.call('dung', 'GET', '/v1/reports/hn/trend?from=2025-04&to=2025-06');
    expect(res.status).toBe(200);
    expect(res.body.months.map((m: { period: string }) => m.period)).toEqual(['2025-04', '2025-05', '2025-06']);
    expect(res.body.months[0]).toEqual({
      period: '2025-04',
      members: 0,
      grades: { A: 0, B: 0, C: 0, D: 0, unrated: 0 },
      late: { ...zeroLine, deliberation: 0 },
      escalations: 0,
      complaints: 0,
    });
    expect(res.body.months[1]).toEqual({
      period: P,
      members: 9,
      grades: { A: 1, B: 3, C: 1, D: 1, unrated: 3 },
      late: { plan: 2, selfAssessment: 1, review: 1, deliberation: 1 },
      escalations: 2,
      complaints: 1,
    });
    const bad = await s.call('dung', 'GET', '/v1/reports/hn/trend?from=2025-06&to=2025-04');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'to', rule: 'month-range' }]);
  });

  it.each([
    ['em', 'snv', 403, 'the head of a sibling unit'],
    ['ngoc', 'snv', 403, 'a staff member'],
    ['em', 'hn', 403, 'a head below the unit'],
    ['lan', 'snv', 200, "the unit's deputy"],
    ['an', 'snv', 200, 'the head of the unit above'],
    ['binh', 'snv', 200, 'a deputy of the unit above'],
    ['dung', 'hn', 200, 'HR'],
    ['admin', 'hn', 200, 'an admin'],
  ])('%s reading %s gets %s (%s)', async (who, unitId, status) => {
    expect((await s.call(who, 'GET', `/v1/reports/${unitId}/${P}`)).status).toBe(status);
    expect((await download(who, `/v1/reports/${unitId}/${P}.xlsx`)).status).toBe(status);
  });

  it('refuses a bad period or an unknown unit with a 4xx naming it', async () => {
    const bad = await s.call('an', 'GET', '/v1/reports/hn/2025-13');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('period');
    const badFile = await s.call('an', 'GET', '/v1/reports/hn/2025-13.xlsx');
    expect(badFile.status).toBe(400);
    expect(badFile.body.error.details[0].field).toBe('period');
    expect((await s.call('an', 'GET', `/v1/reports/nowhere/${P}`)).status).toBe(404);
  });

  it('downloads the subtree report as XLSX, one row per unit and the totals', async () => {
    const res = await download('an', `/v1/reports/hn/${P}.xlsx`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as never);
    const rows = book.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const header = rows.find((r) => r.includes('Mã đơn vị'))!;
    const col = (name: string) => header.indexOf(name);
    const byUnit = new Map(rows.map((r) => [r[col('Mã đơn vị')], r]));
    expect(byUnit.get('snv')![col('Tên đơn vị')]).toBe('Sở Nội vụ');
    expect(byUnit.get('snv')![col('Quá hạn kế hoạch')]).toBe(1);
    expect(byUnit.get('hn')![col('B')]).toBe(3);
    expect(byUnit.get('Tổng')![col('Số người')]).toBe(9);
  });

  it('downloads the published results as XLSX, CSV with a byte-order mark, and PDF, names intact', async () => {
    const xlsx = await download('binh', `/v1/cycles/hn/${P}/results.xlsx`);
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const rows = book.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const header = rows.find((r) => r.includes('Họ và tên'))!;
    const an = rows.find((r) => r[header.indexOf('Họ và tên')] === 'Nguyễn Văn An')!;
    expect(an[header.indexOf('Tổng điểm')]).toBe(88);
    expect(an[header.indexOf('Xếp loại')]).toBe('B');
    expect(an[header.indexOf('Kết quả thực hiện nhiệm vụ')]).toBe(88 - 18 - BONUS);
    const em = rows.find((r) => r[header.indexOf('Mã')] === 'em')!;
    expect(em[header.indexOf('Xếp loại đề xuất')]).toBe('A');
    expect(em[header.indexOf('Lý do thay đổi')]).toBe('Chưa có sáng kiến');
    expect(rows.some((r) => String(r[1]).includes('Tán thành: Trần Thị Bình'))).toBe(true);

    const csv = await download('binh', `/v1/cycles/hn/${P}/results.csv`);
    expect(csv.status).toBe(200);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(csv.bytes, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(6);
    expect(records.find((r) => r['Họ và tên'] === 'Nguyễn Văn An')).toMatchObject({
      'Đơn vị': 'UBND Thành phố Hà Nội',
      Tháng: P,
      'Xếp loại': 'B',
    });

    const pdf = await download('binh', `/v1/cycles/hn/${P}/results.pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe('application/pdf');
    const text = await pdfText(pdf.bytes);
    expect(text).toContain('Nguyễn Văn An');
    expect(text).toContain('Hoàng Văn Em');
  });

  it("refuses the results' downloads before publication and to those outside the cycle", async () => {
    expect((await download('khanh', `/v1/cycles/snv/${P}/results.xlsx`)).status).toBe(409);
    expect((await download('hai', `/v1/cycles/hn/${P}/results.csv`)).status).toBe(403);
  });

  it("downloads one person's sheet as PDF for the person, not for a peer", async () => {
    const mine = await download('an', `/v1/evaluations/${P}/an.pdf`);
    expect(mine.status).toBe(200);
    const text = await pdfText(mine.bytes);
    expect(text).toContain('Nguyễn Văn An');
    expect(text).toContain('UBND Thành phố Hà Nội');
    expect((await download('cuong', `/v1/evaluations/${P}/an.pdf`)).status).toBe(403);
    expect((await download('an', `/v1/evaluations/${P}/nobody.pdf`)).status).toBe(404);
  });

  it('lists the proposed emulation titles in the annual roll-up and its XLSX', async () => {
    const res = await s.call('an', 'GET', '/v1/annual/hn/2024');
    expect(res.status).toBe(200);
    const titles = Object.fromEntries(
      res.body.people.map((p: { personId: string; title: string | null }) => [p.personId, p.title]),
    );
    expect(titles).toEqual({ an: 'Hoàn thành xuất sắc nhiệm vụ', binh: 'Hoàn thành tốt nhiệm vụ' });

    const xlsx = await download('an', '/v1/annual/hn/2024.xlsx');
    expect(xlsx.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.bytes as never);
    const rows = book.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
    const header = rows.find((r) => r.includes('Đề nghị danh hiệu'))!;
    const an = rows.find((r) => r[header.indexOf('Họ và tên')] === 'Nguyễn Văn An')!;
    expect(an[header.indexOf('Xếp loại năm')]).toBe('A');
    expect(an[header.indexOf('Đề nghị danh hiệu')]).toBe('Hoàn thành xuất sắc nhiệm vụ');
    expect((await download('hai', '/v1/annual/hn/2024.xlsx')).status).toBe(403);
  });
});
