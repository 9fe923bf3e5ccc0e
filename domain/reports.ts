/**
 * The oversight rules: what a unit's month counts as late, its A quota as a report shows it,
 * the totals of a subtree, and the emulation title an annual grade proposes.
 */
import { DEFAULT_RULES, type RulesConfig } from './config';
import { allowedA } from './quota';
import type { Grade } from './types';

export interface StepCounts {
  plan: number;
  selfAssessment: number;
  review: number;
}

/** A unit's month as the read model counts it (the read model keeps these per unit and month). */
export interface MonthCounts {
  members: number;
  done: StepCounts;
  /** Steps missed at their deadline, whether or not done since. */
  missed: StepCounts;
  /** Steps missed and still not done. */
  overdue: StepCounts;
  grades: Record<Grade, number>;
  escalations: number;
  escalationsOpen: number;
}

/** The cycle's own facts for the month; `phase` null when the unit has no cycle that month. */
export interface CycleFacts {
  phase: string | null;
  outstanding: boolean;
  /** Epoch ms of the deliberation deadline, null without a cycle. */
  deliberationDue: number | null;
  publishedAt: number | null;
}

const SETTLED = new Set(['published', 'locked']);

/** Whether the month's results are published (or locked): its grades are final. */
export const isSettled = (phase: string | null): boolean => phase !== null && SETTLED.has(phase);

/**
 * The deliberation is late when its deadline has passed at `now` and the results are still not
 * published. A month without a cycle owes no deliberation.
 */
export function deliberationOverdue(cycle: CycleFacts, now: number): boolean {
  if (cycle.phase === null || cycle.deliberationDue === null || isSettled(cycle.phase)) return false;
  return now > cycle.deliberationDue;
}

/**
 * The deliberation was late (for the trend): published after its deadline, or still unpublished
 * with the deadline passed at `now`.
 */
export function deliberationWasLate(cycle: CycleFacts, now: number): boolean {
  if (cycle.phase === null || cycle.deliberationDue === null) return false;
  if (cycle.publishedAt !== null) return cycle.publishedAt > cycle.deliberationDue;
  return now > cycle.deliberationDue;
}

/**
 * The unit's A quota as the report shows it: the slots allowed (the deliberation's rule, over the
 * people rated once results are published, over every member before), the A grades given, and
 * whether the unit is flagged outstanding (the higher rate).
 */
export function reportQuota(
  counts: Pick<MonthCounts, 'members' | 'grades'>,
  cycle: Pick<CycleFacts, 'phase' | 'outstanding'>,
  rules: RulesConfig = DEFAULT_RULES,
): { allowed: number; used: number; outstanding: boolean } {
  const graded = counts.grades.A + counts.grades.B + counts.grades.C + counts.grades.D;
  const rated = isSettled(cycle.phase) ? graded : counts.members;
  return { allowed: allowedA(rated, cycle.outstanding, rules), used: counts.grades.A, outstanding: cycle.outstanding };
}

/** Members without a final grade: not yet decided, or not rated this month. */
export const unrated = (counts: Pick<MonthCounts, 'members' | 'grades'>): number =>
  Math.max(0, counts.members - counts.grades.A - counts.grades.B - counts.grades.C - counts.grades.D);

/** One unit's line of the subtree report. */
export interface ReportLine {
  members: number;
  done: StepCounts;
  overdue: StepCounts & { deliberation: number };
  escalationsOpen: number;
  grades: Record<Grade | 'unrated', number>;
  quota: { allowed: number; used: number; outstanding: boolean };
}

export function reportLine(
  counts: MonthCounts,
  cycle: CycleFacts,
  now: number,
  rules: RulesConfig = DEFAULT_RULES,
): ReportLine {
  return {
    members: counts.members,
    done: { ...counts.done },
    overdue: { ...counts.overdue, deliberation: deliberationOverdue(cycle, now) ? 1 : 0 },
    escalationsOpen: counts.escalationsOpen,
    grades: { ...counts.grades, unrated: unrated(counts) },
    quota: reportQuota(counts, cycle, rules),
  };
}

/** The subtree's totals: every count summed; `quota.outstanding` counts the units flagged outstanding. */
export type ReportTotals = Omit<ReportLine, 'quota'> & {
  units: number;
  quota: { allowed: number; used: number; outstanding: number };
};

export function sumLines(lines: ReportLine[]): ReportTotals {
  const t: ReportTotals = {
    units: lines.length,
    members: 0,
    done: { plan: 0, selfAssessment: 0, review: 0 },
    overdue: { plan: 0, selfAssessment: 0, review: 0, deliberation: 0 },
    escalationsOpen: 0,
    grades: { A: 0, B: 0, C: 0, D: 0, unrated: 0 },
    quota: { allowed: 0, used: 0, outstanding: 0 },
  };
  for (const l of lines) {
    t.members += l.members;
    for (const k of ['plan', 'selfAssessment', 'review'] as const) t.done[k] += l.done[k];
    for (const k of ['plan', 'selfAssessment', 'review', 'deliberation'] as const) t.overdue[k] += l.overdue[k];
    t.escalationsOpen += l.escalationsOpen;
    for (const k of ['A', 'B', 'C', 'D', 'unrated'] as const) t.grades[k] += l.grades[k];
    t.quota.allowed += l.quota.allowed;
    t.quota.used += l.quota.used;
    t.quota.outstanding += l.quota.outstanding ? 1 : 0;
  }
  return t;
}

/**
 * The emulation title an annual grade proposes a person for (the annual rating of quality:
 * excellent, good, completed, not completed); none for a person not rated in the year.
 */
export const EMULATION_TITLES: Record<Grade, string> = {
  A: 'Hoàn thành xuất sắc nhiệm vụ',
  B: 'Hoàn thành tốt nhiệm vụ',
  C: 'Hoàn thành nhiệm vụ',
  D: 'Không hoàn thành nhiệm vụ',
};

export const emulationTitle = (grade: Grade | null): string | null => (grade === null ? null : EMULATION_TITLES[grade]);

/** The months from `from` to `to`, both 'YYYY-MM', in order; at most `max` of them. */
export function monthsBetween(from: string, to: string, max: number): string[] {
  const parse = (p: string) => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7)) - 1;
  const a = parse(from);
  const b = parse(to);
  if (b < a) throw new RangeError(`'to' (${to}) is before 'from' (${from})`);
  if (b - a + 1 > max) throw new RangeError(`at most ${max} months, got ${b - a + 1}`);
  const out: string[] = [];
  for (let m = a; m <= b; m++) out.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  return out;
}
