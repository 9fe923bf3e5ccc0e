/**
 * Vocabulary, configurable defaults and input schemas shared by move cases (rotation, transfer,
 * position change) and replacement cases; the rules themselves live in `eligibility`, `votes`
 * and `triggers`.
 *
 * Every number the regulations leave open is a *(default)* in the domain notes and lives in
 * {@link DEFAULT_CASE_RULES}, so HR or the admin can change it without touching rule code.
 */
import type { Role } from './types';

/** The three kinds of move: luân chuyển, điều động, chuyển đổi vị trí công tác. */
export type MoveKind = 'rotation' | 'transfer' | 'position-change';

/** Every case kind HR may open. */
export type CaseKind = MoveKind | 'replacement';

/** The move kinds, in the order the API lists them. */
export const MOVE_KINDS: readonly MoveKind[] = Object.freeze(['rotation', 'transfer', 'position-change'] as const);

/** Why a person may not be moved for now (Decree 59/2019 Art. 38, Decree 138/2020). */
export type DeferralReason =
  | 'disciplinary-review'
  | 'investigation'
  | 'serious-illness'
  | 'study'
  | 'secondment'
  | 'pregnancy'
  | 'child-under-36-months';

/** The deferral reasons, in the order the API lists them. */
export const DEFERRAL_REASONS: readonly DeferralReason[] = Object.freeze([
  'disciplinary-review',
  'investigation',
  'serious-illness',
  'study',
  'secondment',
  'pregnancy',
  'child-under-36-months',
] as const);

/** A deferral recorded in the directory; it is in force up to and including `until` ('YYYY-MM-DD'). */
export interface Deferral {
  reason: DeferralReason;
  until: string;
}

/**
 * HR's note that a rule is set aside for this case, e.g. `{ rule: 'deferral:pregnancy', note:
 * 'moves at her own request, letter of 2026-03-02' }`. Only deferrals may be waived.
 */
export interface Waiver {
  rule: string;
  note: string;
}

/** What a case needs to know about a person beyond the basic directory entry. */
export interface PersonRecord {
  id: string;
  unitId: string;
  role: Role;
  /** null: not recorded, which means no retirement limit applies. */
  retirementDate: string | null;
  /** Since when the person holds the current position; null when unknown. */
  positionSince: string | null;
  /** The position is on the list that must be changed periodically. */
  sensitivePosition: boolean;
  deferrals: Deferral[];
}

/** Discipline levels, mildest first (all are "reprimand or above"). */
export type DisciplineLevel = 'reprimand' | 'warning' | 'demotion' | 'dismissal';

/** One discipline decision recorded by HR. */
export interface DisciplineRecord {
  /** 'YYYY-MM-DD' the decision took effect */
  date: string;
  level: DisciplineLevel;
  note?: string;
}

/** The result of one confidence vote on a leader: `low` of `total` ballots were low confidence. */
export interface ConfidenceVote {
  /** 'YYYY-MM-DD' */
  date: string;
  low: number;
  total: number;
}

/** A vote of a deciding collective on a case. */
export type VoteChoice = 'approve' | 'reject';

/** Status of a case as the API shows it. */
export type CaseStatus = 'open' | 'approved' | 'rejected' | 'completed' | 'withdrawn';

/** Thresholds of the automatic replacement proposals (domain.md "Replacement cases"). */
export interface TriggerRules {
  /** Annual D this many years in a row proposes a replacement (2; the law's rule). */
  consecutiveDYears: number;
  /** Monthly D this many months in a row (default 2). */
  consecutiveDMonths: number;
  /** Monthly D this many times inside any window of {@link dMonthsWindowMonths} months (default 3). */
  dMonthsIn12: number;
  /** Length of that sliding window, in months (12). */
  dMonthsWindowMonths: number;
  /** Strictly more than this share of low-confidence ballots (2/3). */
  lowConfidenceShare: number;
  /** This many discipline decisions in one term (2). */
  disciplinesInTerm: number;
  /** A unit meeting strictly less than this share of its targets (0.7). */
  unitTargetShare: number;
}

/** Tunable case parameters; see {@link DEFAULT_CASE_RULES} for the values. */
export interface CaseRules {
  /** Shortest rotation term, in months (default 36). */
  minRotationTermMonths: number;
  /** Longest secondment, in months (36); kept for a future secondment kind. */
  maxSecondmentMonths: number;
  /** No move with fewer than this many months left before retirement (18). */
  retirementNoPositionChangeMonths: number;
  /** A rotation into a head or deputy post needs this many years before retirement (default 10). */
  leaderRotationMinServiceYearsLeft: number;
  /** A sensitive position held this many months is due for a change (24). */
  positionChangeDueMonths: number;
  /** … and overdue at this many months (default 60). */
  positionChangeOverdueMonths: number;
  /** Working days for the opinions of the sending head, receiving head and person (default 5). */
  opinionWorkingDays: number;
  /** Working days for the deciding collective's vote on a move, from the end of the opinions (default 10). */
  moveDecisionWorkingDays: number;
  /** Working days after the effective date for handover and receipt (default 10). */
  handoverWorkingDays: number;
  /** Working days for a leader's written explanation in a replacement (10). */
  explanationWorkingDays: number;
  /** Working days from opening for HR's replacement proposal (10). */
  proposalWorkingDays: number;
  /** Working days for the collective's replacement decision (10). */
  replacementDecisionWorkingDays: number;
  /** … when extended once (15). */
  replacementDecisionExtendedWorkingDays: number;
  /** The end-of-rotation review falls this many days before the term ends (60). */
  endOfTermReviewDaysBefore: number;
  triggers: TriggerRules;
}

/** The defaults of domain.md; frozen so no caller mutates them. */
export const DEFAULT_CASE_RULES: CaseRules = Object.freeze({
  minRotationTermMonths: 36,
  maxSecondmentMonths: 36,
  retirementNoPositionChangeMonths: 18,
  leaderRotationMinServiceYearsLeft: 10,
  positionChangeDueMonths: 24,
  positionChangeOverdueMonths: 60,
  opinionWorkingDays: 5,
  moveDecisionWorkingDays: 10,
  handoverWorkingDays: 10,
  explanationWorkingDays: 10,
  proposalWorkingDays: 10,
  replacementDecisionWorkingDays: 10,
  replacementDecisionExtendedWorkingDays: 15,
  endOfTermReviewDaysBefore: 60,
  triggers: Object.freeze({
    consecutiveDYears: 2,
    consecutiveDMonths: 2,
    dMonthsIn12: 3,
    dMonthsWindowMonths: 12,
    lowConfidenceShare: 2 / 3,
    disciplinesInTerm: 2,
    unitTargetShare: 0.7,
  }),
}) as CaseRules;
