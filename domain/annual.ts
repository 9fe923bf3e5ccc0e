/**
 * The annual roll-up of monthly results (monthly results are the main basis of the annual
 * rating) and the Decree 335 annual A quota.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';
import { gradeFor, round1 } from './scoring';
import type { Grade } from './types';

/** One month of a person's record; months rated in a previous unit are included after a move. */
export interface MonthResult {
  period: string;
  total: number | null;
  /** null = not rated that month */
  grade: Grade | null;
  disciplined: boolean;
}

/** A month as its cycle settled it: the total, the final grade and the caps applied. */
export interface SettledMonthFacts {
  period: string;
  total: number | null;
  finalGrade: Grade | null;
  caps: { rule: string }[];
}

/** A settled month as the roll-up counts it: not rated under an absence cap or without a final grade. */
export function monthResultOf(m: SettledMonthFacts): MonthResult {
  const notRated = m.caps.some((cap) => cap.rule === 'absence') || m.finalGrade === null;
  return {
    period: m.period,
    total: notRated ? null : m.total,
    grade: notRated ? null : m.finalGrade,
    disciplined: m.caps.some((cap) => cap.rule === 'discipline'),
  };
}

/**
 * The annual result: mean of the rated months' totals (one decimal), graded by the standard
 * bands, then: not rated (`'not-rated'`) with fewer than `annualMinRatedMonths` rated months;
 * D (`'discipline'`) with any discipline in the year — `disciplineInYear` or any month flagged
 * disciplined; A lowered to B (`'d-month'`) when any month was D. `caps` lists the rules that
 * shaped the grade.
 *
 * @throws {RangeError} when a period appears twice (a merged record after a move must not count
 *   a month twice) or a month has a grade without a total.
 */
export function annualRollup(
  months: MonthResult[],
  disciplineInYear: boolean,
  rules: RulesConfig = DEFAULT_RULES,
): { ratedMonths: number; mean: number | null; grade: Grade | null; caps: string[] } {
  const periods = new Set<string>();
  for (const m of months) {
    if (periods.has(m.period)) throw new RangeError(`month ${m.period} appears more than once`);
    periods.add(m.period);
    if (m.grade !== null && m.total === null) throw new RangeError(`month ${m.period} has a grade but no total`);
  }
  const rated = months.filter((m): m is MonthResult & { total: number } => m.grade !== null && m.total !== null);
  const ratedMonths = rated.length;
  const mean = ratedMonths === 0 ? null : round1(rated.reduce((s, m) => s + m.total, 0) / ratedMonths);
  if (mean === null || ratedMonths < rules.annualMinRatedMonths) {
    return { ratedMonths, mean, grade: null, caps: ['not-rated'] };
  }
  if (disciplineInYear || months.some((m) => m.disciplined)) {
    return { ratedMonths, mean, grade: 'D', caps: ['discipline'] };
  }
  const banded = gradeFor(mean);
  if (banded === 'A' && months.some((m) => m.grade === 'D')) {
    return { ratedMonths, mean, grade: 'B', caps: ['d-month'] };
  }
  return { ratedMonths, mean, grade: banded, caps: [] };
}

/**
 * The Decree 335 annual check: A may be at most `annualAQuotaOfB` of the unit's annual B count.
 * Null grades (not rated) count for nothing. Reported, never enforced by trimming.
 */
export function annualQuotaCheck(
  grades: (Grade | null)[],
  rules: RulesConfig = DEFAULT_RULES,
): { aCount: number; bCount: number; allowedA: number; breached: boolean } {
  const aCount = grades.filter((g) => g === 'A').length;
  const bCount = grades.filter((g) => g === 'B').length;
  // The epsilon stops a product like 0.2 × 15 = 2.9999… from losing a slot.
  const allowedA = Math.floor(rules.annualAQuotaOfB * bCount + 1e-9);
  return { aCount, bCount, allowedA, breached: aCount > allowedA };
}
