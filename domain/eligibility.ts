/**
 * Eligibility of a move (rotation, transfer, position change), checked when HR opens the case,
 * and the calendar-month arithmetic the case rules count in.
 *
 * Dates are 'YYYY-MM-DD' strings handled with integer arithmetic only (no clock, no time zone):
 * a case rule is about calendar dates, never instants.
 */
import {
  DEFAULT_CASE_RULES,
  DEFERRAL_REASONS,
  type CaseRules,
  type MoveKind,
  type PersonRecord,
  type Waiver,
} from './cases';
import type { Issue, Role } from './types';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parse(date: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(date);
  if (match === null) throw new RangeError(`date must be YYYY-MM-DD, got '${date}'`);
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) throw new RangeError(`no such date '${date}'`);
  return { y, m, d };
}

function format(y: number, m: number, d: number): string {
  if (y < 0 || y > 9999) throw new RangeError(`year ${y} is outside 0000–9999`);
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** Days since 0000-03-01 of a civil date (proleptic Gregorian; H. Hinnant's days_from_civil). */
function dayIndex(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe;
}

function fromDayIndex(z: number): string {
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return format(y, m, d);
}

function requireInteger(n: number, what: string): void {
  if (!Number.isInteger(n)) throw new RangeError(`${what} must be an integer, got ${n}`);
}

/**
 * `date` plus `n` calendar months (n may be negative). The day is clamped to the end of the
 * target month: 2024-01-31 + 1 = 2024-02-29, 2025-01-31 + 1 = 2025-02-28.
 *
 * @throws {RangeError} on a malformed or impossible date, a non-integer `n`, or a result
 *   outside years 0000–9999.
 */
export function addMonths(date: string, n: number): string {
  requireInteger(n, 'n');
  const { y, m, d } = parse(date);
  const index = y * 12 + (m - 1) + n;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

/**
 * Whole calendar months from `a` to `b`, rounded down: the largest `n` with
 * `addMonths(a, n) <= b`. So `monthsBetween(a, addMonths(a, n)) === n` for every `n` (the
 * end-of-month clamping of {@link addMonths} is respected), one day short of a full month does
 * not count (2026-01-15 → 2026-02-14 is 0), and `b` before `a` gives a negative count
 * (2026-03-15 → 2026-03-10 is -1).
 *
 * @throws {RangeError} on a malformed or impossible date.
 */
export function monthsBetween(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  const n = (pb.y - pa.y) * 12 + (pb.m - pa.m);
  // addMonths(a, n) lies in b's month; one month less always lies before b.
  return addMonths(a, n) > b ? n - 1 : n;
}

/**
 * `date` plus `n` calendar days (n may be negative).
 *
 * @throws {RangeError} on a malformed or impossible date, a non-integer `n`, or a result
 *   outside years 0000–9999.
 */
export function addDays(date: string, n: number): string {
  requireInteger(n, 'n');
  const { y, m, d } = parse(date);
  return fromDayIndex(dayIndex(y, m, d) + n);
}

/** The move being checked, as HR proposes it. */
export interface EligibilityInput {
  kind: MoveKind;
  person: PersonRecord;
  toRole: Role;
  /** 'YYYY-MM-DD' the move takes effect */
  effectiveDate: string;
  /** Term of a rotation in months; not used for the other kinds. */
  termMonths?: number | null;
  waivers?: Waiver[];
  /** 'YYYY-MM-DD' the check is made (the case's opening date). */
  onDate: string;
}

/** The verdict: `failures` are rule names as the API reports them in `details.rules`. */
export interface EligibilityResult {
  ok: boolean;
  /** e.g. `['retirement-within-18-months', 'deferral:pregnancy']`; empty when ok */
  failures: string[];
  /** The waivers that set a failing rule aside, to be kept on the case. */
  waived: Waiver[];
  /** One issue per failure, same order: the body field concerned, the rule and a sentence. */
  issues: Issue[];
}

const WAIVABLE = new Set<string>(DEFERRAL_REASONS.map((r) => `deferral:${r}`));

/**
 * Every eligibility rule a move fails, each named, with the waivers that applied.
 *
 * The rules are checked on the **move date**: the effective date, or the check date `onDate`
 * when the effective date has already passed (a backdated case moves the person once it
 * completes, never before it is opened).
 *
 * - `retirement-within-18-months`: fewer than `retirementNoPositionChangeMonths` whole months
 *   (see {@link monthsBetween}) from the move date to `retirementDate`; exactly 18 passes. The
 *   rule's name is a stable identifier for API clients and keeps "18" even when the number is
 *   configured otherwise (the message states the configured number). It
 *   applies to **every move kind**, not only `position-change`: rotation, transfer and position
 *   change all take the person out of the post they hold, which is what the rule protects
 *   against shortly before retirement. A null `retirementDate` means no limit (not a failure).
 * - `deferral:<reason>`: one per reason with a deferral in force on the move date
 *   (`until >= move date`; a reason recorded twice is named once).
 * - `leader-service-years`: a rotation into a head or deputy post with fewer than
 *   `leaderRotationMinServiceYearsLeft` whole years (12 × that many months) before
 *   `retirementDate`; exactly 10 years passes; a null `retirementDate` passes.
 * - `term-too-short`: a rotation with a term shorter than `minRotationTermMonths`, or with no
 *   term at all (a rotation without a term cannot be shown to last long enough).
 * - `waiver-not-allowed:<rule>`: a waiver naming anything but a deferral rule. Only deferrals
 *   may be waived (the person volunteers); retirement, leader service and term rules never can,
 *   so asking to waive one is refused rather than silently ignored, and the underlying rule is
 *   still reported when it fails.
 *
 * A waiver whose `rule` is exactly `deferral:<reason>` of a failing deferral lifts it and is
 * returned in `waived` (first waiver per rule); a deferral waiver for a deferral that is not in
 * force is ignored and not recorded. Failures come in the order above; waiver refusals in the
 * order of the waivers.
 *
 * @throws {RangeError} on a malformed date (effective, check, retirement or deferral), a
 *   waiver with a blank note (the waiver must record why), or a kind that is not a move.
 */
export function checkEligibility(input: EligibilityInput, rules: CaseRules = DEFAULT_CASE_RULES): EligibilityResult {
  const { kind, person, toRole, effectiveDate, onDate } = input;
  const waivers = input.waivers ?? [];
  if (kind !== 'rotation' && kind !== 'transfer' && kind !== 'position-change') {
    throw new RangeError(`'${String(kind)}' is not a move kind`);
  }
  parse(effectiveDate);
  parse(onDate);
  for (const w of waivers) {
    if (!/\S/.test(w.note)) throw new RangeError(`the waiver of '${w.rule}' needs a note saying why`);
  }
  const moveDate = effectiveDate >= onDate ? effectiveDate : onDate;
  const issues: Issue[] = [];
  const waived: Waiver[] = [];

  if (person.retirementDate !== null) {
    const left = monthsBetween(moveDate, person.retirementDate);
    if (left < rules.retirementNoPositionChangeMonths) {
      issues.push({
        field: 'effectiveDate',
        rule: 'retirement-within-18-months',
        message: `${person.id} retires on ${person.retirementDate}, ${Math.max(left, 0)} whole months after the move on ${moveDate}: no move with fewer than ${rules.retirementNoPositionChangeMonths} months to retirement`,
      });
    }
  }

  const deferred = new Map<string, string>();
  for (const deferral of person.deferrals) {
    parse(deferral.until);
    if (deferral.until < moveDate) continue;
    const rule = `deferral:${deferral.reason}`;
    const later = deferred.get(rule);
    if (later === undefined || deferral.until > later) deferred.set(rule, deferral.until);
  }
  for (const [rule, until] of deferred) {
    const waiver = waivers.find((w) => w.rule === rule);
    if (waiver !== undefined) {
      waived.push({ rule: waiver.rule, note: waiver.note });
      continue;
    }
    issues.push({
      field: 'personId',
      rule,
      message: `${person.id} is deferred (${rule.slice('deferral:'.length)}) until ${until}, past the move on ${moveDate}; it may be waived at the person's own wish`,
    });
  }

  if (kind === 'rotation' && (toRole === 'head' || toRole === 'deputy') && person.retirementDate !== null) {
    const needed = rules.leaderRotationMinServiceYearsLeft * 12;
    const left = monthsBetween(moveDate, person.retirementDate);
    if (left < needed) {
      issues.push({
        field: 'toRole',
        rule: 'leader-service-years',
        message: `a rotation into a ${toRole} post needs ${rules.leaderRotationMinServiceYearsLeft} years of service left; ${person.id} has ${Math.floor(Math.max(left, 0) / 12)} years ${Math.max(left, 0) % 12} months`,
      });
    }
  }

  if (kind === 'rotation') {
    const term = input.termMonths ?? null;
    if (term === null || term < rules.minRotationTermMonths) {
      issues.push({
        field: 'termMonths',
        rule: 'term-too-short',
        message: `a rotation lasts at least ${rules.minRotationTermMonths} months; ${term === null ? 'no term was given' : `${term} months were given`}`,
      });
    }
  }

  waivers.forEach((w, i) => {
    if (!WAIVABLE.has(w.rule)) {
      issues.push({
        field: `waivers.${i}.rule`,
        rule: `waiver-not-allowed:${w.rule}`,
        message: `'${w.rule}' cannot be waived: only deferrals may be set aside at the person's own wish`,
      });
    }
  });

  return { ok: issues.length === 0, failures: issues.map((i) => i.rule), waived, issues };
}
