/**
 * Every update, signal and query of the evaluation processes, defined once, next to the task
 * queue and the workflow-ID helpers, so that the API, the workflows and the tests agree.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Deadlines } from '../domain/calendar';
import type { Cap } from '../domain/caps';
import type { Grade, Scores } from '../domain/types';

export const TASK_QUEUE = 'evaluations';

/**
 * Search attributes the workflows set, so an operator finds any cycle, evaluation or case in the
 * Temporal UI. Evaluations set all but `Phase` (theirs is in the read model; docs/benchmarks.md).
 */
export const SEARCH = {
  unitId: defineSearchAttributeKey('UnitId', SearchAttributeType.KEYWORD),
  period: defineSearchAttributeKey('Period', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('Phase', SearchAttributeType.KEYWORD),
  personId: defineSearchAttributeKey('PersonId', SearchAttributeType.KEYWORD),
  caseKind: defineSearchAttributeKey('CaseKind', SearchAttributeType.KEYWORD),
};

export const cycleWorkflowId = (unitId: string, period: string): string => `cycle:${unitId}:${period}`;
export const evaluationWorkflowId = (period: string, personId: string): string => `eval:${period}:${personId}`;

/** Who is acting: a person of the directory (or `admin` for the bootstrap token) and the explicit roles of their token. */
export interface Actor {
  id: string;
  roles: string[];
}

export type MemberStatus = 'pending' | 'planned' | 'self-assessed' | 'reviewed' | 'decided';
export type CyclePhase = 'starting' | 'open' | 'deliberation' | 'published' | 'locked';
export type EscalationKind =
  | 'self-assessment'
  | 'review'
  | 'deliberation'
  | 'complaint'
  // case steps
  | 'opinion'
  | 'vote'
  | 'handover'
  | 'receipt'
  | 'explanation'
  | 'proposal'
  | 'term-review';
export type EscalationAction = 'extend' | 'take-over' | 'reassign' | 'accept-default';

export interface PlanTask {
  title: string;
  target: string;
}

export interface HistoryEntry {
  step: string;
  by: string;
  at: string;
  note?: string;
}

export interface EscalationView extends Versioned {
  id: string;
  kind: EscalationKind;
  personId: string;
  unitId: string;
  period: string;
  level: number;
  targetId: string;
  dueAt: string;
  status: 'open' | 'decided' | 'defaulted' | 'closed';
  createdAt: string;
  decision: null | {
    action: EscalationAction;
    by: string;
    at: string;
    until?: string;
    assigneeId?: string;
    note?: string;
  };
  trail: { level: number; targetId: string; at: string }[];
}

/** Carried by every command's answer: the API waits until its read model has reached this version. */
export interface Versioned {
  readModelVersion?: number;
}

/** One member's line of a cycle, as the API shows it. */
export interface MemberLine extends Versioned {
  personId: string;
  status: MemberStatus;
  reviewerId: string | null;
  selfScores: Scores | null;
  reviewScores: Scores | null;
  total: number | null;
  proposedGrade: Grade | null;
  finalGrade: Grade | null;
  caps: Cap[];
}

export interface EvaluationView extends MemberLine {
  period: string;
  unitId: string;
  plan: PlanTask[] | null;
  selfComment: string | null;
  reviewComment: string | null;
  deadlines: Pick<Deadlines, 'plan' | 'selfAssessment' | 'review'>;
  missed: string[];
  history: HistoryEntry[];
  escalations: EscalationView[];
}

/** What an evaluation hands back to its cycle once reviewed (or closed without a review). */
export interface EvaluationResult {
  personId: string;
  selfScores: Scores | null;
  reviewScores: Scores | null;
  total: number | null;
  proposedGrade: Grade | null;
  reviewerId: string | null;
}

export interface DecisionLine {
  personId: string;
  grade: Grade | null;
  rationale?: string;
}

export interface ComplaintView extends Versioned {
  id: string;
  personId: string;
  reason: string;
  status: 'open' | 'resolved';
  outcome: 'upheld' | 'changed' | null;
  grade: Grade | null;
  rationale: string | null;
  resolvedBy: string | null;
  dueAt: string;
  createdAt: string;
  resolvedAt: string | null;
}

export interface CycleView extends Versioned {
  unitId: string;
  period: string;
  phase: CyclePhase;
  profileId: string;
  deadlines: Deadlines;
  headId: string | null;
  collective: string[];
  outstanding: boolean;
  deliberation: null | {
    putBy: string;
    putAt: string;
    decisions: DecisionLine[];
    approvals: string[];
    pending: { personId: string; approvals: number; needed: number }[];
  };
  publishedAt: string | null;
  complaintWindowEndsAt: string | null;
  members: MemberLine[];
  complaints: ComplaintView[];
  escalations: EscalationView[];
}

// Evaluation (one person, one month)
export const submitPlan = defineUpdate<MemberLine, [{ actor: Actor; tasks: PlanTask[] }]>('submitPlan');
export const submitSelfAssessment = defineUpdate<MemberLine, [{ actor: Actor; scores: Scores; comment?: string }]>(
  'submitSelfAssessment',
);
export const submitReview = defineUpdate<MemberLine, [{ actor: Actor; scores: Scores; comment?: string }]>(
  'submitReview',
);
export const getEvaluation = defineQuery<EvaluationView>('getEvaluation');
/**
 * Sent when a case moves or replaces the person, or their reviewer: the review still owed goes to
 * `reviewerId`, and escalations climb the new chain.
 */
export const rerouteEvaluation =
  defineSignal<
    [{ caseId: string; reviewerId: string | null; chain: Record<string, string | null>; collective: string[] }]
  >('rerouteEvaluation');
/** Sent by the cycle when an admin overrides the cycle's deadlines. */
export const deadlinesChanged = defineSignal<[{ deadlines: Partial<Deadlines> }]>('deadlinesChanged');

// Both workflows: the escalations they raised are decided on the workflow that raised them.
export const decideEscalation = defineUpdate<
  EscalationView,
  [{ actor: Actor; escalationId: string; action: EscalationAction; until?: string; assigneeId?: string; note?: string }]
>('decideEscalation');

// Cycle (one unit, one month)
export const openCycle = defineUpdate<{ created: boolean; view: CycleView }, [{ requestId: string }]>('openCycle');
/** `complaints` moves the end of the complaint window, once results are published. */
export const overrideDeadlines = defineUpdate<
  CycleView,
  [{ actor: Actor; deadlines: Partial<Deadlines> & { complaints?: string } }]
>('overrideDeadlines');
export const putDeliberation = defineUpdate<CycleView, [{ actor: Actor; decisions: DecisionLine[] }]>(
  'putDeliberation',
);
export const approveDeliberation = defineUpdate<CycleView, [{ actor: Actor }]>('approveDeliberation');
export const setOutstanding = defineUpdate<CycleView, [{ actor: Actor; outstanding: boolean; rationale: string }]>(
  'setOutstanding',
);
export const fileComplaint = defineUpdate<ComplaintView, [{ actor: Actor; personId: string; reason: string }]>(
  'fileComplaint',
);
export const resolveComplaint = defineUpdate<
  ComplaintView,
  [{ actor: Actor; complaintId: string; outcome: 'upheld' | 'changed'; grade?: Grade; rationale: string }]
>('resolveComplaint');
export const getCycle = defineQuery<CycleView>('getCycle');

/** What the deliberation's rules say of a list before it is put: a dry run that changes nothing. */
export interface DeliberationCheck {
  /** Why this actor may not put a list now at all (rights or phase), as the update would refuse it. */
  refusal: null | { type: 'forbidden' | 'wrong_phase'; message: string; phase: string };
  /** Every rule the list breaks (domain/deliberation.ts `Breach`), empty when it may be put. */
  breaches: ({ rule: string; personId?: string; message: string } & Record<string, unknown>)[];
  /** The A quota: members rated this month (by their caps), A given among them, and A allowed. */
  quota: { rated: number; given: number; allowed: number; outstanding: boolean };
  /** Per member, the best grade the caps allow under this list (null: not rated) and why. */
  caps: { personId: string; maxGrade: Grade | null; caps: Cap[] }[];
}
export const checkDeliberationList = defineQuery<DeliberationCheck, [{ actor: Actor; decisions: DecisionLine[] }]>(
  'checkDeliberationList',
);
/**
 * Sent to its cycle by the evaluation whose closing write found none of the unit's evaluations
 * still open; the cycle checks the read model before it moves on.
 */
export const evaluationsClosed = defineSignal<[{ personId: string }]>('evaluationsClosed');
