/**
 * Rewards and talent: the month's commendation list (the unit's A grades) and the people whose
 * results stay excellent long enough to propose them to HR for cadre planning and rotation.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';
import type { Grade } from './types';

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

function periodIndex(period: string): number {
  const m = PERIOD_RE.exec(period);
  if (m === null) throw new RangeError(`period must be YYYY-MM, got '${period}'`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

const periodOf = (index: number): string =>
  `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;

/** A settled month of a person: the final grade, null when not rated. */
export interface SettledMonth {
  period: string;
  grade: Grade | null;
}

/** The window that qualifies a person as talent, with the A months in it. */
export interface TalentFinding {
  from: string;
  to: string;
  aMonths: string[];
}

/**
 * Whether a person's record shows sustained excellent results: at least `talentAMonths` A
 * months among the `talentWindowMonths` months ending at `to` (a month not rated or not settled
 * counts as not A), and no discipline decision dated inside the window. `to` is the latest month
 * the caller has settled results for; `disciplineDates` are 'YYYY-MM-DD'.
 *
 * @throws {RangeError} on a malformed period, or a month given twice.
 */
export function talentFinding(
  months: readonly SettledMonth[],
  disciplineDates: readonly string[],
  to: string,
  rules: Pick<RulesConfig, 'talentAMonths' | 'talentWindowMonths'> = DEFAULT_RULES,
): TalentFinding | null {
  const end = periodIndex(to);
  const start = end - rules.talentWindowMonths + 1;
  const seen = new Set<number>();
  const aMonths: number[] = [];
  for (const m of months) {
    const i = periodIndex(m.period);
    if (seen.has(i)) throw new RangeError(`month ${m.period} appears more than once`);
    seen.add(i);
    if (m.grade === 'A' && i >= start && i <= end) aMonths.push(i);
  }
  if (aMonths.length < rules.talentAMonths) return null;
  const from = periodOf(start);
  if (disciplineDates.some((d) => d.slice(0, 7) >= from && d.slice(0, 7) <= to)) return null;
  return { from, to, aMonths: aMonths.sort((a, b) => a - b).map(periodOf) };
}

/** Whether two windows share a month: a person is proposed once per window, not every month it slides. */
export const windowsOverlap = (a: { from: string; to: string }, b: { from: string; to: string }): boolean =>
  a.from <= b.to && b.from <= a.to;

/** The month's commendation list: the people graded A, in the order given. */
export const commendations = <T extends { finalGrade: string | null }>(lines: readonly T[]): T[] =>
  lines.filter((l) => l.finalGrade === 'A');
