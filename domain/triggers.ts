/**
 * Automatic proposals for HR: replacement triggers on a leader's record, periodic position
 * changes, the end-of-rotation review date, and the role a replaced leader drops to. Nothing here
 * moves anyone: each result is a proposal with its evidence, and HR opens a case or dismisses it.
 */
import {
  DEFAULT_CASE_RULES,
  type CaseRules,
  type ConfidenceVote,
  type DisciplineRecord,
  type PersonRecord,
} from './cases';
import { addDays, addMonths, monthsBetween } from './eligibility';
import type { Grade, Role } from './types';

/** A leader's monthly result; null grade = not rated that month. */
export interface MonthlyGrade {
  /** 'YYYY-MM' */
  period: string;
  grade: Grade | null;
}

/** A leader's annual result; null grade = not rated that year. */
export interface AnnualGrade {
  year: number;
  grade: Grade | null;
}

/**
 * The record a leader's triggers are computed from. The caller chooses the span (typically the
 * current term): every trigger looks at everything it is given.
 */
export interface TriggerInput {
  leaderId: string;
  monthly: MonthlyGrade[];
  annual: AnnualGrade[];
  confidenceVotes: ConfidenceVote[];
  disciplinesInTerm: DisciplineRecord[];
  /** Share (0–1) of its targets the leader's unit met; null or absent when not known. */
  unitTargetShare?: number | null;
}

/** The rule names of the replacement triggers, in the order they are reported. */
export type TriggerRule =
  | 'annual-d-2-years'
  | 'monthly-d-2-consecutive'
  | 'monthly-d-3-in-12'
  | 'low-confidence'
  | 'discipline-twice-in-term'
  | 'unit-targets-below-70';

/** One fired trigger: a stable rule name, the facts that fired it, and a sentence for HR. */
export interface ReplacementTrigger {
  rule: TriggerRule;
  evidence: Record<string, unknown>;
  message: string;
}

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const percent = (share: number): string => `${Math.round(share * 1000) / 10}%`;

function periodIndex(period: string): number {
  const m = PERIOD_RE.exec(period);
  if (m === null) throw new RangeError(`period must be YYYY-MM, got '${period}'`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

function periodOf(index: number): string {
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** The latest run of consecutive integers in ascending `values` at least `length` long, or null. */
function latestRun(values: number[], length: number): number[] | null {
  let found: number[] | null = null;
  let run: number[] = [];
  for (const v of values) {
    run = run.length > 0 && v === run[run.length - 1] + 1 ? [...run, v] : [v];
    if (run.length >= length) found = run;
  }
  return found;
}

/**
 * Every replacement trigger the leader's record fires, in the order of {@link TriggerRule}:
 *
 * - `annual-d-2-years`: annual D in `consecutiveDYears` consecutive calendar years (a year
 *   missing or not rated breaks the run); evidence `{ years }`, the latest such run in full.
 * - `monthly-d-2-consecutive`: D in `consecutiveDMonths` calendar-adjacent months; evidence
 *   `{ periods }`, the latest such run in full.
 * - `monthly-d-3-in-12`: at least `dMonthsIn12` D months inside some window of
 *   `dMonthsWindowMonths` consecutive months; evidence `{ periods, from, to }` for the window
 *   ending at the latest D month that completes such a set (periods = the D months in it).
 * - `low-confidence`: a confidence vote with strictly more than `lowConfidenceShare` low ballots
 *   (10 of 15 is exactly 2/3 and does not fire; 11 of 15 does); evidence `{ votes, threshold }`
 *   with every such vote, oldest first.
 * - `discipline-twice-in-term`: at least `disciplinesInTerm` discipline decisions; evidence
 *   `{ count, disciplines, threshold }`, oldest first.
 * - `unit-targets-below-70`: the unit met strictly less than `unitTargetShare` of its targets
 *   (exactly 70% does not fire); evidence `{ share, threshold }`.
 *
 * Rule names are stable identifiers and keep their numbers when thresholds are configured
 * otherwise; messages state the configured numbers. Input order does not matter.
 *
 * @throws {RangeError} on a malformed period or date, a period or year given twice, a
 *   non-integer year, a confidence vote with `low` outside 0..`total` or `total` < 1, or a
 *   unit target share outside 0–1.
 */
export function replacementTriggers(input: TriggerInput, rules: CaseRules = DEFAULT_CASE_RULES): ReplacementTrigger[] {
  const t = rules.triggers;
  const who = input.leaderId;
  const fired: ReplacementTrigger[] = [];

  const years = new Set<number>();
  for (const a of input.annual) {
    if (!Number.isInteger(a.year)) throw new RangeError(`year must be an integer, got ${a.year}`);
    if (years.has(a.year)) throw new RangeError(`year ${a.year} appears more than once`);
    years.add(a.year);
  }
  const dYears = input.annual
    .filter((a) => a.grade === 'D')
    .map((a) => a.year)
    .sort((x, y) => x - y);
  const yearRun = latestRun(dYears, t.consecutiveDYears);
  if (yearRun !== null) {
    fired.push({
      rule: 'annual-d-2-years',
      evidence: { years: yearRun },
      message: `${who} was rated D for ${yearRun.length} consecutive years (${yearRun.join(', ')}); ${t.consecutiveDYears} propose a replacement`,
    });
  }

  const periods = new Set<number>();
  for (const m of input.monthly) {
    const index = periodIndex(m.period);
    if (periods.has(index)) throw new RangeError(`month ${m.period} appears more than once`);
    periods.add(index);
  }
  const dMonths = input.monthly
    .filter((m) => m.grade === 'D')
    .map((m) => periodIndex(m.period))
    .sort((x, y) => x - y);
  const monthRun = latestRun(dMonths, t.consecutiveDMonths);
  if (monthRun !== null) {
    const list = monthRun.map(periodOf);
    fired.push({
      rule: 'monthly-d-2-consecutive',
      evidence: { periods: list },
      message: `${who} was D in ${list.length} consecutive months (${list.join(', ')}); ${t.consecutiveDMonths} propose a replacement`,
    });
  }

  for (let j = dMonths.length - 1; j >= t.dMonthsIn12 - 1; j -= 1) {
    const to = dMonths[j];
    const from = to - t.dMonthsWindowMonths + 1;
    if (dMonths[j - t.dMonthsIn12 + 1] >= from) {
      const list = dMonths.filter((i) => i >= from && i <= to).map(periodOf);
      fired.push({
        rule: 'monthly-d-3-in-12',
        evidence: { periods: list, from: periodOf(from), to: periodOf(to) },
        message: `${who} was D in ${list.length} months between ${periodOf(from)} and ${periodOf(to)} (${list.join(', ')}); ${t.dMonthsIn12} in ${t.dMonthsWindowMonths} months propose a replacement`,
      });
      break;
    }
  }

  for (const v of input.confidenceVotes) {
    addDays(v.date, 0);
    if (!Number.isInteger(v.total) || v.total < 1 || !Number.isInteger(v.low) || v.low < 0 || v.low > v.total) {
      throw new RangeError(`confidence vote of ${v.date}: low ${v.low} of total ${v.total} is impossible`);
    }
  }
  // The tolerance keeps "exactly 2/3" (10 of 15) on the safe side despite float shares.
  const low = input.confidenceVotes
    .filter((v) => v.low > t.lowConfidenceShare * v.total + 1e-9)
    .sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0))
    .map((v) => ({ date: v.date, low: v.low, total: v.total, share: v.low / v.total }));
  if (low.length > 0) {
    const last = low[low.length - 1];
    fired.push({
      rule: 'low-confidence',
      evidence: { votes: low, threshold: t.lowConfidenceShare },
      message: `${who} got ${last.low} low-confidence ballots of ${last.total} on ${last.date} (${percent(last.share)}), more than ${percent(t.lowConfidenceShare)}`,
    });
  }

  for (const d of input.disciplinesInTerm) addDays(d.date, 0);
  if (input.disciplinesInTerm.length >= t.disciplinesInTerm) {
    const disciplines = [...input.disciplinesInTerm].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
    fired.push({
      rule: 'discipline-twice-in-term',
      evidence: { count: disciplines.length, disciplines, threshold: t.disciplinesInTerm },
      message: `${who} was disciplined ${disciplines.length} times in the term (${disciplines.map((d) => `${d.level} ${d.date}`).join(', ')}); ${t.disciplinesInTerm} propose a replacement`,
    });
  }

  const share = input.unitTargetShare ?? null;
  if (share !== null) {
    if (!(share >= 0 && share <= 1)) throw new RangeError(`unit target share must be 0–1, got ${share}`);
    if (share < t.unitTargetShare - 1e-9) {
      fired.push({
        rule: 'unit-targets-below-70',
        evidence: { share, threshold: t.unitTargetShare },
        message: `the unit led by ${who} met ${percent(share)} of its targets, less than ${percent(t.unitTargetShare)}`,
      });
    }
  }
  return fired;
}

/** A periodic position change proposal: due, or overdue, after `months` whole months in the post. */
export interface PositionChangeStatus {
  status: 'due' | 'overdue';
  months: number;
}

/**
 * Whether a person in a sensitive position is due for a periodic position change on `onDate`:
 * `'overdue'` at `positionChangeOverdueMonths` whole months or more in the position (exactly 60
 * counts), else `'due'` at `positionChangeDueMonths` or more (exactly 24 counts); null when the
 * position is not sensitive, `positionSince` is unknown, or the time is shorter. Months are
 * counted by {@link monthsBetween}.
 *
 * @throws {RangeError} on a malformed date.
 */
export function positionChangeStatus(
  person: PersonRecord,
  onDate: string,
  rules: CaseRules = DEFAULT_CASE_RULES,
): PositionChangeStatus | null {
  if (!person.sensitivePosition || person.positionSince === null) return null;
  const months = monthsBetween(person.positionSince, onDate);
  if (months >= rules.positionChangeOverdueMonths) return { status: 'overdue', months };
  if (months >= rules.positionChangeDueMonths) return { status: 'due', months };
  return null;
}

/**
 * The date of the end-of-term review of a rotation ('YYYY-MM-DD'): the term ends `termMonths`
 * months after `effectiveDate` (see {@link addMonths}), and the review falls
 * `endOfTermReviewDaysBefore` calendar days before that.
 *
 * @throws {RangeError} on a malformed date or a `termMonths` that is not a positive integer.
 */
export function endOfTermReviewDate(
  effectiveDate: string,
  termMonths: number,
  rules: CaseRules = DEFAULT_CASE_RULES,
): string {
  if (!Number.isInteger(termMonths) || termMonths < 1)
    throw new RangeError(`termMonths must be a positive integer, got ${termMonths}`);
  return addDays(addMonths(effectiveDate, termMonths), -rules.endOfTermReviewDaysBefore);
}

/** The role a replaced leader is placed in: head → deputy, deputy → staff; staff has none below (null). */
export function roleOneLevelLower(role: Role): Role | null {
  return role === 'head' ? 'deputy' : role === 'deputy' ? 'staff' : null;
}
