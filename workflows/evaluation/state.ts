/**
 * What one evaluation knows while it runs: its input, its phase, what was filed, its escalations,
 * and the read-model writer that carries each change to Postgres. The handlers and the steps change
 * it; the queries and the read-model row (views.ts) read it.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { AuditEntry, Notification } from '../../contracts/snapshots';
import { reminderTimes, selfAssessmentOpensAt, type Deadlines } from '../../domain/calendar';
import type { RulesConfig } from '../../domain/config';
import { ErrorType } from '../../domain/errors';
import { cycleProfile, validateScores, type ScoringProfile } from '../../domain/scoring';
import type { Grade, Role, Scores } from '../../domain/types';
import { SEARCH, type Actor, type HistoryEntry, type MemberStatus, type PlanTask } from '../../contracts/messages';
import { Escalations, escalationNotice, now, ReadModelWriter, refuse, saveEvaluation } from '../steps';
import { auditEntry, escalationText, reminder, type StepKey } from './documents';
import { evaluationRow, openSteps } from './views';

export interface EvaluationInput {
  period: string;
  personId: string;
  /** The unit whose collective settles this person. */
  unitId: string;
  role: Role;
  reviewerId: string | null;
  /** reviewerOf() for the leaders an escalation can climb through. */
  chain: Record<string, string | null>;
  /** The settling unit's leadership collective: who a review may be reassigned to. */
  collective: string[];
  deadlines: Deadlines;
  holidays: string[];
  profileId: string;
  /** The rules when the cycle started; inputs recorded before a rule was added lack it (domain/calendar.ts gives its default). */
  rules: RulesConfig;
  /**
   * Set by cycles started with `cycle-learns-reviews-from-read-model`: once its steps are over the
   * evaluation marks its row closed and stays open (answering queries) until its cycle closes,
   * instead of completing and waking the cycle with every review (docs/benchmarks.md).
   */
  closesWithCycle?: boolean;
}

export type Phase = 'plan' | 'waiting' | 'self-assessment' | 'review' | 'done';

/** The deadlines of the evaluation's own steps; moved in place (admin override, extension, new review deadline). */
export type StepDeadlines = Pick<Deadlines, StepKey>;

/** The state of one evaluation, with the few changes every part of it makes the same way. */
export class Evaluation {
  readonly profile: ScoringProfile;
  readonly link: string;
  readonly deadlines: StepDeadlines;
  phase: Phase = 'plan';
  status: MemberStatus = 'pending';
  reviewerId: string | null;
  // Replaced by a reroute when a case moves someone while the month is open.
  chain: Record<string, string | null>;
  collective: string[];
  plan: PlanTask[] | null = null;
  selfScores: Scores | null = null;
  selfComment: string | null = null;
  reviewScores: Scores | null = null;
  reviewComment: string | null = null;
  total: number | null = null;
  proposedGrade: Grade | null = null;
  readonly missed: string[] = [];
  readonly history: HistoryEntry[] = [];
  /** A closing write found no evaluation of the unit still open: this one wakes the cycle. */
  lastOfUnit = false;
  readonly escalations: Escalations;
  readonly writes: ReadModelWriter;
  /** Whether `enter` upserts the phase as a search attribute (set once by {@link announce}). */
  private phaseSearchable = false;

  constructor(
    readonly input: EvaluationInput,
    readonly workflowId: string,
  ) {
    this.profile = cycleProfile(input.profileId, input.period);
    this.link = `/v1/evaluations/${input.period}/${input.personId}`;
    this.deadlines = {
      plan: input.deadlines.plan,
      selfAssessment: input.deadlines.selfAssessment,
      review: input.deadlines.review,
    };
    this.reviewerId = input.reviewerId;
    this.chain = input.chain;
    this.collective = input.collective;
    this.escalations = new Escalations(
      () => input.rules,
      () => input.holidays,
      (esc, event) => {
        const notes = escalationNotice(workflowId, esc, event, escalationText(input, esc));
        this.persist(
          [
            auditEntry(this, `escalation.${event}`, {
              actor: esc.decision?.by ?? 'system',
              payload: { escalation: esc },
            }),
          ],
          notes,
        );
      },
    );
    this.writes = new ReadModelWriter(async ({ version, audit, notifications }) => {
      const row = evaluationRow(this);
      const written = await saveEvaluation({
        workflowId,
        version,
        row,
        escalations: this.escalations.items,
        openSteps: openSteps(this),
        audit,
        notifications,
        ...(input.closesWithCycle && this.phase === 'done' ? { closing: true } : {}),
      });
      if (written?.openInUnit === 0) this.lastOfUnit = true;
    });
  }

  /** Records a change for the read model; returns the snapshot version that will carry it. */
  persist(audit: AuditEntry[] = [], notifications: Notification[] = []): number {
    return this.writes.record(audit, notifications);
  }

  /** A filing by `actor`: one more history line, and the audit entry that goes with it. */
  recordStep(step: string, actor: Actor, payload: Record<string, unknown>): AuditEntry {
    this.history.push({ step, by: actor.id, at: now() });
    return { at: now(), actor: actor.id, action: `evaluation.${step}`, subject: this.workflowId, payload };
  }

  /**
   * Upserts the search attributes the evaluation is found by. An evaluation's phase is in the read
   * model (the API shows it); in Temporal's visibility store each change of it was one more write on
   * the server per submission (docs/benchmarks.md). Workflows started before that change
   * keep upserting it (`phaseSearchable`), as their histories say.
   */
  announce(opts: { phaseSearchable: boolean }): void {
    this.phaseSearchable = opts.phaseSearchable;
    upsertSearchAttributes([
      { key: SEARCH.unitId, value: this.input.unitId },
      { key: SEARCH.period, value: this.input.period },
      { key: SEARCH.personId, value: this.input.personId },
      ...(this.phaseSearchable ? [{ key: SEARCH.phase, value: this.phase }] : []),
    ]);
  }

  /** Moves to the next phase. */
  enter(next: Phase): void {
    this.phase = next;
    if (this.phaseSearchable) upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  }

  /** When self-assessment opens, from its current (movable) deadline. */
  selfOpensAt(): string {
    return selfAssessmentOpensAt(this.deadlines.selfAssessment, this.input.holidays, this.input.rules);
  }

  /** The reminder times of a step due at `deadline`. */
  readonly reminders = (deadline: string): string[] => reminderTimes(deadline, this.input.holidays, this.input.rules);

  /** The reminder routine of a step: each reminder goes to the step's current owner, if any. */
  remind(stepKey: StepKey, ownerId: () => string | null) {
    return async (at: string, deadline: string): Promise<void> => {
      const owner = ownerId();
      if (!owner) return;
      this.persist([], [reminder(this, { stepKey, recipientId: owner, at, deadline })]);
    };
  }

  openEscalation(kind: string): boolean {
    return this.escalations.items.some((e) => e.kind === kind && e.status === 'open');
  }

  closeOpen(kind: string): void {
    for (const e of this.escalations.items) if (e.status === 'open' && e.kind === kind) e.status = 'closed';
  }

  /** Refuses scores that do not fit the evaluation's profile. */
  checkScores(scores: Scores): void {
    const issues = validateScores(this.profile, scores);
    if (issues.length > 0)
      refuse(ErrorType.BadInput, `The scores do not fit profile ${this.profile.id}.`, { fields: issues });
  }
}
