/**
 * Caps applied after the bands. Each is returned with its reason so the evaluation record can
 * show why a grade is lower than the points suggest.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';
import { GRADE_ORDER, gradeAtMost } from './scoring';
import type { Grade } from './types';

/** What must be known about a person's month to decide their caps. */
export interface CapFacts {
  /** A discipline decision (reprimand or above) took effect in the month. */
  disciplinedInMonth: boolean;
  /** Working days of approved leave in the month. */
  leaveWorkingDays: number;
  workingDaysInMonth: number;
  /** Head or deputy. */
  isLeader: boolean;
  /** Anyone the leader leads is D this month. */
  someoneLedIsD: boolean;
}

/** One cap: the best grade allowed, or null meaning "not rated this month". */
export interface Cap {
  rule: 'discipline' | 'leader-tied-to-unit' | 'absence';
  maxGrade: Grade | null;
  reason: string;
}

/**
 * Every cap that applies, in a fixed order (discipline, leader, absence).
 *
 * @throws {RangeError} when leave or working-day counts are negative or not finite.
 */
export function capsFor(facts: CapFacts, rules: RulesConfig = DEFAULT_RULES): Cap[] {
  if (
    !(facts.leaveWorkingDays >= 0) ||
    !(facts.workingDaysInMonth >= 0) ||
    !Number.isFinite(facts.leaveWorkingDays) ||
    !Number.isFinite(facts.workingDaysInMonth)
  ) {
    throw new RangeError('leaveWorkingDays and workingDaysInMonth must be non-negative numbers');
  }
  const caps: Cap[] = [];
  if (facts.disciplinedInMonth) {
    caps.push({
      rule: 'discipline',
      maxGrade: rules.disciplineCap,
      reason: `discipline decision effective in the month: at most ${rules.disciplineCap}`,
    });
  }
  if (facts.isLeader && facts.someoneLedIsD) {
    caps.push({
      rule: 'leader-tied-to-unit',
      maxGrade: rules.leaderTiedCap,
      reason: `someone led by this leader is D: at most ${rules.leaderTiedCap}`,
    });
  }
  // The tolerance keeps "exactly half" (e.g. 10 of 20 days) on the rated side despite float shares.
  if (facts.leaveWorkingDays > rules.absenceNotRatedShare * facts.workingDaysInMonth + 1e-9) {
    caps.push({
      rule: 'absence',
      maxGrade: null,
      reason: `on approved leave ${facts.leaveWorkingDays} of ${facts.workingDaysInMonth} working days (more than ${rules.absenceNotRatedShare * 100}%): not rated`,
    });
  }
  return caps;
}

/** False when any cap makes the person not rated this month. */
export function isRated(caps: Cap[]): boolean {
  return caps.every((c) => c.maxGrade !== null);
}

/** The best grade the caps allow: the worst cap; null when not rated; 'A' with no caps. */
export function maxGradeUnder(caps: Cap[]): Grade | null {
  let best: Grade = GRADE_ORDER[0];
  for (const cap of caps) {
    if (cap.maxGrade === null) return null;
    best = gradeAtMost(best, cap.maxGrade);
  }
  return best;
}
