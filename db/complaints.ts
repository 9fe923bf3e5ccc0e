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

export interface OpenComplaint {
  id: string;
  period: string;
  unitId: string;
  personId: string;
  fullName: string | null;
  reason: string;
  /** The grade the complaint is about (the final grade as it stands). */
  finalGrade: string | null;
  dueAt: Date;
  createdAt: Date;
}

/** The open complaints whose resolution waits on any of `owners` (the open step the cycle keeps), oldest first. */
export async function openComplaintsFor(sql: Sql, owners: string[]): Promise<OpenComplaint[]> {
  return sql<OpenComplaint[]>`
    select c.id, c.period, c.unit_id, c.person_id, p.full_name, c.reason, e.final_grade, c.due_at, c.created_at
    from complaints c
    join open_steps s on s.workflow_id = c.workflow_id and s.step_key = 'complaint:' || c.id
    left join people p on p.id = c.person_id
    left join evaluations e on e.period = c.period and e.person_id = c.person_id
    where c.status = 'open' and s.owner_id = any(${owners})
    order by c.due_at, c.id
    limit 500`;
}

/** `personId`'s complaints in a month, newest first. */
export async function complaintsOfPerson(
  sql: Sql,
  period: string,
  personId: string,
): Promise<{ id: string; status: string; outcome: string | null; grade: string | null; createdAt: Date }[]> {
  return sql`
    select id, status, outcome, grade, created_at from complaints
    where period = ${period} and person_id = ${personId} order by created_at desc`;
}
