/**
 * The state of one case and the named ways it changes: steps opened and finished, the decision
 * issued, the status shown to search, and every change recorded for the read model. The handlers
 * and the phases share one instance; none of its methods waits.
 */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { AuditEntry, Notification, OpenStep } from '../../contracts/snapshots';
import { localDate, workingDaysAfter } from '../../domain/calendar';
import type { CaseRules, CaseStatus, VoteChoice } from '../../domain/cases';
import type { RulesConfig } from '../../domain/config';
import { majorityOutcome, type Ballot } from '../../domain/votes';
import type {
  CaseDecision,
  CaseInput,
  CaseParties,
  CaseRequest,
  CaseStep,
  CaseView,
  StepOutcome,
} from '../../contracts/case-messages';
import { SEARCH } from '../../contracts/messages';
import { Escalations, escalationNotice, now, ReadModelWriter } from '../steps';
import { saveCase } from './activities';
import { HR_ACTOR } from '../../domain/actors';

/** HR's proposal on a replacement, as `submitProposal` carries it. */
export interface Proposal {
  recommendation: 'replace' | 'keep';
  actingPersonId?: string;
  placementUnitId?: string;
  note?: string;
}

/** How a step ends: who closed it, with what outcome, and an optional note. */
export interface Finish {
  by: string;
  outcome: StepOutcome;
  note?: string;
}

export class CaseState {
  readonly workflowId: string;
  readonly input: CaseInput;
  readonly request: CaseRequest;
  readonly parties: CaseParties;
  readonly rules: RulesConfig;
  readonly caseRules: CaseRules;
  readonly holidays: string[];
  readonly personId: string;
  readonly link: string;
  readonly createdAt: string;

  status: CaseStatus = 'open';
  /** The step now waiting (or a phase name), `closed` at the end. */
  current = 'opening';
  readonly steps: CaseStep[] = [];
  /** The open vote's ballots (moves only). */
  readonly ballots: Ballot[] = [];
  totals: { approve: number; reject: number; of: number };
  decision: CaseDecision | null = null;
  proposal: Proposal | null = null;
  /** The escalations opened for each step, closed when the step is done. */
  private readonly stepEscalations = new Map<string, string[]>();

  readonly escalations: Escalations;
  readonly writes: ReadModelWriter;

  constructor(input: CaseInput) {
    this.workflowId = workflowInfo().workflowId;
    this.input = input;
    this.request = input.request;
    this.parties = input.parties;
    this.rules = input.rules;
    this.caseRules = input.caseRules;
    this.holidays = input.holidays;
    this.personId = input.request.personId;
    this.link = `/v1/cases/${input.caseId}`;
    this.createdAt = now();
    this.totals = { approve: 0, reject: 0, of: input.parties.collective.length };

    this.escalations = new Escalations(
      () => this.rules,
      () => this.holidays,
      (esc, event) => {
        const notes = escalationNotice(this.workflowId, esc, event, {
          subject: `Escalation: missed ${esc.kind} on case ${input.caseId} (${this.request.kind} of ${this.personId})`,
          body: `The ${esc.kind} step of case ${input.caseId} was missed. Please decide by ${esc.dueAt} at /v1/escalations/${esc.id}/decision.`,
        });
        this.persist([this.audit(`escalation.${event}`, esc.decision?.by ?? 'system', { escalation: esc })], notes);
      },
    );

    this.writes = new ReadModelWriter(async ({ version, audit: entries, notifications }) => {
      const actorIds = [
        ...new Set([
          this.personId,
          ...this.steps.flatMap((s) => s.actorIds),
          ...this.escalations.items.flatMap((e) => e.trail.map((t) => t.targetId)),
        ]),
      ];
      await saveCase({
        workflowId: this.workflowId,
        version,
        row: { ...this.view(), actorIds, proposalId: input.proposalId },
        escalations: this.escalations.items,
        openSteps: this.openSteps(),
        audit: entries,
        notifications,
      });
    });
  }

  withdrawn(): boolean {
    return this.status === 'withdrawn';
  }

  step(name: string): CaseStep | undefined {
    return this.steps.find((s) => s.name === name);
  }

  /** The case as `getCase` answers and the read model stores it. */
  view(): CaseView {
    return {
      id: this.input.caseId,
      kind: this.request.kind,
      personId: this.personId,
      status: this.status,
      step: this.current,
      steps: this.steps.map((s) => ({ ...s })),
      votes: { ...this.totals },
      ...(this.request.kind === 'replacement' ? {} : { ballots: [...this.ballots] }),
      decision: this.decision,
      request: this.request,
      parties: this.parties,
      escalations: this.escalations.items,
      createdAt: this.createdAt,
    };
  }

  /** What the case owes whom: its open steps (an open vote only from those who have not voted) and open escalations. */
  openSteps(): OpenStep[] {
    const owed: OpenStep[] = [];
    for (const s of this.steps.filter((x) => x.doneAt === null && !this.withdrawn())) {
      const owners =
        s.name === 'vote' && this.request.kind !== 'replacement'
          ? s.actorIds.filter((id) => !this.ballots.some((b) => b.voterId === id))
          : s.actorIds;
      for (const ownerId of owners)
        owed.push({ stepKey: s.name, ownerId, kind: `case:${s.name}`, dueAt: s.dueAt, link: this.link });
    }
    owed.push(...this.escalations.openSteps());
    return owed;
  }

  /** Records a change for the read model; returns the snapshot version that will carry it. */
  persist(entries: AuditEntry[] = [], notifications: Notification[] = []): number {
    return this.writes.record(entries, notifications);
  }

  audit(action: string, actor: string, payload: Record<string, unknown> = {}): AuditEntry {
    return { at: now(), actor, action: `case.${action}`, subject: this.workflowId, payload };
  }

  setStatus(next: CaseStatus): void {
    this.status = next;
    upsertSearchAttributes([{ key: SEARCH.phase, value: next }]);
  }

  /** Adds a step and tells its actors it waits for them; the engine's own steps (decision, move) have none. */
  open(name: string, actorIds: string[], dueAt: string | null): CaseStep {
    const s: CaseStep = { name, actorIds, dueAt, doneAt: null, by: null, outcome: null };
    this.steps.push(s);
    this.current = name;
    this.persist(
      [this.audit('step-opened', 'system', { step: name, actorIds, dueAt })],
      actorIds.map((recipientId) => ({
        key: `${this.workflowId}:open:${name}:${recipientId}`,
        recipientId,
        subject: `Case ${this.input.caseId}: ${name} is waiting for you`,
        body: `The ${this.request.kind} case of ${this.personId} needs your ${name}${dueAt ? ` by ${dueAt}` : ''}. Open ${this.link}.`,
      })),
    );
    return s;
  }

  /** Closes a step, and the escalations still open for it. */
  finish(s: CaseStep, { by, outcome, note }: Finish): void {
    s.doneAt = now();
    s.by = by;
    s.outcome = outcome;
    if (note) s.note = note;
    for (const id of this.stepEscalations.get(s.name) ?? []) {
      const esc = this.escalations.find(id);
      if (esc && esc.status === 'open') esc.status = 'closed';
    }
  }

  /** Files an escalation under its step, so finishing the step closes it. */
  escalationOpened(stepName: string, escalationId: string): void {
    this.stepEscalations.set(stepName, [...(this.stepEscalations.get(stepName) ?? []), escalationId]);
  }

  /** The reminder to a step's actors, for `awaitStep`. */
  remind(s: CaseStep): (at: string, deadline: string) => Promise<void> {
    return async (at, deadline) => {
      this.persist(
        [],
        s.actorIds.map((recipientId) => ({
          key: `${this.workflowId}:reminder:${s.name}:${recipientId}:${deadline}:${at}`,
          recipientId,
          subject: `Reminder: ${s.name} on case ${this.input.caseId} due ${deadline}`,
          body: `The ${s.name} of the ${this.request.kind} case of ${this.personId} is due at ${deadline}. Open ${this.link}.`,
        })),
      );
    };
  }

  /** The escalation ladder above an actor, as the parties were computed when the case opened (HR's is HR). */
  ladderOf(actorId: string): string[] {
    return actorId === HR_ACTOR ? [HR_ACTOR] : (this.parties.ladders[actorId] ?? [HR_ACTOR]);
  }

  /** The deadline `workingDays` working days from now. */
  due(workingDays: number): string {
    return workingDaysAfter(now(), workingDays, this.holidays, this.rules);
  }

  /** The secret ballot's outcome from its totals; `castingVote` is the chair's side at exactly half. */
  ballotOutcome(approve: number, reject: number, castingVote?: VoteChoice): 'approved' | 'rejected' | null {
    return majorityOutcome({ approve, reject }, this.parties.collective.length, castingVote);
  }

  /** Issues the decision as the engine's own step and moves the status on. */
  issue(outcome: 'approved' | 'rejected', extra: Partial<CaseDecision> = {}): void {
    this.decision = { outcome, number: `QĐ-${this.input.caseId}`, date: localDate(now()), ...extra };
    const s = this.open('decision', [], null);
    this.finish(s, { by: 'system', outcome });
    this.setStatus(outcome === 'approved' ? 'approved' : 'rejected');
    this.persist([this.audit('decision', 'system', { decision: this.decision, votes: this.totals })]);
  }
}
