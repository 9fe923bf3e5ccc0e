/**
 * Reads for the API, all from the Postgres read model that activities keep (Temporal visibility
 * is for operators, not for clients). Instants are shown with the +07:00 offset.
 */
import { snapshotRefused } from '../db/alerts';
import { complaintVersionOf } from '../db/complaints';
import { cycleVersionOf, type CycleRow } from '../db/cycles';
import {
  escalationsFor as escalationRowsFor,
  escalationsOf as escalationRowsOf,
  escalationVersionOf,
  type EscalationRow,
} from '../db/escalations';
import { evaluationsOfCycle, evaluationVersionOf, type StoredEvaluation } from '../db/evaluations';
import { countOpenSteps, openStepsOf } from '../db/open-steps';
import type { PageRequest } from '../db/pagination';
import type { Sql } from '../db/sql';
import { fromMs } from '../domain/calendar';
import { cycleWorkflowId, evaluationWorkflowId } from '../contracts/messages';
import { ruleRefused } from './errors';

/** An instant from Postgres as the API shows it (+07:00). */
export const iso = (d: Date | string | null): string | null => (d === null ? null : fromMs(new Date(d).getTime()));

/** A member's line as api.md shows it; before the evaluation reports in, a pending line. */
export function memberLine(member: { personId: string; reviewerId: string | null }, e: StoredEvaluation | undefined) {
  return {
    personId: member.personId,
    status: e?.status ?? 'pending',
    reviewerId: e?.reviewerId ?? member.reviewerId,
    selfScores: e?.selfScores ?? null,
    reviewScores: e?.reviewScores ?? null,
    total: e?.total ?? null,
    proposedGrade: e?.proposedGrade ?? null,
    finalGrade: e?.finalGrade ?? null,
    caps: e?.caps ?? [],
  };
}

export async function cycleView(sql: Sql, cycle: CycleRow, onlyPersonId?: string) {
  const rows = await evaluationsOfCycle(sql, cycle.unitId, cycle.period);
  const byId = new Map(rows.map((r) => [r.personId, r]));
  const members = cycle.members
    .filter((m) => !onlyPersonId || m.personId === onlyPersonId)
    .map((m) => memberLine(m, byId.get(m.personId)));
  return {
    unitId: cycle.unitId,
    period: cycle.period,
    phase: cycle.phase,
    profileId: cycle.profileId,
    deadlines: cycle.deadlines,
    outstanding: cycle.outstanding,
    headId: cycle.headId,
    collective: cycle.collective,
    ...(onlyPersonId ? {} : { deliberation: cycle.deliberation }),
    publishedAt: iso(cycle.publishedAt),
    complaintWindowEndsAt: iso(cycle.complaintWindowEndsAt),
    members,
  };
}

export function escalationView(e: EscalationRow) {
  return {
    id: e.id,
    kind: e.kind,
    personId: e.personId,
    unitId: e.unitId,
    period: e.period,
    level: e.level,
    targetId: e.targetId,
    dueAt: iso(e.dueAt),
    status: e.status,
    createdAt: iso(e.createdAt),
    decision: e.decision,
    trail: e.trail,
  };
}

/** A person's escalations under a period (or a case's workflow id) as api.md shows them. */
export async function escalationsOf(sql: Sql, period: string, personId: string) {
  return (await escalationRowsOf(sql, period, personId)).map(escalationView);
}

/** A page of the escalations addressed to any of `targets`, as api.md shows them. */
export async function escalationsFor(sql: Sql, targets: string[], status: string | undefined, page: PageRequest) {
  const { items, next } = await escalationRowsFor(sql, targets, status, page);
  return { items: items.map(escalationView), next };
}

export async function evaluationView(sql: Sql, e: StoredEvaluation) {
  return {
    ...memberLine({ personId: e.personId, reviewerId: e.reviewerId }, e),
    period: e.period,
    unitId: e.unitId,
    plan: e.plan,
    selfComment: e.selfComment,
    reviewComment: e.reviewComment,
    deadlines: e.deadlines,
    missed: e.missed,
    history: e.history,
    escalations: await escalationsOf(sql, e.period, e.personId),
  };
}

/** A page of what `owners` owe now, as api.md shows it. */
export async function tasksFor(sql: Sql, owners: string[], page: PageRequest) {
  const { items, next } = await openStepsOf(sql, owners, page);
  return { items: items.map((r) => ({ kind: r.kind, dueAt: iso(r.dueAt), link: r.link })), next };
}

export const taskCountFor = (sql: Sql, owners: string[]) => countOpenSteps(sql, owners);

/** Where to look for a workflow's snapshot version, and which workflow wrote it. */
export interface VersionCheck {
  sql: Sql;
  workflowId: string;
  current: () => Promise<number | undefined>;
}

/**
 * Waits (briefly) until the read model has caught up with a command's answer: workflows write it
 * right after they accept a command, so a client that reads after writing sees its own write. A
 * snapshot refused for its data (an alert) will never arrive: the command is refused instead.
 */
export async function readYourWrite(check: VersionCheck, wanted: number | undefined, timeoutMs = 5000): Promise<void> {
  if (wanted === undefined) return;
  const deadline = Date.now() + timeoutMs;
  for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
    if (((await check.current()) ?? -1) >= wanted) return;
    if (await snapshotRefused(check.sql, check.workflowId, wanted)) {
      throw ruleRefused('This change could not be stored; an administrator has been alerted.', {
        rule: 'storable',
        workflowId: check.workflowId,
      });
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

export const evaluationVersion = (sql: Sql, period: string, personId: string): VersionCheck => ({
  sql,
  workflowId: evaluationWorkflowId(period, personId),
  current: () => evaluationVersionOf(sql, period, personId),
});

export const cycleVersion = (sql: Sql, unitId: string, period: string): VersionCheck => ({
  sql,
  workflowId: cycleWorkflowId(unitId, period),
  current: () => cycleVersionOf(sql, unitId, period),
});

/** An escalation and a complaint are written by the workflow that raised them. */
export const escalationVersion = (sql: Sql, id: string, workflowId: string): VersionCheck => ({
  sql,
  workflowId,
  current: () => escalationVersionOf(sql, id),
});

export const complaintVersion = (sql: Sql, id: string, workflowId: string): VersionCheck => ({
  sql,
  workflowId,
  current: () => complaintVersionOf(sql, id),
});
