/**
 * What one unit's month knows while it runs: the directory it loaded, the deadlines, each
 * member's result and final grade, the deliberation list, the complaints and the escalations,
 * with the read-model writer that flushes it. Phases and handlers change it only through here.
 */
import { upsertSearchAttributes, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { AuditEntry, CapFactsRow, CycleContext, FinalLine, Notification } from '../../contracts/snapshots';
import type { Deadlines } from '../../domain/calendar';
import type { Cap } from '../../domain/caps';
import { ErrorType } from '../../domain/errors';
import type { Grade } from '../../domain/types';
import {
  SEARCH,
  type ComplaintView,
  type CyclePhase,
  type DecisionLine,
  type EvaluationResult,
} from '../../contracts/messages';
import type { evaluationWorkflow } from '../evaluation';
import { Escalations, escalationNotice, now, ReadModelWriter, refuse, saveCycle } from '../steps';
import { cycleSnapshot } from './view';

export interface CycleInput {
  unitId: string;
  period: string;
  /** Lets `openCycle` tell the caller that started the cycle from one that found it running. */
  requestId: string;
  openedBy: string;
  overrides?: Partial<Deadlines>;
}

/** The deliberation list as put, with who approved it so far. */
export interface DeliberationList {
  putBy: string;
  putAt: string;
  decisions: DecisionLine[];
  approvals: string[];
}

/** One change for the read model: what to audit and notify, final grades to write, whether to seed the members' rows. */
export interface CycleChange {
  audit?: AuditEntry[];
  notify?: Notification[];
  finals?: FinalLine[];
  seedEvaluations?: boolean;
}

/** A step of the month: does its work, then hands over to the next one in the same turn. */
export type Phase = (cycle: CycleState, next: () => Promise<void>) => Promise<void>;

export class CycleState {
  readonly workflowId = workflowInfo().workflowId;
  readonly link: string;

  phase: CyclePhase = 'starting';
  ctx: CycleContext | null = null;
  deadlines: Deadlines | null = null;
  outstanding = false;
  childrenStarted = false;
  lockedAt: string | null = null;

  /** The evaluations started, by person. */
  readonly children = new Map<string, ChildWorkflowHandle<typeof evaluationWorkflow>>();
  /** Each member's result once their evaluation closed. */
  readonly results = new Map<string, EvaluationResult>();
  /** Evaluations that ended before the cycle closed (an operator, or a worker without `learnsFromReadModel`). */
  readonly endedEarly = new Map<string, EvaluationResult>();
  /** The last evaluation to close signals it; the wait for results then reads the read model. */
  closedSignal = false;
  childFailure: unknown = null;

  capFacts = new Map<string, CapFactsRow>();
  putterId: string | null = null;
  putterDecidesAlone = false;
  list: DeliberationList | null = null;
  decided = false;
  readonly finals = new Map<string, { grade: Grade | null; caps: Cap[] }>();
  publishedAt: string | null = null;

  windowEndsAt: string | null = null;
  complaintResolverId: string | null = null;
  readonly complaints: ComplaintView[] = [];

  readonly escalations: Escalations;
  readonly writes: ReadModelWriter;
  // Final grades and the seeding of evaluation rows wait for the next flush with the rest.
  private readonly pendingFinals = new Map<string, FinalLine>();
  private pendingSeed = false;

  constructor(
    readonly input: CycleInput,
    readonly options: { learnsFromReadModel: boolean },
  ) {
    this.link = `/v1/cycles/${input.unitId}/${input.period}`;
    this.escalations = new Escalations(
      () => this.context().rules,
      () => this.context().holidays,
      (esc, event) => {
        const notes = escalationNotice(this.workflowId, esc, event, {
          subject: `Escalation: missed ${esc.kind} in ${input.unitId} (${input.period})`,
          body: `The ${esc.kind} step of ${input.unitId} for ${input.period} was missed. Please decide by ${esc.dueAt} at /v1/escalations/${esc.id}/decision.`,
        });
        this.persist({
          audit: [this.entry(esc.decision?.by ?? 'system', `escalation.${event}`, { escalation: esc })],
          notify: notes,
        });
      },
    );
    this.writes = new ReadModelWriter(async (batch) => {
      await saveCycle(cycleSnapshot(this, batch));
    });
  }

  /** The directory as loaded at the start; refused while the cycle is still loading it. */
  context(): CycleContext {
    if (!this.ctx) refuse(ErrorType.WrongPhase, 'The cycle is still starting.', { phase: this.phase });
    return this.ctx;
  }

  /** Moves to a phase, and tells the visibility store. */
  enter(next: CyclePhase): void {
    this.phase = next;
    upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  }

  /** The search attributes the cycle is found by, before its first command. */
  announce(): void {
    upsertSearchAttributes([
      { key: SEARCH.unitId, value: this.input.unitId },
      { key: SEARCH.period, value: this.input.period },
      { key: SEARCH.phase, value: this.phase },
    ]);
  }

  /** An audit entry about this cycle, at the workflow's time. */
  entry(actor: string, action: string, payload?: Record<string, unknown>): AuditEntry {
    return { at: now(), actor, action, subject: this.workflowId, ...(payload === undefined ? {} : { payload }) };
  }

  /** Records a change for the next flush; returns the read-model version that will carry it. */
  persist(change: CycleChange = {}): number {
    for (const f of change.finals ?? []) this.pendingFinals.set(f.personId, f);
    this.pendingSeed ||= change.seedEvaluations ?? false;
    return this.writes.record(change.audit ?? [], change.notify ?? []);
  }

  /** The final grades and the seeding recorded since the last flush, handed to it once. */
  takePending(): { finals: FinalLine[]; seedEvaluations: boolean } {
    const finals = [...this.pendingFinals.values()];
    this.pendingFinals.clear();
    const seedEvaluations = this.pendingSeed;
    this.pendingSeed = false;
    return { finals, seedEvaluations };
  }
}
