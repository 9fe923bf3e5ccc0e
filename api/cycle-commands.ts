/**
 * Commands on a unit's cycle as the API and the web pages send them: put the list, check it
 * without putting it, approve it, file and resolve a complaint. Rules and rights are the
 * workflow's; these carry a command there and answer once the read model shows it.
 */
import type { UpdateDefinition } from '@temporalio/common';
import {
  approveDeliberation,
  checkDeliberationList,
  cycleWorkflowId,
  fileComplaint,
  putDeliberation,
  resolveComplaint,
  type Actor,
  type DecisionLine,
  type DeliberationCheck,
  type Versioned,
} from '../contracts/messages';
import { findComplaint } from '../db/complaints';
import { findCycle, type CycleRow } from '../db/cycles';
import type { Grade } from '../domain/types';
import { loadEvaluation, sendUpdate, withinBound } from './commands';
import type { ApiDeps } from './deps';
import { conflict, forbidden, fromTemporal, notFound } from './errors';
import { updateIdFor } from './idempotency';
import { complaintVersion, cycleVersion, cycleView, readYourWrite } from './read-model';

export interface CycleAt {
  unitId: string;
  period: string;
}

export async function loadCycle(deps: Pick<ApiDeps, 'sql'>, { unitId, period }: CycleAt): Promise<CycleRow> {
  const cycle = await findCycle(deps.sql, unitId, period);
  if (!cycle) throw notFound(`There is no cycle for ${unitId} in ${period}.`);
  return cycle;
}

/** Sends one command to the unit's cycle and answers with the cycle as the read model now shows it. */
export async function cycleCommand<Arg>(
  deps: ApiDeps,
  at: CycleAt,
  def: UpdateDefinition<Versioned, [Arg]>,
  arg: Arg,
  updateId: string | undefined,
) {
  const cycle = await loadCycle(deps, at);
  const closedPhase = async () => (await findCycle(deps.sql, at.unitId, at.period))?.phase ?? 'locked';
  const answer = await sendUpdate(deps, cycle.workflowId, def, arg, {
    updateId,
    closedMessage: `The cycle of ${cycle.unitId} for ${cycle.period} is ${cycle.phase}.`,
    closedPhase,
  });
  await readYourWrite(cycleVersion(deps.sql, at.unitId, at.period), answer.readModelVersion);
  return cycleView(deps.sql, await loadCycle(deps, at));
}

/** Puts the final list (the head); `idempotencyKey` makes a repeat answer as the first did. */
export const putList = (
  deps: ApiDeps,
  caller: Actor,
  at: CycleAt,
  decisions: DecisionLine[],
  idempotencyKey: string | undefined,
) => cycleCommand(deps, at, putDeliberation, { actor: caller, decisions }, updateIdFor(caller.id, idempotencyKey));

/** Approves the list put (a member of the collective; their own line is recused by the rule). */
export const approveList = (deps: ApiDeps, caller: Actor, at: CycleAt, idempotencyKey: string | undefined) =>
  cycleCommand(deps, at, approveDeliberation, { actor: caller }, updateIdFor(caller.id, idempotencyKey));

/** One rule a list breaks, in words, with the field of the request it concerns. */
export interface ListRefusal {
  rule: string;
  field: string;
  personId?: string;
  message: string;
  details: Record<string, unknown>;
}

/** A dry run of {@link putList}: what the cycle's own validator says of the list, and the quota figures. */
export interface ListCheck {
  ok: boolean;
  refusals: ListRefusal[];
  quota: DeliberationCheck['quota'];
  caps: DeliberationCheck['caps'];
}

/** The request field a breach concerns: the line's grade or rationale, or the list as a whole. */
function fieldOf(breach: DeliberationCheck['breaches'][number], decisions: DecisionLine[]): string {
  const index = breach.personId === undefined ? -1 : decisions.findIndex((d) => d.personId === breach.personId);
  if (index < 0) return 'decisions';
  return breach.rule === 'rationale' ? `decisions.${index}.rationale` : `decisions.${index}.grade`;
}

/**
 * Checks a list as the put would, changing nothing: a caller who may not put a list (or a cycle
 * not deliberating) is refused as the put would be; otherwise the answer lists every refusal.
 */
export async function checkList(deps: ApiDeps, caller: Actor, at: CycleAt, decisions: DecisionLine[]) {
  const cycle = await loadCycle(deps, at);
  let check: DeliberationCheck;
  try {
    check = await withinBound(deps, () =>
      deps.temporal.workflow.getHandle(cycle.workflowId).query(checkDeliberationList, { actor: caller, decisions }),
    );
  } catch (err) {
    const phase = (await findCycle(deps.sql, at.unitId, at.period))?.phase ?? 'locked';
    throw fromTemporal(err, `The cycle of ${at.unitId} for ${at.period} is ${phase}.`, phase) ?? err;
  }
  if (check.refusal?.type === 'forbidden') throw forbidden(check.refusal.message);
  if (check.refusal) throw conflict(check.refusal.message, { phase: check.refusal.phase });
  const refusals = check.breaches.map(({ rule, personId, message, ...details }) => ({
    rule,
    field: fieldOf({ rule, personId, message }, decisions),
    ...(personId === undefined ? {} : { personId }),
    message,
    details,
  }));
  return { ok: refusals.length === 0, refusals, quota: check.quota, caps: check.caps } satisfies ListCheck;
}

/** Files a complaint about `personId`'s published grade (only the person, inside the window). */
export async function fileGradeComplaint(
  deps: ApiDeps,
  caller: Actor,
  at: { period: string; personId: string },
  reason: string,
  idempotencyKey: string | undefined,
) {
  const e = await loadEvaluation(deps.sql, at.period, at.personId);
  const workflowId = cycleWorkflowId(e.unitId, at.period);
  const complaint = await sendUpdate(
    deps,
    workflowId,
    fileComplaint,
    { actor: caller, personId: at.personId, reason },
    {
      updateId: updateIdFor(caller.id, idempotencyKey),
      closedMessage: 'The complaint window has closed.',
      closedPhase: async () => (await findCycle(deps.sql, e.unitId, at.period))?.phase ?? 'locked',
    },
  );
  await readYourWrite(complaintVersion(deps.sql, complaint.id, workflowId), complaint.readModelVersion);
  return { id: complaint.id, status: complaint.status, dueAt: complaint.dueAt };
}

/** Resolves a complaint (the head): upheld, or the grade changed with a rationale. */
export async function resolveGradeComplaint(
  deps: ApiDeps,
  caller: Actor,
  id: string,
  body: { outcome: 'upheld' | 'changed'; grade?: Grade; rationale: string },
  idempotencyKey: string | undefined,
) {
  const complaint = await findComplaint(deps.sql, id);
  if (!complaint) throw notFound(`There is no complaint ${id}.`);
  const phaseNow = async () => (await findCycle(deps.sql, complaint.unitId, complaint.period))?.phase ?? 'locked';
  const resolved = await sendUpdate(
    deps,
    complaint.workflowId,
    resolveComplaint,
    { actor: caller, complaintId: id, ...body },
    {
      updateId: updateIdFor(caller.id, idempotencyKey),
      closedMessage: `The cycle is ${await phaseNow()}.`,
      closedPhase: phaseNow,
    },
  );
  await readYourWrite(complaintVersion(deps.sql, id, complaint.workflowId), resolved.readModelVersion);
  const { readModelVersion: _, ...shown } = resolved;
  return shown;
}
