/** Open steps: what each person owes now, as the workflows' snapshots leave it. */
import type { Sql } from './sql';

export interface OpenStep {
  kind: string;
  dueAt: Date | null;
  link: string;
  ownerId: string;
}

/** The open steps owed by any of `owners`, soonest due first (undated last). */
export async function openStepsOf(sql: Sql, owners: string[]): Promise<OpenStep[]> {
  return sql<OpenStep[]>`
    select kind, due_at, link, owner_id from open_steps where owner_id in ${sql(owners)} order by due_at nulls last, link limit 1000`;
}
