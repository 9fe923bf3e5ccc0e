/**
 * The machinery both processes share: waiting for a step with its reminders while its deadline
 * may move, and escalations that climb a ladder until someone decides. Deterministic: time comes
 * from the workflow clock, ids from the workflow's seeded uuid.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  patched,
  proxyLocalActivities,
  uuid4,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { AuditEntry, Notification, OpenStep } from '../contracts/snapshots';
import { extensionAllowed, fromMs, toMs, workingDaysAfter } from '../domain/calendar';
import type { RulesConfig } from '../domain/config';
import { DATA_REFUSED, ErrorType } from '../domain/errors';
import type { Actor, EscalationAction, EscalationKind, EscalationView } from '../contracts/messages';
import { ADMIN_ACTOR, HR_ACTOR, HR_ROLE, TOKEN_ACTOR_PREFIX } from '../domain/actors';
import { ladderFrom } from '../domain/scope';

export const now = (): string => fromMs(Date.now());

type Activities = ReturnType<typeof createActivities>;

/**
 * Read-model snapshots go through local activities: no server round trip per write, and the
 * snapshot is not copied into history (measured in docs/benchmarks.md).
 */
export const { saveEvaluation, saveCycle } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

const isDataRefused = (err: unknown): boolean =>
  err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === DATA_REFUSED;

/**
 * Resolves at the next round of condition checks of this activation, once the routines woken by
 * this round have run to their next wait. (`condition` checks its function at once, so the first
 * check must say no.)
 */
function nextConditionRound(): Promise<void> {
  let checked = false;
  return condition(() => {
    if (checked) return true;
    checked = true;
    return false;
  });
}

/**
 * The read model's writer inside a workflow. Changes are recorded synchronously (handlers never
 * wait on I/O, so an update completes in the activation that accepted it, the same way on replay)
 * and one loop flushes the latest snapshot with everything recorded since the last flush: many
 * changes in one activation become one write.
 */
export class ReadModelWriter {
  private version = 0;
  private flushed = 0;
  private audit: AuditEntry[] = [];
  private notifications: Notification[] = [];

  constructor(
    private readonly flush: (batch: {
      version: number;
      audit: AuditEntry[];
      notifications: Notification[];
    }) => Promise<void>,
  ) {}

  /** Records a change; returns the snapshot version that will carry it. */
  record(audit: AuditEntry[] = [], notifications: Notification[] = []): number {
    this.version += 1;
    this.audit.push(...audit);
    this.notifications.push(...notifications);
    return this.version;
  }

  /** The version of the latest change recorded: the read model reflects it once it reaches this version. */
  latest(): number {
    return this.version;
  }

  /** Flushes for the life of the workflow; start it once, without awaiting it. */
  async run(): Promise<void> {
    for (;;) {
      await condition(() => this.flushed < this.version);
      // A command often changes the phase too: the handler records its change, and the main
      // routine, woken by the same activation, records the phase. Waiting one more round of
      // condition checks lets the main routine run first, so both go out in one write, not two
      // (docs/benchmarks.md). Workflows started before this replay their two writes.
      if (patched('read-model-one-write-per-activation')) await nextConditionRound();
      const version = this.version;
      const audit = this.audit.splice(0);
      const notifications = this.notifications.splice(0);
      try {
        await this.flush({ version, audit, notifications });
      } catch (err) {
        // A snapshot refused for its data would be refused on every retry; the activity has
        // raised an alert and the command's caller is told. The process goes on.
        if (!isDataRefused(err)) throw err;
      }
      this.flushed = version;
    }
  }

  /** Resolves once everything recorded so far is in the read model. */
  settled(): Promise<void> {
    return condition(() => this.flushed >= this.version);
  }
}

/**
 * The notice to an escalation's current target when it opens or climbs (none on other events),
 * keyed by escalation, level and trail so a retried snapshot never sends it twice.
 */
export function escalationNotice(
  workflowId: string,
  esc: EscalationView,
  event: string,
  text: { subject: string; body: string },
): Notification[] {
  if (event !== 'opened' && event !== 'climbed') return [];
  return [
    { key: `${workflowId}:escalation:${esc.id}:${esc.level}:${esc.trail.length}`, recipientId: esc.targetId, ...text },
  ];
}

/** Throws the business error that the API maps to a status code; the validator's throw leaves no trace in history. */
export function refuse(type: (typeof ErrorType)[keyof typeof ErrorType], message: string, details?: unknown): never {
  throw ApplicationFailure.create({
    message,
    type,
    nonRetryable: true,
    details: details === undefined ? [] : [details],
  });
}

/**
 * Waits until `done()` or until the (movable) deadline passes, firing each reminder time that
 * falls inside the wait exactly once. Reminder times already past when the step opens are skipped:
 * a reminder for a deadline that has moved is recomputed from the new deadline.
 */
export async function awaitStep(opts: {
  done: () => boolean;
  deadline: () => string;
  reminders: (deadline: string) => string[];
  onReminder: (at: string, deadline: string) => Promise<void>;
}): Promise<'done' | 'missed'> {
  const opened = Date.now();
  const sent = new Set<string>();
  for (;;) {
    if (opts.done()) return 'done';
    const deadline = opts.deadline();
    const current = Date.now();
    if (current >= toMs(deadline)) return 'missed';
    const times = opts.reminders(deadline).filter((r) => !sent.has(r) && toMs(r) > opened);
    for (const r of times.filter((t) => toMs(t) <= current)) {
      sent.add(r);
      await opts.onReminder(r, deadline);
    }
    const upcoming = times.filter((t) => toMs(t) > current).map(toMs);
    const wake = Math.min(toMs(deadline), ...upcoming);
    await condition(() => opts.done() || opts.deadline() !== deadline, wake - current);
  }
}

/** Follows a reviewer chain upward: the ladder of escalation targets above `fromId`, ending with HR. */
export function ladderAbove(chain: Record<string, string | null>, fromId: string): string[] {
  return ladderFrom(fromId, (id) => chain[id] || null);
}

/** The bootstrap admin and person-less tokens act for a role, never as a directory person. */
export function isPerson(actor: Actor): boolean {
  return actor.id !== ADMIN_ACTOR && !actor.id.startsWith(TOKEN_ACTOR_PREFIX);
}

/** True when the actor may act as `targetId` (HR targets are decided by anyone holding the `hr` role). */
export function actsAs(actor: Actor, targetId: string): boolean {
  return targetId === HR_ACTOR ? actor.roles.includes(HR_ROLE) : actor.id === targetId;
}

export interface EscalationSpec {
  kind: EscalationKind;
  personId: string;
  unitId: string;
  period: string;
  ladder: string[];
  /** When the first level must decide; later levels get `escalationClimbWorkingDays`. */
  firstDueAt: string;
  /** Whether the step has a default a target may accept (and that applies when the ladder ends undecided). */
  hasDefault: boolean;
  /** Climb after an undecided level; false means the default applies at `firstDueAt`. */
  climbs: boolean;
  /** Leaders a `reassign` may name. */
  reassignable: string[];
  /** People whose grades the step settles: none of them may take it over. */
  settles: string[];
  /** The step's current deadline, to bound an `extend`. */
  stepDeadline: () => string;
  /** The actions this step allows; all four when absent. */
  actions?: EscalationAction[];
  /** Bound of an `extend`, in working days; the rules' `maxExtensionWorkingDays` when absent. */
  maxExtensionWorkingDays?: number;
  /**
   * The step's own bound on an `extend`, fixed whatever the day of the decision (a replacement's
   * vote: working day 15 after it opened); checked before the working-day limit, which counts from
   * the decision when it comes late. Null when `until` is within it.
   */
  capExtension?: (until: string) => { rule: string; latest: string; message: string } | null;
  /** Told the escalation as soon as it opens, so its step can close it when done meanwhile. */
  onOpened?: (esc: EscalationView) => void;
}

/** The escalations of one workflow: their state, the decide-update validator and the climbing loop. */
export class Escalations {
  readonly items: EscalationView[] = [];
  private readonly specs = new Map<string, EscalationSpec>();

  constructor(
    private readonly rules: () => RulesConfig,
    private readonly holidays: () => string[],
    private readonly onChange: (esc: EscalationView, event: 'opened' | 'climbed' | 'decided' | 'defaulted') => void,
  ) {}

  find(id: string): EscalationView | undefined {
    return this.items.find((e) => e.id === id);
  }

  /** What each open escalation asks of its current target, as a task line of the read model. */
  openSteps(): OpenStep[] {
    return this.items
      .filter((e) => e.status === 'open')
      .map((e) => ({
        stepKey: `escalation:${e.id}`,
        ownerId: e.targetId,
        kind: 'escalation',
        dueAt: e.dueAt,
        link: `/v1/escalations/${e.id}`,
      }));
  }

  /** Synchronous checks for a decision: rights, open state, the action's rules. */
  validate(input: {
    actor: Actor;
    escalationId: string;
    action: EscalationAction;
    until?: string;
    assigneeId?: string;
  }): void {
    const esc = this.find(input.escalationId);
    const spec = this.specs.get(input.escalationId);
    if (!esc || !spec) refuse(ErrorType.NotFound, `There is no escalation ${input.escalationId}.`);
    // Rights first: someone who may not decide learns that, not the escalation's state.
    if (!actsAs(input.actor, esc.targetId) && !(esc.status !== 'open' && esc.decision?.by === input.actor.id)) {
      refuse(ErrorType.Forbidden, `Only ${esc.targetId} may decide this escalation now (level ${esc.level}).`);
    }
    if (esc.status !== 'open') {
      refuse(ErrorType.WrongPhase, `This escalation is already ${esc.status}.`, { phase: esc.status });
    }
    if (spec.actions && !spec.actions.includes(input.action)) {
      refuse(ErrorType.RuleRefused, `A missed ${esc.kind} allows only: ${spec.actions.join(', ')}.`, {
        rule: 'action-not-available',
        allowed: spec.actions,
      });
    }
    if (input.action === 'extend' && !input.until) {
      refuse(ErrorType.BadInput, 'An extension needs "until", the new deadline.', {
        fields: [{ field: 'until', rule: 'required' }],
      });
    }
    if (input.until) {
      // The limit counts from the later of the missed deadline and now, so a higher level can still extend.
      const base = fromMs(Math.max(toMs(spec.stepDeadline()), Date.now()));
      if (toMs(input.until) <= Date.now()) {
        refuse(ErrorType.RuleRefused, '"until" must be in the future.', { rule: 'extension-in-past' });
      }
      const capped = spec.capExtension?.(input.until);
      if (capped) refuse(ErrorType.RuleRefused, capped.message, { rule: capped.rule, latest: capped.latest });
      const rules = {
        ...this.rules(),
        maxExtensionWorkingDays: spec.maxExtensionWorkingDays ?? this.rules().maxExtensionWorkingDays,
      };
      if (!extensionAllowed(base, input.until, this.holidays(), rules)) {
        refuse(
          ErrorType.RuleRefused,
          `"until" may be at most ${rules.maxExtensionWorkingDays} working days after ${base}.`,
          { rule: 'extension-limit', from: base },
        );
      }
    }
    switch (input.action) {
      case 'extend':
        break;
      case 'take-over':
        if (esc.kind === 'self-assessment') {
          refuse(
            ErrorType.RuleRefused,
            "Nobody can take over another person's self-assessment; extend it or accept the default.",
            {
              rule: 'action-not-available',
            },
          );
        }
        if (!isPerson(input.actor)) {
          refuse(ErrorType.RuleRefused, 'A take-over needs a person; use a personal HR token.', {
            rule: 'take-over-needs-person',
          });
        }
        if (input.actor.id === esc.personId || spec.settles.includes(input.actor.id)) {
          refuse(
            ErrorType.Forbidden,
            'Nobody reviews or settles their own grade: you are among the people this step settles.',
          );
        }
        break;
      case 'reassign':
        if (esc.kind === 'self-assessment') {
          refuse(ErrorType.RuleRefused, 'A self-assessment cannot be reassigned; extend it or accept the default.', {
            rule: 'action-not-available',
          });
        }
        if (!input.assigneeId)
          refuse(ErrorType.BadInput, 'A reassignment needs "assigneeId".', { field: 'assigneeId' });
        if (!spec.reassignable.includes(input.assigneeId) || input.assigneeId === esc.personId) {
          refuse(ErrorType.RuleRefused, `${input.assigneeId} is not another leader of the unit.`, {
            rule: 'reassign-to-leader',
            allowed: spec.reassignable.filter((id) => id !== esc.personId),
          });
        }
        break;
      case 'accept-default':
        if (!spec.hasDefault) {
          refuse(ErrorType.RuleRefused, `A missed ${esc.kind} has no default; extend, take over or reassign.`, {
            rule: 'no-default',
          });
        }
        break;
    }
  }

  /** Records a decision that passed {@link validate}. */
  decide(input: {
    actor: Actor;
    escalationId: string;
    action: EscalationAction;
    until?: string;
    assigneeId?: string;
    note?: string;
  }): EscalationView {
    const esc = this.find(input.escalationId)!;
    esc.status = 'decided';
    esc.decision = {
      action: input.action,
      by: input.actor.id,
      at: now(),
      ...(input.until ? { until: fromMs(toMs(input.until)) } : {}),
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
    this.onChange(esc, 'decided');
    return esc;
  }

  /**
   * Opens an escalation and waits for its decision, climbing one level each time a level stays
   * undecided; returns the decided view, or the view marked `defaulted` when the default applied.
   */
  async run(spec: EscalationSpec): Promise<EscalationView> {
    const id = uuid4();
    const rules = this.rules();
    const esc: EscalationView = {
      id,
      kind: spec.kind,
      personId: spec.personId,
      unitId: spec.unitId,
      period: spec.period,
      level: 1,
      targetId: spec.ladder[0] ?? HR_ACTOR,
      dueAt: spec.firstDueAt,
      status: 'open',
      createdAt: now(),
      decision: null,
      trail: [{ level: 1, targetId: spec.ladder[0] ?? HR_ACTOR, at: now() }],
    };
    this.items.push(esc);
    this.specs.set(id, spec);
    spec.onOpened?.(esc);
    this.onChange(esc, 'opened');
    for (;;) {
      const decided = await condition(() => esc.status !== 'open', Math.max(0, toMs(esc.dueAt) - Date.now()));
      if (decided) return esc;
      if (!spec.climbs || (esc.level >= spec.ladder.length && spec.hasDefault)) {
        esc.status = 'defaulted';
        this.onChange(esc, 'defaulted');
        return esc;
      }
      if (esc.level < spec.ladder.length) esc.level += 1;
      esc.targetId = spec.ladder[esc.level - 1];
      esc.dueAt = workingDaysAfter(now(), rules.escalationClimbWorkingDays, this.holidays(), rules);
      esc.trail.push({ level: esc.level, targetId: esc.targetId, at: now() });
      this.onChange(esc, 'climbed');
    }
  }
}
