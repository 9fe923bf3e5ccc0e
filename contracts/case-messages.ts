/**
 * The updates and queries of a case (move or replacement), its view as the API shows it, and the
 * input the API starts it with; defined once so that the API, the workflow and the tests agree.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { RulesConfig } from '../domain/config';
import type { CaseKind, CaseRules, CaseStatus, MoveKind, VoteChoice, Waiver } from '../domain/cases';
import type { Parties } from '../domain/parties';
import type { Role } from '../domain/types';
import type { Actor, EscalationView, Versioned } from './messages';

export const caseWorkflowId = (caseId: string): string => `case:${caseId}`;

/** The API's ballot box: the only sender of a secret ballot's totals (never a voter). */
export const BALLOT_BOX: Actor = { id: 'ballot-box', roles: [] };

/** A move as HR asked for it (the validated `POST /v1/cases` body). */
export interface MoveRequest {
  kind: MoveKind;
  personId: string;
  toUnitId: string;
  toRole: Role;
  effectiveDate: string;
  termMonths?: number | null;
  reason?: string;
  /** The waivers that lifted a failing rule, as the eligibility check kept them. */
  waivers: Waiver[];
}

/** A replacement as HR asked for it. */
export interface ReplacementRequest {
  kind: 'replacement';
  personId: string;
  reason: string;
}

export type CaseRequest = MoveRequest | ReplacementRequest;

/** Who a case involves, read from the directory when it opens (see `partiesOf`). */
export type CaseParties = Parties;

export interface CaseInput {
  caseId: string;
  request: CaseRequest;
  openedBy: string;
  /** The automatic proposal this case was opened from, if any. */
  proposalId: string | null;
  parties: CaseParties;
  holidays: string[];
  rules: RulesConfig;
  caseRules: CaseRules;
}

export type StepOutcome =
  | 'agree'
  | 'disagree'
  | 'done'
  | 'defaulted'
  | 'approved'
  | 'rejected'
  | 'replace'
  | 'keep'
  | 'return'
  | 'extend'
  | 'appoint'
  | 'moved'
  | 'skipped';

/** One step of a case as `GET /v1/cases/{id}` lists it. */
export interface CaseStep {
  name: string;
  actorIds: string[];
  dueAt: string | null;
  doneAt: string | null;
  by: string | null;
  outcome: StepOutcome | null;
  note?: string;
}

export interface CaseDecision {
  outcome: 'approved' | 'rejected';
  /** Decision number as issued, e.g. `QĐ-<case id>`. */
  number: string;
  /** 'YYYY-MM-DD' (Asia/Ho_Chi_Minh) */
  date: string;
  rationale?: string;
  /** Replacement: who holds the post meanwhile, and where the person goes. */
  actingPersonId?: string;
  placementUnitId?: string;
}

export interface CaseView extends Versioned {
  id: string;
  kind: CaseKind;
  personId: string;
  status: CaseStatus;
  /** Name of the step now waiting, or `closed`. */
  step: string;
  steps: CaseStep[];
  /** Open ballots show voters' choices; a secret ballot shows its totals once closed, never a voter's choice. */
  votes: { approve: number; reject: number; of: number };
  /** Open ballot only: who voted how. */
  ballots?: { voterId: string; vote: VoteChoice }[];
  decision: CaseDecision | null;
  request: CaseRequest;
  parties: CaseParties;
  escalations: EscalationView[];
  createdAt: string;
}

export const submitOpinion = defineUpdate<CaseView, [{ actor: Actor; opinion: 'agree' | 'disagree'; note?: string }]>(
  'submitOpinion',
);
/** An open ballot (moves): the voter and the choice are recorded. */
export const castVote = defineUpdate<CaseView, [{ actor: Actor; vote: VoteChoice }]>('castVote');
/**
 * A secret ballot (replacements) closes with its totals only: the ballots are counted outside the
 * workflow, so no voter's choice is ever in its history. `castingVote` is the chair's open
 * casting vote after an even split.
 */
export const closeBallot = defineUpdate<
  CaseView,
  [{ actor: Actor; approve: number; reject: number; castingVote?: VoteChoice }]
>('closeBallot');
export const confirmHandover = defineUpdate<CaseView, [{ actor: Actor }]>('confirmHandover');
export const confirmReceipt = defineUpdate<CaseView, [{ actor: Actor }]>('confirmReceipt');
export const submitExplanation = defineUpdate<CaseView, [{ actor: Actor; text: string }]>('submitExplanation');
export const submitProposal = defineUpdate<
  CaseView,
  [
    {
      actor: Actor;
      recommendation: 'replace' | 'keep';
      actingPersonId?: string;
      placementUnitId?: string;
      note?: string;
    },
  ]
>('submitProposal');
/** The end-of-term review of a rotation (HR). */
export const submitTermReview = defineUpdate<
  CaseView,
  [{ actor: Actor; recommendation: 'return' | 'extend' | 'appoint'; note?: string }]
>('submitTermReview');
export const withdrawCase = defineUpdate<CaseView, [{ actor: Actor; note: string }]>('withdrawCase');
export const getCase = defineQuery<CaseView>('getCase');
