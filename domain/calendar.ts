/**
 * Working-day calendar and deadlines in Asia/Ho_Chi_Minh.
 *
 * Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed +07:00 offset is exact
 * for every date this system handles, and plain arithmetic replaces Intl (unavailable in the
 * workflow sandbox and locale-dependent). Dates are 'YYYY-MM-DD' strings; `Date.UTC` and
 * `new Date(ms)` are used only with explicit arguments, which keeps everything deterministic.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';

/** Fixed-date public holidays (Labour Code 2019 Art. 112). Lunar ones (Tết, Giỗ Tổ) and the
 * yearly adjacent/compensatory days are added per year by an admin as extra holidays. */
export const FIXED_HOLIDAYS: { monthDay: string; name: string }[] = [
  { monthDay: '01-01', name: 'Tết Dương lịch' },
  { monthDay: '04-30', name: 'Ngày Giải phóng miền Nam' },
  { monthDay: '05-01', name: 'Quốc tế Lao động' },
  { monthDay: '09-02', name: 'Quốc khánh' },
];

const FIXED = new Set(FIXED_HOLIDAYS.map((h) => h.monthDay));
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date; throws on a malformed or impossible date. */
function dayNumber(date: string): number {
  const m = DATE_RE.exec(date);
  if (m === null) throw new RangeError(`date must be YYYY-MM-DD, got '${date}'`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC silently rolls 02-30 over to March; a round trip catches it.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`no such date '${date}'`);
  }
  return ms / DAY_MS;
}

function fromDayNumber(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function parsePeriod(period: string): { year: number; month: number } {
  const m = PERIOD_RE.exec(period);
  if (m === null) throw new RangeError(`period must be YYYY-MM, got '${period}'`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

function workingDay(days: number, extra: ReadonlySet<string>): boolean {
  const date = fromDayNumber(days);
  // 1970-01-01 (day 0) was a Thursday; the +4 makes 0 = Sunday, 6 = Saturday.
  const weekday = (((days + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return false;
  return !FIXED.has(date.slice(5)) && !extra.has(date);
}

/**
 * True on Monday–Friday that is neither a fixed public holiday nor one of `extraHolidays`.
 *
 * @throws {RangeError} when `date` is not a valid 'YYYY-MM-DD'.
 */
export function isWorkingDay(date: string, extraHolidays: string[]): boolean {
  return workingDay(dayNumber(date), new Set(extraHolidays));
}

/**
 * The date `n` working days after (n > 0) or before (n < 0) `date`, skipping weekends and
 * holidays; `date` itself never counts, and need not be a working day. n = 0 returns `date`.
 *
 * @throws {RangeError} on a malformed date or a non-integer `n`.
 */
export function addWorkingDays(date: string, n: number, extraHolidays: string[]): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  let days = dayNumber(date);
  if (n === 0) return date;
  const extra = new Set(extraHolidays);
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    days += step;
    if (workingDay(days, extra)) left -= 1;
  }
  return fromDayNumber(days);
}

/**
 * The calendar day `n` days after (n > 0) or before (n < 0) `date`.
 *
 * @throws {RangeError} on a malformed date or a non-integer `n`.
 */
export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  return fromDayNumber(dayNumber(date) + n);
}

/**
 * Every calendar day from `from` to `to`, both included; none when `to` is before `from`.
 *
 * @throws {RangeError} on a malformed date.
 */
export function daysFrom(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = dayNumber(from), last = dayNumber(to); d <= last; d += 1) days.push(fromDayNumber(d));
  return days;
}

/**
 * The `n`-th (1-based) working day of `period` ('YYYY-MM').
 *
 * @throws {RangeError} on a malformed period, n < 1, or a month with fewer than n working days
 *   (a deadline must never spill silently into the next month).
 */
export function nthWorkingDay(period: string, n: number, extraHolidays: string[]): string {
  const { year, month } = parsePeriod(period);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  const extra = new Set(extraHolidays);
  const first = Date.UTC(year, month - 1, 1) / DAY_MS;
  const end = Date.UTC(year, month, 1) / DAY_MS;
  let seen = 0;
  for (let days = first; days < end; days += 1) {
    if (workingDay(days, extra) && ++seen === n) return fromDayNumber(days);
  }
  throw new RangeError(`${period} has only ${seen} working days, no working day ${n}`);
}

/**
 * Number of working days in `period`.
 *
 * @throws {RangeError} on a malformed period.
 */
export function workingDaysIn(period: string, extraHolidays: string[]): number {
  const { year, month } = parsePeriod(period);
  const extra = new Set(extraHolidays);
  const first = Date.UTC(year, month - 1, 1) / DAY_MS;
  const end = Date.UTC(year, month, 1) / DAY_MS;
  let count = 0;
  for (let days = first; days < end; days += 1) if (workingDay(days, extra)) count += 1;
  return count;
}

/** The month after `period`. @throws {RangeError} on a malformed period. */
export function nextPeriod(period: string): string {
  const { year, month } = parsePeriod(period);
  return month === 12 ? `${pad(year + 1, 4)}-01` : `${pad(year, 4)}-${pad(month + 1)}`;
}

/** The month before `period`. @throws {RangeError} on a malformed period. */
export function prevPeriod(period: string): string {
  const { year, month } = parsePeriod(period);
  return month === 1 ? `${pad(year - 1, 4)}-12` : `${pad(year, 4)}-${pad(month - 1)}`;
}

/**
 * Epoch milliseconds of an ISO instant.
 *
 * @throws {RangeError} when `iso` is not a date-time with an explicit offset ('Z' or ±hh:mm):
 *   `Date.parse` would read an offset-less value in the worker machine's zone.
 */
export function toMs(iso: string): number {
  if (!INSTANT_RE.test(iso)) throw new RangeError(`expected an ISO date-time with offset, got '${iso}'`);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`invalid instant '${iso}'`);
  return ms;
}

/**
 * The instant as ISO with the +07:00 offset, e.g. '2026-12-03T17:00:00+07:00'; milliseconds are
 * shown only when non-zero so that `toMs(fromMs(x)) === x`.
 *
 * @throws {RangeError} when `ms` is not a finite number.
 */
export function fromMs(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`ms must be finite, got ${ms}`);
  const d = new Date(ms + OFFSET_MS);
  const millis = d.getUTCMilliseconds();
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${millis === 0 ? '' : `.${pad(millis, 3)}`}+07:00`
  );
}

/**
 * The Asia/Ho_Chi_Minh calendar date of an instant.
 *
 * @throws {RangeError} as {@link toMs}.
 */
export function localDate(iso: string): string {
  return fromMs(toMs(iso)).slice(0, 10);
}

/**
 * The instant at `hour:minute` local time on `date`, e.g. '2026-12-03T17:00:00+07:00'.
 *
 * @throws {RangeError} on a malformed date or an hour/minute out of range.
 */
export function atLocal(date: string, hour: number, minute = 0): string {
  dayNumber(date);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour must be 0–23, got ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError(`minute must be 0–59, got ${minute}`);
  return `${date}T${pad(hour)}:${pad(minute)}:00+07:00`;
}

/** The steps of a monthly cycle that carry a deadline. */
export type StepName = 'plan' | 'selfAssessment' | 'review' | 'deliberation';

/** A deadline per step, as ISO instants with offset. */
export type Deadlines = Record<StepName, string>;

/**
 * Default deadlines of the cycle for `period` (M), at `deadlineHour` local: the plan on working
 * day `defaultDueWorkingDay.plan` of M, the other steps on their working day of M+1.
 *
 * @throws {RangeError} on a malformed period or a configured working day the month lacks.
 */
export function defaultDeadlines(
  period: string,
  extraHolidays: string[],
  rules: RulesConfig = DEFAULT_RULES,
): Deadlines {
  const due = rules.defaultDueWorkingDay;
  const next = nextPeriod(period);
  const at = (p: string, n: number): string => atLocal(nthWorkingDay(p, n, extraHolidays), rules.deadlineHour);
  return {
    plan: at(period, due.plan),
    selfAssessment: at(next, due.selfAssessment),
    review: at(next, due.review),
    deliberation: at(next, due.deliberation),
  };
}

/**
 * When self-assessment opens: `selfAssessmentOpensWorkingDaysBefore` working days before the
 * deadline's local date, at `reminderHour` (the working morning) local.
 *
 * @throws {RangeError} as {@link toMs}.
 */
export function selfAssessmentOpensAt(
  deadline: string,
  extraHolidays: string[],
  rules: RulesConfig = DEFAULT_RULES,
): string {
  const date = addWorkingDays(localDate(deadline), -rules.selfAssessmentOpensWorkingDaysBefore, extraHolidays);
  return atLocal(date, rules.reminderHour);
}

/**
 * Reminder instants for a deadline: `reminderWorkingDaysBefore` working days before it and on
 * its own day, both at `reminderHour` local, ascending. Any that would not fall strictly before
 * the deadline (an early-morning deadline) is dropped, since a reminder after the fact is noise.
 *
 * @throws {RangeError} as {@link toMs}.
 */
export function reminderTimes(deadline: string, extraHolidays: string[], rules: RulesConfig = DEFAULT_RULES): string[] {
  const due = toMs(deadline);
  const day = localDate(deadline);
  const candidates = [
    atLocal(addWorkingDays(day, -rules.reminderWorkingDaysBefore, extraHolidays), rules.reminderHour),
    atLocal(day, rules.reminderHour),
  ];
  return [...new Set(candidates)].filter((t) => toMs(t) < due).sort((a, b) => toMs(a) - toMs(b));
}

/**
 * The deadline `n` working days after the local date of `iso`, at `deadlineHour` local; used for
 * the complaint window, complaint resolution and the escalation climb.
 *
 * @throws {RangeError} as {@link toMs}, or on a non-integer `n`.
 */
export function workingDaysAfter(
  iso: string,
  n: number,
  extraHolidays: string[],
  rules: RulesConfig = DEFAULT_RULES,
): string {
  return atLocal(addWorkingDays(localDate(iso), n, extraHolidays), rules.deadlineHour);
}

/**
 * The earliest review deadline once the self-assessment is extended to `until`:
 * `reviewWorkingDaysAfterExtension` working days after its local date, at `deadlineHour` local.
 * Rules recorded in a running workflow's input before that setting existed lack it and get its
 * default, so their replay is unchanged.
 *
 * @throws {RangeError} as {@link toMs}.
 */
export function reviewFloorAfterExtension(
  until: string,
  extraHolidays: string[],
  rules: Pick<RulesConfig, 'deadlineHour'> &
    Partial<Pick<RulesConfig, 'reviewWorkingDaysAfterExtension'>> = DEFAULT_RULES,
): string {
  const n = rules.reviewWorkingDaysAfterExtension ?? DEFAULT_RULES.reviewWorkingDaysAfterExtension;
  return atLocal(addWorkingDays(localDate(until), n, extraHolidays), rules.deadlineHour);
}

/**
 * Whether an escalation target may move `currentDeadline` to `requested`: strictly later, and no
 * later than `maxExtensionWorkingDays` working days after the current deadline's local date at
 * `deadlineHour`.
 *
 * @throws {RangeError} when either instant is malformed.
 */
export function extensionAllowed(
  currentDeadline: string,
  requested: string,
  extraHolidays: string[],
  rules: RulesConfig = DEFAULT_RULES,
): boolean {
  const current = toMs(currentDeadline);
  const wanted = toMs(requested);
  const limit = toMs(workingDaysAfter(currentDeadline, rules.maxExtensionWorkingDays, extraHolidays, rules));
  return wanted > current && wanted <= limit;
}
