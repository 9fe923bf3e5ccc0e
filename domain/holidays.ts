/**
 * The holidays of a year that move with the lunar calendar or with the weekdays, as a suggestion
 * for an admin to confirm (Labour Code 2019 Art. 112): the government announces the exact days
 * each year, so nothing here becomes a holiday until an admin stores it.
 *
 * The lunar dates come from the Vietnamese lunar calendar (UTC+7), which differs from the Chinese
 * one (UTC+8) in some years: Tết 2007 fell on 17 February in Vietnam and 18 February in China.
 */
import { getSolarDate } from '@dqcai/vn-lunar';
import { addDays, FIXED_HOLIDAYS, isWorkingDay } from './calendar';

export type SuggestedKind = 'holiday' | 'substitute';

export interface SuggestedHoliday {
  date: string;
  name: string;
  kind: SuggestedKind;
}

/** The years the suggestion covers: those a period of the engine may name. */
export const SUGGESTION_YEARS = { min: 2000, max: 2100 } as const;

const TET_DAYS = ['ngày cuối năm Âm lịch', 'mùng 1', 'mùng 2', 'mùng 3', 'mùng 4'];

const pad = (n: number): string => String(n).padStart(2, '0');
const byDate = (a: SuggestedHoliday, b: SuggestedHoliday): number => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** The solar 'YYYY-MM-DD' of a day of a (non-leap) lunar month of `year`'s lunar year. */
export function solarOfLunar(day: number, month: number, year: number): string {
  const s = getSolarDate(day, month, year);
  return `${s.year}-${pad(s.month)}-${pad(s.day)}`;
}

/** The weekday of a 'YYYY-MM-DD' date: 0 = Sunday … 6 = Saturday. */
function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Tết Nguyên đán: five days, the last day of the old lunar year and the first four of the new. */
function tet(year: number): SuggestedHoliday[] {
  const newYear = solarOfLunar(1, 1, year);
  return TET_DAYS.map((label, i) => ({
    date: addDays(newYear, i - 1),
    name: `Tết Nguyên đán (${label})`,
    kind: 'holiday',
  }));
}

/**
 * The second day of Quốc khánh, next to 2 September: the day before when 2 September is a
 * Tuesday (the break then joins the weekend), else the day after. The government may choose the
 * other side; the admin corrects it when confirming.
 */
function nationalDaySecond(year: number): SuggestedHoliday {
  const second = `${year}-09-02`;
  const date = weekday(second) === 2 ? `${year}-09-01` : `${year}-09-03`;
  return { date, name: 'Quốc khánh (ngày liền kề)', kind: 'holiday' };
}

/**
 * Every holiday of `year` on a Saturday or Sunday earns a substitute day off: the next working
 * day after it that is neither a holiday nor already a substitute (Art. 112(3)).
 */
function substitutes(holidays: SuggestedHoliday[]): SuggestedHoliday[] {
  const taken = new Set(holidays.map((h) => h.date));
  const subs: SuggestedHoliday[] = [];
  for (const h of [...holidays].sort(byDate)) {
    const day = weekday(h.date);
    if (day !== 0 && day !== 6) continue;
    let date = addDays(h.date, 1);
    while (!isWorkingDay(date, [...taken])) date = addDays(date, 1);
    taken.add(date);
    subs.push({ date, name: `Nghỉ bù ${h.name}`, kind: 'substitute' });
  }
  return subs;
}

/**
 * The suggested holidays of `year`: Tết, Giỗ Tổ Hùng Vương (10 March lunar), the second day of
 * Quốc khánh, and a substitute day for each holiday, fixed or not, that falls on a weekend.
 *
 * @throws {RangeError} for a year outside {@link SUGGESTION_YEARS} or not an integer.
 */
export function suggestedHolidays(year: number): SuggestedHoliday[] {
  if (!Number.isInteger(year) || year < SUGGESTION_YEARS.min || year > SUGGESTION_YEARS.max) {
    throw new RangeError(
      `year must be an integer from ${SUGGESTION_YEARS.min} to ${SUGGESTION_YEARS.max}, got ${year}`,
    );
  }
  const fixed: SuggestedHoliday[] = FIXED_HOLIDAYS.map((h) => ({
    date: `${year}-${h.monthDay}`,
    name: h.name,
    kind: 'holiday',
  }));
  const moving: SuggestedHoliday[] = [
    ...tet(year),
    { date: solarOfLunar(10, 3, year), name: 'Giỗ Tổ Hùng Vương (10/3 Âm lịch)', kind: 'holiday' },
    nationalDaySecond(year),
  ];
  const all = [...fixed, ...moving];
  return [...moving, ...substitutes(all)].sort(byDate);
}
