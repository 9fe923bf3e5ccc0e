/**
 * Scoring profiles as data: criteria with point ranges and grade bands, versioned by the month
 * they take effect, because the regulation changed mid-stream (1841 replaced 3814) and a cycle
 * must be scored by the profile in force for its period.
 */
import type { Grade, Issue, Scores } from './types';

/** One scored criterion; `min`/`max` are inclusive point bounds. */
export interface Criterion {
  key: string;
  label: string;
  min: number;
  max: number;
}

/** Decree 335's task-item deductions: the share of an item's points lost per failed check / delay. */
export interface TaskItemRule {
  qualityLossPerFailedCheck: number;
  timelinessLossPerDelay: number;
}

/** A complete, versioned scoring model. `bands` are ordered A..D; each `min` is inclusive. */
export interface ScoringProfile {
  id: string;
  /** 'YYYY-MM' */
  effectiveFrom: string;
  criteria: Criterion[];
  bands: { grade: Grade; min: number }[];
  taskItems?: TaskItemRule;
}

/** Best to worst. */
export const GRADE_ORDER: Grade[] = ['A', 'B', 'C', 'D'];

const STANDARD_BANDS: { grade: Grade; min: number }[] = [
  { grade: 'A', min: 90 },
  { grade: 'B', min: 70 },
  { grade: 'C', min: 50 },
  { grade: 'D', min: 0 },
];

/** Hanoi 3814/3251/1841 monthly profile: discipline & ethics 0–20, tasks 0–70, bonus 0–10. */
export const HN_2023: ScoringProfile = {
  id: 'HN-2023',
  effectiveFrom: '2018-01',
  criteria: [
    { key: 'discipline', label: 'Ý thức tổ chức kỷ luật, phẩm chất đạo đức, lối sống, tác phong', min: 0, max: 20 },
    { key: 'tasks', label: 'Kết quả thực hiện nhiệm vụ', min: 0, max: 70 },
    { key: 'bonus', label: 'Điểm thưởng (sáng kiến, vượt kế hoạch)', min: 0, max: 10 },
  ],
  bands: STANDARD_BANDS,
};

/**
 * Decree 335/2025 profile: general criteria 0–30, tasks 0–70, same bands, with task-item
 * deductions. Defined so the model is proven to express it, but deliberately absent from
 * {@link DEFAULT_PROFILE_SCHEDULE}: switching is an admin decision.
 */
export const ND335_2025: ScoringProfile = {
  id: 'ND335-2025',
  effectiveFrom: '2026-01',
  criteria: [
    { key: 'general', label: 'Tiêu chí chung', min: 0, max: 30 },
    { key: 'tasks', label: 'Kết quả thực hiện nhiệm vụ', min: 0, max: 70 },
  ],
  bands: STANDARD_BANDS,
  taskItems: { qualityLossPerFailedCheck: 0.25, timelinessLossPerDelay: 0.25 },
};

/** Every shipped profile by id. */
export const PROFILES: Record<string, ScoringProfile> = {
  [HN_2023.id]: HN_2023,
  [ND335_2025.id]: ND335_2025,
};

/** Which profile applies from which period on; entries need not be sorted. */
export type ProfileSchedule = { profileId: string; from: string }[];

/** HN-2023 for every period since 2018-01. */
export const DEFAULT_PROFILE_SCHEDULE: ProfileSchedule = [{ profileId: 'HN-2023', from: '2018-01' }];

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The profile in force for `period`: the schedule entry with the latest `from` not after it.
 *
 * @throws {RangeError} when `period` is not 'YYYY-MM', no entry is in force yet, or the entry
 *   names a profile missing from `profiles`, since scoring with a guessed profile would be wrong.
 */
export function profileFor(
  period: string,
  schedule: ProfileSchedule = DEFAULT_PROFILE_SCHEDULE,
  profiles: Record<string, ScoringProfile> = PROFILES,
): ScoringProfile {
  if (!PERIOD.test(period)) throw new RangeError(`period must be YYYY-MM, got '${period}'`);
  let best: { profileId: string; from: string } | undefined;
  // 'YYYY-MM' strings order chronologically, so plain comparison is enough.
  for (const entry of schedule) {
    if (entry.from <= period && (best === undefined || entry.from > best.from)) best = entry;
  }
  if (best === undefined) throw new RangeError(`no scoring profile in force for ${period}`);
  const profile = Object.prototype.hasOwnProperty.call(profiles, best.profileId) ? profiles[best.profileId] : undefined;
  if (profile === undefined) throw new RangeError(`scoring profile '${best.profileId}' is not defined`);
  return profile;
}

/**
 * The profile a cycle scores by: the one it recorded when it opened (`profileId`), else the
 * default schedule's for its period, so a reader and the evaluation's workflow never disagree.
 */
export function cycleProfile(profileId: string | undefined, period: string): ScoringProfile {
  if (profileId !== undefined && Object.prototype.hasOwnProperty.call(PROFILES, profileId)) return PROFILES[profileId];
  return profileFor(period);
}

/**
 * Rounds to one decimal without float noise (0.1 + 0.2 → 0.3; 11.25 → 11.3, half away from 0
 * for positives): the product is first cleaned to 12 significant digits so an intended .x5 is
 * not seen as .x4999….
 */
export function round1(x: number): number {
  const scaled = Number((x * 10).toPrecision(12));
  return Math.round(scaled) / 10;
}

function hasAtMostOneDecimal(x: number): boolean {
  const scaled = x * 10;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Every problem with `scores` under `profile`, in criteria order then unknown keys; empty when
 * valid. Rules: `unknown` key, `required` (missing), `type` (not a finite number), `range`,
 * `precision` (more than one decimal). Never throws: callers report all issues at once.
 */
export function validateScores(profile: ScoringProfile, scores: Scores): Issue[] {
  const issues: Issue[] = [];
  const known = new Set(profile.criteria.map((c) => c.key));
  for (const c of profile.criteria) {
    const field = `scores.${c.key}`;
    if (!Object.prototype.hasOwnProperty.call(scores, c.key)) {
      issues.push({ field, rule: 'required', message: `${c.key} is required (${c.min}–${c.max})` });
      continue;
    }
    const value: unknown = scores[c.key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      issues.push({ field, rule: 'type', message: `${c.key} must be a number` });
      continue;
    }
    if (value < c.min || value > c.max) {
      issues.push({ field, rule: 'range', message: `${c.key} must be between ${c.min} and ${c.max}, got ${value}` });
    }
    if (!hasAtMostOneDecimal(value)) {
      issues.push({ field, rule: 'precision', message: `${c.key} allows at most one decimal, got ${value}` });
    }
  }
  for (const key of Object.keys(scores)) {
    if (!known.has(key)) {
      issues.push({ field: `scores.${key}`, rule: 'unknown', message: `${key} is not a criterion of ${profile.id}` });
    }
  }
  return issues;
}

/**
 * Total points: the sum of the profile's criteria, rounded to one decimal.
 *
 * @throws {RangeError} when `scores` fail {@link validateScores}; a total of invalid scores would
 *   silently become a grade.
 */
export function totalOf(profile: ScoringProfile, scores: Scores): number {
  const issues = validateScores(profile, scores);
  if (issues.length > 0) {
    throw new RangeError(`invalid scores: ${issues.map((i) => `${i.field} ${i.rule}`).join(', ')}`);
  }
  // Summing tenths as integers keeps 0.1 + 0.2 exact.
  let tenths = 0;
  for (const c of profile.criteria) tenths += Math.round(scores[c.key] * 10);
  return tenths / 10;
}

/**
 * The band grade of `total`: the first band (A..D) whose inclusive minimum it reaches, D below
 * all. Never throws; a total below every band is D.
 */
export function gradeFor(total: number, profile: ScoringProfile = HN_2023): Grade {
  // The epsilon absorbs float noise from callers that summed tenths themselves (e.g. 89.99999999999999 for 90).
  for (const band of profile.bands) {
    if (total + 1e-9 >= band.min) return band.grade;
  }
  return 'D';
}

/**
 * Decree 335 task points: each item loses `qualityLossPerFailedCheck` of its quality points per
 * failed check and `timelinessLossPerDelay` of its timeliness points per delay, each part floored
 * at 0; the sum is rounded to one decimal.
 *
 * @throws {RangeError} on negative points or on counts that are not non-negative integers.
 */
export function taskItemPoints(
  items: { quality: number; timeliness: number; failedChecks: number; delays: number }[],
  rule: TaskItemRule,
): number {
  let sum = 0;
  items.forEach((item, i) => {
    if (!(item.quality >= 0) || !(item.timeliness >= 0)) {
      throw new RangeError(`items[${i}]: points must be non-negative numbers`);
    }
    if (
      !Number.isInteger(item.failedChecks) ||
      item.failedChecks < 0 ||
      !Number.isInteger(item.delays) ||
      item.delays < 0
    ) {
      throw new RangeError(`items[${i}]: failedChecks and delays must be non-negative integers`);
    }
    const quality = Math.max(0, item.quality * (1 - rule.qualityLossPerFailedCheck * item.failedChecks));
    const timeliness = Math.max(0, item.timeliness * (1 - rule.timelinessLossPerDelay * item.delays));
    sum += quality + timeliness;
  });
  return round1(sum);
}

function rank(grade: Grade): number {
  const i = GRADE_ORDER.indexOf(grade);
  if (i < 0) throw new RangeError(`unknown grade '${String(grade)}'`);
  return i;
}

/**
 * The worse of `grade` and `cap`, i.e. `grade` limited to at most `cap`.
 *
 * @throws {RangeError} on a value that is not a grade.
 */
export function gradeAtMost(grade: Grade, cap: Grade): Grade {
  return rank(grade) >= rank(cap) ? grade : cap;
}

/**
 * True when `a` is strictly better than `b` (A better than B).
 *
 * @throws {RangeError} on a value that is not a grade.
 */
export function isBetter(a: Grade, b: Grade): boolean {
  return rank(a) < rank(b);
}
