/**
 * The shapes activities take and return. Workflows import these as types only; one object
 * parameter per activity so fields can be added without breaking running workflows.
 */
import type { Deadlines } from '../domain/calendar';
import type { Cap } from '../domain/caps';
import type { RulesConfig } from '../domain/config';
import type { Grade, Role, Scores } from '../domain/types';
import type { CaseView } from './case-messages';
import type { ComplaintView, CycleView, EscalationView, HistoryEntry, MemberStatus, PlanTask } from './messages';

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  subject: string;
  payload?: Record<string, unknown>;
}

export interface Notification {
  /** Unique per message: delivery is keyed by it, so a retried activity never sends twice. */
  key: string;
  /** A person id, or `hr` for everyone holding the HR role. */
  recipientId: string;
  subject: string;
  body: string;
}

export interface OpenStep {
  stepKey: string;
  ownerId: string;
  kind: string;
  dueAt: string | null;
  link: string;
}

/** Side records that travel with every snapshot, written in the same transaction. */
export interface SideRecords {
  workflowId: string;
  version: number;
  escalations: EscalationView[];
  openSteps: OpenStep[];
  audit: AuditEntry[];
  notifications: Notification[];
}

export interface EvaluationRow {
  period: string;
  personId: string;
  unitId: string;
  reviewerId: string | null;
  status: MemberStatus;
  plan: PlanTask[] | null;
  selfScores: Scores | null;
  selfComment: string | null;
  reviewScores: Scores | null;
  reviewComment: string | null;
  total: number | null;
  proposedGrade: Grade | null;
  missed: string[];
  history: HistoryEntry[];
  deadlines: Pick<Deadlines, 'plan' | 'selfAssessment' | 'review'>;
}

export interface SaveEvaluationInput extends SideRecords {
  row: EvaluationRow;
  /** Set once the evaluation's steps are over: marks the row closed and counts the unit's open ones. */
  closing?: boolean;
}

/** What a closing write learned: how many evaluations of the same unit and period are still open. */
export interface ClosingWrite {
  openInUnit: number;
}

export interface FinalLine {
  personId: string;
  finalGrade: Grade | null;
  caps: Cap[];
}

export interface SaveCycleInput extends SideRecords {
  view: Omit<CycleView, 'members' | 'complaints' | 'escalations'>;
  /** Who the cycle settles, with their reviewer: the API lists them before their evaluations report in. */
  members: { personId: string; reviewerId: string | null }[];
  /** Final grades to write onto the members' evaluation rows (on publish and on a complaint's change). */
  finals: FinalLine[];
  /** Insert a pending row for each member whose evaluation has not reported yet (once its workflow exists). */
  seedEvaluations?: boolean;
  /** When the cycle locked, by the workflow's clock (the activity's own clock may run late, or differ under test time skipping). */
  lockedAt?: string | null;
  complaints: ComplaintView[];
}

export interface MemberContext {
  personId: string;
  fullName: string;
  role: Role;
  personUnitId: string;
  reviewerId: string | null;
}

/** Everything a cycle needs from the directory, read once at its start so the workflow stays deterministic. */
export interface CycleContext {
  unitId: string;
  unitName: string;
  period: string;
  profileId: string;
  rules: RulesConfig;
  holidays: string[];
  defaults: Deadlines;
  headId: string | null;
  collective: string[];
  /** reviewerOf() for every leader a ladder can pass through: this unit's, its subordinates' heads and every ancestor's head. */
  chain: Record<string, string | null>;
  members: MemberContext[];
}

export interface CapFactsRow {
  personId: string;
  disciplinedInMonth: boolean;
  leaveWorkingDays: number;
  workingDaysInMonth: number;
  isLeader: boolean;
  /** People this leader leads who are members of the same cycle. */
  ledInCycle: string[];
  /** Someone they lead outside this cycle (a subordinate unit's staff) is D this month. */
  ledOutsideIsD: boolean;
}

/** A case snapshot: the view the API shows, plus who may read it and the proposal it came from. */
export interface SaveCaseInput extends SideRecords {
  row: CaseView & { actorIds: string[]; proposalId: string | null };
}
