/**
 * Rules of the collective's deliberation: what a final list must satisfy before it can be
 * accepted, and when enough of the collective has approved it.
 */
import { isRated, maxGradeUnder, type Cap } from './caps';
import { DEFAULT_RULES, type RulesConfig } from './config';
import { quotaBreachOfCounts } from './quota';
import { isBetter } from './scoring';
import type { Grade, Role } from './types';

/** One member being settled: the reviewer's proposed grade and the caps recorded for the month. */
export interface MemberLine {
  personId: string;
  proposedGrade: Grade | null;
  caps: Cap[];
  role: Role;
}

/** The head's final grade for one member; a change from the proposal needs a rationale. */
export interface Decision {
  personId: string;
  grade: Grade | null;
  rationale?: string;
}

/** A reason the list cannot be accepted. Extra fields carry the numbers (e.g. quota excess). */
export interface Breach {
  rule: 'coverage' | 'unknown-member' | 'duplicate' | 'rationale' | 'quota' | 'cap' | 'not-rated';
  personId?: string;
  message: string;
  [k: string]: unknown;
}

/**
 * Every breach in a proposed final list; empty when it may be accepted. All breaches are
 * returned at once so the head can fix the list in one pass.
 *
 * - `unknown-member` / `duplicate`: a decision for someone not being settled, or twice;
 * - `coverage`: a member without a decision;
 * - `rationale`: a grade different from the proposal without a non-blank rationale (not asked
 *   when a not-rated member gets null: the absence cap is the reason);
 * - `cap`: a grade better than the caps allow (`capRules` names the caps);
 * - `not-rated`: a not-rated member with a grade, or a rated member without one;
 * - `quota`: too many A among the rated members (rated per their caps; see `quotaBreach`).
 *
 * Never throws.
 */
export function checkDeliberation(
  lines: MemberLine[],
  decisions: Decision[],
  outstanding: boolean,
  rules: RulesConfig = DEFAULT_RULES,
): Breach[] {
  const breaches: Breach[] = [];
  const byId = new Map(lines.map((l) => [l.personId, l] as const));
  const decided = new Map<string, Decision>();

  for (const d of decisions) {
    const line = byId.get(d.personId);
    if (line === undefined) {
      breaches.push({
        rule: 'unknown-member',
        personId: d.personId,
        message: `${d.personId} is not settled by this deliberation`,
      });
      continue;
    }
    if (decided.has(d.personId)) {
      breaches.push({ rule: 'duplicate', personId: d.personId, message: `${d.personId} has more than one decision` });
      continue;
    }
    decided.set(d.personId, d);

    const rated = isRated(line.caps);
    const max = maxGradeUnder(line.caps);
    const forcedNull = !rated && d.grade === null;
    if (d.grade !== line.proposedGrade && !forcedNull && (d.rationale ?? '').trim() === '') {
      breaches.push({
        rule: 'rationale',
        personId: d.personId,
        proposedGrade: line.proposedGrade,
        grade: d.grade,
        message: `${d.personId}: changing the proposed grade ${line.proposedGrade ?? 'not rated'} to ${d.grade ?? 'not rated'} needs a written rationale`,
      });
    }
    if (!rated && d.grade !== null) {
      breaches.push({
        rule: 'not-rated',
        personId: d.personId,
        grade: d.grade,
        message: `${d.personId} is not rated this month (${line.caps
          .filter((c) => c.maxGrade === null)
          .map((c) => c.reason)
          .join('; ')}) and must get no grade`,
      });
    } else if (rated && d.grade === null) {
      breaches.push({
        rule: 'not-rated',
        personId: d.personId,
        grade: null,
        message: `${d.personId} is rated this month and needs a grade`,
      });
    } else if (d.grade !== null && max !== null && isBetter(d.grade, max)) {
      const grade = d.grade;
      const violated = line.caps.filter((c) => c.maxGrade !== null && isBetter(grade, c.maxGrade));
      breaches.push({
        rule: 'cap',
        personId: d.personId,
        grade,
        maxGrade: max,
        capRules: violated.map((c) => c.rule),
        message: `${d.personId}: ${grade} is better than allowed by ${violated.map((c) => `${c.rule} (${c.reason})`).join(', ')}`,
      });
    }
  }

  for (const line of lines) {
    if (!decided.has(line.personId)) {
      breaches.push({ rule: 'coverage', personId: line.personId, message: `${line.personId} has no decision` });
    }
  }

  // Rated-ness comes from the caps, not the decisions, so a missing or wrongly null line cannot
  // shrink the quota base; an A given to a not-rated member is reported as not-rated instead.
  const ratedLines = lines.filter((l) => isRated(l.caps));
  const quota = quotaBreachOfCounts(
    ratedLines.length,
    ratedLines.filter((l) => decided.get(l.personId)?.grade === 'A').length,
    outstanding,
    rules,
  );
  if (quota !== null) breaches.push({ ...quota });
  return breaches;
}

/** Who may approve `personId`'s line: the collective without that person (recusal), without repeats. */
export function lineApprovers(collective: string[], personId: string): string[] {
  return [...new Set(collective)].filter((id) => id !== personId);
}

/**
 * Whether the list is decided: every line needs approvals from a strict majority (> half) of its
 * eligible approvers (see {@link lineApprovers}). Approvals from outside the collective, repeats,
 * and a person's approval of their own line do not count. A line with no eligible approvers
 * (the top unit's lone head settling their own grade) is decided, since nobody else could
 * approve it. `pending` lists the lines still short, in input order. Never throws.
 */
export function isDecided(
  collective: string[],
  lines: string[],
  approvals: string[],
): { decided: boolean; pending: { personId: string; approvals: number; needed: number }[] } {
  const approved = new Set(approvals);
  const pending: { personId: string; approvals: number; needed: number }[] = [];
  for (const personId of new Set(lines)) {
    const eligible = lineApprovers(collective, personId);
    if (eligible.length === 0) continue;
    const needed = Math.floor(eligible.length / 2) + 1;
    const count = eligible.filter((id) => approved.has(id)).length;
    if (count < needed) pending.push({ personId, approvals: count, needed });
  }
  return { decided: pending.length === 0, pending };
}
