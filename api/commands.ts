/**
 * Commands as the API and the web pages send them: a workflow Update within a bound, a refusal
 * turned into the API's error, and the answer once the read model shows it. A page calls these
 * same functions, so every rule and right is checked in one place.
 */
import type { UpdateDefinition } from '@temporalio/common';
import {
  decideEscalation,
  submitPlan,
  type Actor,
  type EscalationAction,
  type PlanTask,
  type Versioned,
} from '../contracts/messages';
import { findEscalation } from '../db/escalations';
import { findCycle } from '../db/cycles';
import { findEvaluation } from '../db/evaluations';
import type { Sql } from '../db/sql';
import type { ApiDeps } from './deps';
import { fromTemporal, notFound } from './errors';
import { updateIdFor } from './idempotency';
import { escalationVersion, escalationView, evaluationVersion, memberLine, readYourWrite } from './read-model';

/** How long a request waits on a workflow before answering 503: a workflow that cannot move never holds a request forever. */
export const COMMAND_TIMEOUT_MS = 60_000;

/** Runs `fn` with a deadline on every Temporal call it makes. */
export function withinBound<R>(deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>, fn: () => Promise<R>): Promise<R> {
  return deps.temporal.withDeadline(Date.now() + (deps.commandTimeoutMs ?? COMMAND_TIMEOUT_MS), fn);
}

export async function sendUpdate<Ret, Arg>(
  deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>,
  workflowId: string,
  def: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  /** `closedPhase` reads the phase to report when the workflow has already ended (only then is it called). */
  opts: { updateId?: string; closedMessage: string; closedPhase?: () => Promise<string> },
): Promise<Ret> {
  try {
    return await withinBound(deps, () =>
      deps.temporal.workflow
        .getHandle(workflowId)
        .executeUpdate(def, { args: [arg], ...(opts.updateId ? { updateId: opts.updateId } : {}) }),
    );
  } catch (err) {
    const phase = (await opts.closedPhase?.()) ?? 'closed';
    throw fromTemporal(err, opts.closedMessage, phase) ?? err;
  }
}

export async function loadEvaluation(sql: Sql, period: string, personId: string) {
  const e = await findEvaluation(sql, period, personId);
  if (!e) throw notFound(`There is no evaluation of ${personId} for ${period}.`);
  return e;
}

/** Sends one step to the member's evaluation and answers with their line as the read model now shows it. */
export async function evaluationStep<Arg>(
  deps: ApiDeps,
  at: { period: string; personId: string },
  def: UpdateDefinition<Versioned, [Arg]>,
  arg: Arg,
  opts: { updateId: string | undefined; closedMessage: string },
) {
  const { period, personId } = at;
  const e = await loadEvaluation(deps.sql, period, personId);
  // Once an evaluation has ended, what a caller needs to know is where its cycle stands.
  const closedPhase = async () => (await findCycle(deps.sql, e.unitId, e.period))?.phase ?? 'closed';
  const answer = await sendUpdate(deps, e.workflowId, def, arg, { ...opts, closedPhase });
  await readYourWrite(evaluationVersion(deps.sql, period, personId), answer.readModelVersion);
  return memberLine(e, await loadEvaluation(deps.sql, period, personId));
}

/** Files the month's plan; `idempotencyKey` makes a repeat answer as the first did without acting twice. */
export function filePlan(
  deps: ApiDeps,
  caller: Actor,
  at: { period: string; personId: string },
  tasks: PlanTask[],
  idempotencyKey: string | undefined,
) {
  return evaluationStep(
    deps,
    at,
    submitPlan,
    { actor: caller, tasks },
    {
      updateId: updateIdFor(caller.id, idempotencyKey),
      closedMessage: 'The plan step is closed.',
    },
  );
}

/**
 * The decision of an escalation's current target: extend to a date, take over, reassign to one the
 * step allows, or accept the default; the workflow checks who may and what it allows.
 */
export async function decideEscalationAs(
  deps: ApiDeps,
  caller: Actor,
  id: string,
  decision: { action: EscalationAction; until?: string; assigneeId?: string; note?: string },
  idempotencyKey: string | undefined,
) {
  const esc = await findEscalation(deps.sql, id);
  if (!esc) throw notFound(`There is no escalation ${id}.`);
  const answer = await sendUpdate(
    deps,
    esc.workflowId,
    decideEscalation,
    { actor: caller, escalationId: id, ...decision },
    {
      updateId: updateIdFor(caller.id, idempotencyKey),
      closedMessage: "This escalation's step has closed.",
      closedPhase: async () => (await findEscalation(deps.sql, id))?.status ?? 'closed',
    },
  );
  await readYourWrite(escalationVersion(deps.sql, id, esc.workflowId), answer.readModelVersion);
  return escalationView((await findEscalation(deps.sql, id))!);
}
