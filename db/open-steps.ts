/** Open steps: what each person owes now, as the workflows' snapshots leave it. */
import { decodeCursor, KEY_INSTANT, pageOf, type Page, type PageRequest } from './pagination';
import type { Sql } from './sql';

export interface OpenStep {
  kind: string;
  dueAt: Date | null;
  link: string;
  ownerId: string;
}

/**
 * The open steps owed by any of `owners`, soonest due first (undated last, as `infinity`), then by
 * link, the step's key making the order total; one page.
 */
export async function openStepsOf(sql: Sql, owners: string[], page: PageRequest): Promise<Page<OpenStep>> {
  const after = page.cursor === undefined ? null : decodeCursor('tasks', page.cursor);
  const rows = await sql<(OpenStep & { cursorKey: string[] })[]>`
    select kind, due_at, link, owner_id,
           array[coalesce(to_char(due_at at time zone 'UTC', ${KEY_INSTANT}), 'infinity'), link, workflow_id, step_key, owner_id] as cursor_key
    from open_steps
    where owner_id in ${sql(owners)}
      ${after ? sql`and (coalesce(due_at, 'infinity'::timestamptz), link, workflow_id, step_key, owner_id) > (${after[0]}::text::timestamptz, ${after[1]}, ${after[2]}, ${after[3]}, ${after[4]})` : sql``}
    order by coalesce(due_at, 'infinity'::timestamptz), link, workflow_id, step_key, owner_id
    limit ${page.limit + 1}`;
  return pageOf('tasks', rows, page.limit);
}

/** How many open steps any of `owners` owes: the count in the web pages' header. */
export async function countOpenSteps(sql: Sql, owners: string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from open_steps where owner_id in ${sql(owners)}`;
  return row.n;
}
