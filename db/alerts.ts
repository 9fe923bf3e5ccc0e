/** Alerts: writes refused for their data, kept for an admin instead of being retried forever. */
import type { Sql } from './sql';

export interface Alert {
  workflowId: string | null;
  version: number | null;
  activity: string;
  message: string;
}

export async function recordAlert(sql: Sql, alert: Alert): Promise<void> {
  const key = `${alert.workflowId ?? '-'}:${alert.version ?? '-'}:${alert.activity}`;
  await sql`
    insert into alerts (key, workflow_id, version, activity, message)
    values (${key}, ${alert.workflowId}, ${alert.version}, ${alert.activity}, ${alert.message.slice(0, 2000)})
    on conflict (key) do nothing`;
}

/** Whether a snapshot of `workflowId` at `version` or later was refused. */
export async function snapshotRefused(sql: Sql, workflowId: string, version: number): Promise<boolean> {
  const rows = await sql`select 1 from alerts where workflow_id = ${workflowId} and version >= ${version} limit 1`;
  return rows.length > 0;
}

export async function listAlerts(sql: Sql, limit: number, before?: number) {
  return sql<(Alert & { id: string; createdAt: Date })[]>`
    select id, workflow_id, version, activity, message, created_at from alerts
    ${before === undefined ? sql`` : sql`where id < ${before}`}
    order by id desc limit ${limit}`;
}
