/**
 * Reads for the API, all from the Postgres read model that activities keep (Temporal visibility
 * is for operators, not for clients). Instants are shown with the +07:00 offset.
 */
import { snapshotRefused } from '../db/alerts';
import type { Sql } from '../db/sql';
import { fromMs } from '../domain/calendar';
import type { Cap } from '../domain/caps';
import type { EvaluationRow } from '../contracts/snapshots';
import type { Grade } from '../domain/types';
import { cycleWorkflowId, evaluationWorkflowId } from '../contracts/messages';
import { ruleRefused } from './errors';

/** An instant from Postgres as the API shows it (+07:00). */
export const iso = (d: Date | string | null): string | null => (d === null ? null : fromMs(new Date(d).getTime()));

export interface CycleRow {
  unitId: string;
  period: string;
  workflowId: string;
  phase: string;
  profileId: string;
  deadlines: Record<string, string>;
  headId: string | null;
  collective: string[];
  members: { personId: string; reviewerId: string | null }[];
  outstanding: boolean;
  deliberation: unknown;
  publishedAt: Date | null;
  complaintWindowEndsAt: Date | null;
  lockedAt: Date | null;
}

/** The evaluation row as stored: what the workflow writes, plus what the cycle settles. */
interface EvaluationRowDb extends EvaluationRow {
  workflowId: string;
  finalGrade: Grade | null;
  caps: Cap[];
}

export async function findCycle(sql: Sql, unitId: string, period: string): Promise<CycleRow | undefined> {
  const [row] = await sql<CycleRow[]>`
    select unit_id, period, workflow_id, phase, profile_id, deadlines, head_id, collective, members, outstanding, deliberation,
           published_at, complaint_window_ends_at, locked_at
    from cycles where unit_id = ${unitId} and period = ${period}`;
  return row;
}

export async function findEvaluation(sql: Sql, period: string, personId: string): Promise<EvaluationRowDb | undefined> {
  const [row] = await sql<EvaluationRowDb[]>`
    select period, person_id, unit_id, workflow_id, reviewer_id, status, plan, self_scores, self_comment, review_scores,
           review_comment, total, proposed_grade, final_grade, caps, missed, history, deadlines
    from evaluations where period = ${period} and person_id = ${personId}`;
  return row;
}

/** A member's line as api.md shows it; before the evaluation reports in, a pending line. */
export function memberLine(member: { personId: string; reviewerId: string | null }, e: EvaluationRowDb | undefined) {
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
  const rows = await sql<EvaluationRowDb[]>`
    select period, person_id, unit_id, workflow_id, reviewer_id, status, plan, self_scores, self_comment, review_scores,
           review_comment, total, proposed_grade, final_grade, caps, missed, history, deadlines
    from evaluations where unit_id = ${cycle.unitId} and period = ${cycle.period}`;
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

interface EscalationDb {
  id: string;
  workflowId: string;
  kind: string;
  personId: string;
  unitId: string;
  period: string;
  level: number;
  targetId: string;
  dueAt: Date;
  status: string;
  createdAt: Date;
  decision: unknown;
  trail: unknown;
}

export function escalationView(e: EscalationDb) {
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

export async function findEscalation(sql: Sql, id: string): Promise<EscalationDb | undefined> {
  const [row] = await sql<EscalationDb[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail
    from escalations where id = ${id}`;
  return row;
}

export async function escalationsOf(sql: Sql, period: string, personId: string) {
  const rows = await sql<EscalationDb[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail
    from escalations where period = ${period} and person_id = ${personId} order by created_at, id`;
  return rows.map(escalationView);
}

export async function escalationsFor(sql: Sql, targets: string[], status: string | undefined) {
  const rows = await sql<EscalationDb[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail
    from escalations
    where target_id in ${sql(targets)} ${status ? sql`and status = ${status}` : sql``}
    order by due_at, id limit 1000`;
  return rows.map(escalationView);
}

export async function evaluationView(sql: Sql, e: EvaluationRowDb) {
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

export async function tasksFor(sql: Sql, owners: string[]) {
  const rows = await sql<{ kind: string; dueAt: Date | null; link: string; ownerId: string }[]>`
    select kind, due_at, link, owner_id from open_steps where owner_id in ${sql(owners)} order by due_at nulls last, link limit 1000`;
  return rows.map((r) => ({ kind: r.kind, dueAt: iso(r.dueAt), link: r.link }));
}

/** Whether an escalation raised in this workflow names the person (as target, decider or assignee). */
export async function actsOnCycle(sql: Sql, personId: string, workflowId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from escalations
    where workflow_id = ${workflowId}
      and (target_id = ${personId} or decision->>'by' = ${personId} or decision->>'assigneeId' = ${personId})
    limit 1`;
  return rows.length > 0;
}

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
      throw ruleRefused('This change could not be stored; an administrator has been alerted.', { rule: 'storable', workflowId: check.workflowId });
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

const versionOf = (rows: { version: number }[]) => rows[0]?.version;

export const evaluationVersion = (sql: Sql, period: string, personId: string): VersionCheck => ({
  sql,
  workflowId: evaluationWorkflowId(period, personId),
  current: async () => versionOf(await sql<{ version: number }[]>`select version from evaluations where period = ${period} and person_id = ${personId}`),
});

export const cycleVersion = (sql: Sql, unitId: string, period: string): VersionCheck => ({
  sql,
  workflowId: cycleWorkflowId(unitId, period),
  current: async () => versionOf(await sql<{ version: number }[]>`select version from cycles where unit_id = ${unitId} and period = ${period}`),
});

/** An escalation and a complaint are written by the workflow that raised them. */
export const escalationVersion = (sql: Sql, id: string, workflowId: string): VersionCheck => ({
  sql,
  workflowId,
  current: async () => versionOf(await sql<{ version: number }[]>`select version from escalations where id = ${id}`),
});

export const complaintVersion = (sql: Sql, id: string, workflowId: string): VersionCheck => ({
  sql,
  workflowId,
  current: async () => versionOf(await sql<{ version: number }[]>`select version from complaints where id = ${id}`),
});
