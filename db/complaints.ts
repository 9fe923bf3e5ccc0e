/** Complaints about a published grade, as the API reads them (the cycle's workflow writes them). */
import type { Sql } from './sql';

export interface ComplaintRef {
  workflowId: string;
  period: string;
  unitId: string;
}

/** Where a complaint lives: the workflow that holds it and its cycle. */
export async function findComplaint(sql: Sql, id: string): Promise<ComplaintRef | undefined> {
  const [row] = await sql<ComplaintRef[]>`select workflow_id, period, unit_id from complaints where id = ${id}`;
  return row;
}

/** The snapshot version the read model holds for the complaint, if it holds one. */
export async function complaintVersionOf(sql: Sql, id: string): Promise<number | undefined> {
  const [row] = await sql<{ version: number }[]>`select version from complaints where id = ${id}`;
  return row?.version;
}
