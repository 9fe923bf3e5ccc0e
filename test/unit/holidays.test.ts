import { describe, expect, it } from 'vitest';
import { defaultDeadlines, isWorkingDay, localDate, reminderTimes, selfAssessmentOpensAt } from '../../domain/calendar';
import { solarOfLunar, suggestedHolidays } from '../../domain/holidays';

describe('solarOfLunar: the Vietnamese lunar calendar', () => {
  it.each([
    // 2007: Vietnam (UTC+7) kept Tết on the 17th, China (UTC+8) on the 18th.
    [1, 1, 2007, '2007-02-17'],
    [1, 1, 2024, '2024-02-10'],
    [1, 1, 2025, '2025-01-29'],
    [1, 1, 2026, '2026-02-17'],
    [1, 1, 2027, '2027-02-06'],
    [10, 3, 2024, '2024-04-18'],
    [10, 3, 2025, '2025-04-07'],
    [10, 3, 2026, '2026-04-26'],
  ])('lunar %i/%i of %i is %s', (day, month, year, solar) => {
    expect(solarOfLunar(day, month, year)).toBe(solar);
  });
});

describe('suggestedHolidays', () => {
  const h = (date: string, name: string, kind: 'holiday' | 'substitute' = 'holiday') => ({ date, name, kind });

  it('suggests 2027: Tết from the last day of the lunar year, a substitute per weekend day, Giỗ Tổ, the second day of Quốc khánh', () => {
    expect(suggestedHolidays(2027)).toEqual([
      h('2027-02-05', 'Tết Nguyên đán (ngày cuối năm Âm lịch)'),
      h('2027-02-06', 'Tết Nguyên đán (mùng 1)'),
      h('2027-02-07', 'Tết Nguyên đán (mùng 2)'),
      h('2027-02-08', 'Tết Nguyên đán (mùng 3)'),
      h('2027-02-09', 'Tết Nguyên đán (mùng 4)'),
      h('2027-02-10', 'Nghỉ bù Tết Nguyên đán (mùng 1)', 'substitute'),
      h('2027-02-11', 'Nghỉ bù Tết Nguyên đán (mùng 2)', 'substitute'),
      h('2027-04-16', 'Giỗ Tổ Hùng Vương (10/3 Âm lịch)'),
      // 1 May 2027 is a Saturday.
      h('2027-05-03', 'Nghỉ bù Quốc tế Lao động', 'substitute'),
      h('2027-09-03', 'Quốc khánh (ngày liền kề)'),
    ]);
  });

  it.each([
    // 2 September on a Tuesday: the second day is the Monday before, joining the weekend.
    [2025, '2025-09-01'],
    [2026, '2026-09-03'],
  ])('puts the second day of Quốc khánh %i on %s', (year, date) => {
    expect(suggestedHolidays(year)).toContainEqual(h(date, 'Quốc khánh (ngày liền kề)'));
  });

  it('moves a substitute past the holidays that follow the weekend day (Giỗ Tổ 2026 is a Sunday)', () => {
    const subs = suggestedHolidays(2026).filter((s) => s.kind === 'substitute');
    expect(subs).toContainEqual(h('2026-04-27', 'Nghỉ bù Giỗ Tổ Hùng Vương (10/3 Âm lịch)', 'substitute'));
    for (const s of subs) expect(isWorkingDay(s.date, [])).toBe(true);
  });

  it('suggests every substitute on a distinct working day', () => {
    for (const year of [2025, 2026, 2027, 2028, 2029, 2030]) {
      const all = suggestedHolidays(year);
      const subs = all.filter((s) => s.kind === 'substitute').map((s) => s.date);
      expect(new Set(subs).size).toBe(subs.length);
      const holidays = all.filter((s) => s.kind === 'holiday').map((s) => s.date);
      for (const d of subs) expect(holidays).not.toContain(d);
    }
  });

  it.each([1999, 2101, 2026.5, Number.NaN])('refuses the year %s', (year) => {
    expect(() => suggestedHolidays(year)).toThrow(RangeError);
  });
});

describe('deadlines across Tết 2027, once its suggested days are confirmed', () => {
  const confirmed = suggestedHolidays(2027).map((s) => s.date);
  const deadlines = defaultDeadlines('2027-01', confirmed);

  it('moves the deliberation past Tết and its substitute days', () => {
    expect(deadlines).toEqual({
      plan: expect.stringMatching(/^2027-01-06T/),
      selfAssessment: expect.stringMatching(/^2027-02-02T/),
      review: expect.stringMatching(/^2027-02-04T/),
      deliberation: expect.stringMatching(/^2027-02-15T/),
    });
  });

  it('puts no deadline, reminder or opening on a confirmed holiday', () => {
    const instants = Object.values(deadlines).flatMap((d) => [d, ...reminderTimes(d, confirmed)]);
    instants.push(selfAssessmentOpensAt(deadlines.selfAssessment, confirmed));
    for (const at of instants) {
      expect(confirmed).not.toContain(localDate(at));
      expect(isWorkingDay(localDate(at), confirmed)).toBe(true);
    }
  });
});
