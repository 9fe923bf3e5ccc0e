/** The escalations' read model as the API reads it (the workflows that raise them write them). */
import { decodeCursor, KEY_INSTANT, pageOf, type Page, type PageRequest } from './pagination';
import type { Sql } from './sql';

export interface EscalationRow {
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

export async function findEscalation(sql: Sql, id: string): Promise<EscalationRow | undefined> {
  const [row] = await sql<EscalationRow[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail
    from escalations where id = ${id}`;
  return row;
}

/** A person's escalations under a period (a case files its own under its workflow id), oldest first. */
export async function escalationsOf(sql: Sql, period: string, personId: string): Promise<EscalationRow[]> {
  return sql<EscalationRow[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail
    from escalations where period = ${period} and person_id = ${personId} order by created_at, id`;
}

/** Escalations whose current target is one of `targets`, by status when given, soonest due first; one page. */
export async function escalationsFor(
  sql: Sql,
  targets: string[],
  status: string | undefined,
  page: PageRequest,
): Promise<Page<EscalationRow>> {
  const after = page.cursor === undefined ? null : decodeCursor('escalations', page.cursor);
  const rows = await sql<(EscalationRow & { cursorKey: string[] })[]>`
    select id, workflow_id, kind, person_id, unit_id, period, level, target_id, due_at, status, created_at, decision, trail,
           array[to_char(due_at at time zone 'UTC', ${KEY_INSTANT}), id] as cursor_key
    from escalations
    where target_id in ${sql(targets)} ${status ? sql`and status = ${status}` : sql``}
      ${after ? sql`and (due_at, id) > (${after[0]}::text::timestamptz, ${after[1]})` : sql``}
    order by due_at, id
    limit ${page.limit + 1}`;
  return pageOf('escalations', rows, page.limit);
}

/** Whether an escalation raised in this workflow names the person (as target, decider or assignee). */
export async function escalationNames(sql: Sql, workflowId: string, personId: string): Promise<boolean> {
  const rows = await sql`
    select 1 from escalations
    where workflow_id = ${workflowId}
      and (target_id = ${personId} or decision->>'by' = ${personId} or decision->>'assigneeId' = ${personId})
    limit 1`;
  return rows.length > 0;
}

/** The snapshot version the read model holds for the escalation, if it holds one. */
export async function escalationVersionOf(sql: Sql, id: string): Promise<number | undefined> {
  const [row] = await sql<{ version: number }[]>`select version from escalations where id = ${id}`;
  return row?.version;
}
