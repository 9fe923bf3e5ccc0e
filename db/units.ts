/** Reads of single facts about units and who leads them. */
import type { Sql } from './sql';

/** Whether the unit exists (and, with `activeOnly`, is active). */
export async function unitExists(sql: Sql, id: string, opts: { activeOnly?: boolean } = {}): Promise<boolean> {
  const rows = opts.activeOnly
    ? await sql`select 1 from units where id = ${id} and active`
    : await sql`select 1 from units where id = ${id}`;
  return rows.length > 0;
}

/** The unit's head other than `exceptPersonId`, if it has one. */
export async function otherHeadOf(sql: Sql, unitId: string, exceptPersonId: string): Promise<string | undefined> {
  const [row] = await sql<
    { id: string }[]
  >`select id from people where unit_id = ${unitId} and role = 'head' and id <> ${exceptPersonId}`;
  return row?.id;
}

/** Whether the person is the unit's head or one of its deputies (its collective). */
export async function leadsUnit(sql: Sql, unitId: string, personId: string): Promise<boolean> {
  const rows =
    await sql`select 1 from people where unit_id = ${unitId} and id = ${personId} and role in ('head', 'deputy')`;
  return rows.length > 0;
}

/** The ids of the active units, in order. */
export async function activeUnitIds(sql: Sql): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`select id from units where active order by id`;
  return rows.map((r) => r.id);
}

/** Whether the directory holds no unit yet (a fresh installation). */
export async function directoryIsEmpty(sql: Sql): Promise<boolean> {
  const rows = await sql`select 1 from units limit 1`;
  return rows.length === 0;
}
