/** The cycles' read model as the API reads it: a unit's month, its version, its published results. */
import { evaluationWorkflowId } from '../contracts/messages';
import type { SaveCycleInput } from '../contracts/snapshots';
import { writeSideRecords } from './side-records';
import type { Sql } from './sql';

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

export async function findCycle(sql: Sql, unitId: string, period: string): Promise<CycleRow | undefined> {
  const [row] = await sql<CycleRow[]>`
    select unit_id, period, workflow_id, phase, profile_id, deadlines, head_id, collective, members, outstanding, deliberation,
           published_at, complaint_window_ends_at, locked_at
    from cycles where unit_id = ${unitId} and period = ${period}`;
  return row;
}

/** The snapshot version the read model holds for the cycle, if it holds one. */
export async function cycleVersionOf(sql: Sql, unitId: string, period: string): Promise<number | undefined> {
  const [row] = await sql<
    { version: number }[]
  >`select version from cycles where unit_id = ${unitId} and period = ${period}`;
  return row?.version;
}

export interface CycleResult {
  personId: string;
  fullName: string;
  finalGrade: string | null;
  total: number | null;
}

/** Each evaluated member's grade and total for the month, by person id. */
export async function cycleResults(sql: Sql, unitId: string, period: string): Promise<CycleResult[]> {
  return sql<CycleResult[]>`
    select e.person_id, p.full_name, e.final_grade, e.total
    from evaluations e left join people p on p.id = e.person_id
    where e.unit_id = ${unitId} and e.period = ${period} order by e.person_id`;
}

/** Upserts the cycle row, its seeded evaluations, final grades, complaints and side records in one transaction. */
export async function saveCycleSnapshot(sql: Sql, input: SaveCycleInput): Promise<void> {
  const v = input.view;
  await sql.begin(async (tx) => {
    await tx`
      insert into cycles (unit_id, period, workflow_id, phase, profile_id, deadlines, head_id, collective, members, outstanding,
                          deliberation, published_at, complaint_window_ends_at, locked_at, version)
      values (${v.unitId}, ${v.period}, ${input.workflowId}, ${v.phase}, ${v.profileId}, ${tx.json(v.deadlines)}, ${v.headId},
              ${v.collective}, ${tx.json(input.members as never)}, ${v.outstanding}, ${v.deliberation ? tx.json(v.deliberation as never) : null}, ${v.publishedAt},
              ${v.complaintWindowEndsAt}, ${v.phase === 'locked' ? (input.lockedAt ?? new Date()) : null}, ${input.version})
      on conflict (unit_id, period) do update set
        phase = excluded.phase, profile_id = excluded.profile_id, deadlines = excluded.deadlines, head_id = excluded.head_id,
        collective = excluded.collective, members = excluded.members, outstanding = excluded.outstanding, deliberation = excluded.deliberation,
        published_at = excluded.published_at, complaint_window_ends_at = excluded.complaint_window_ends_at,
        locked_at = coalesce(cycles.locked_at, excluded.locked_at), version = excluded.version, updated_at = now()
      where cycles.version < excluded.version`;
    if (input.seedEvaluations && input.members.length > 0) {
      const rows = input.members.map((m) => ({
        period: v.period,
        personId: m.personId,
        unitId: v.unitId,
        workflowId: evaluationWorkflowId(v.period, m.personId),
        reviewerId: m.reviewerId,
        status: 'pending',
        deadlines: {
          plan: v.deadlines.plan,
          selfAssessment: v.deadlines.selfAssessment,
          review: v.deadlines.review,
        },
        version: 0,
      }));
      for (let i = 0; i < rows.length; i += 1000) {
        await tx`insert into evaluations ${tx(rows.slice(i, i + 1000) as never, 'period', 'personId', 'unitId', 'workflowId', 'reviewerId', 'status', 'deadlines', 'version')}
          on conflict (period, person_id) do nothing`;
      }
    }
    for (const f of input.finals) {
      await tx`
        update evaluations set final_grade = ${f.finalGrade}, caps = ${tx.json(f.caps as never)}, status = 'decided',
          final_version = ${input.version}, updated_at = now()
        where period = ${v.period} and person_id = ${f.personId} and final_version < ${input.version}`;
    }
    for (const c of input.complaints) {
      await tx`
        insert into complaints (id, workflow_id, period, person_id, unit_id, reason, status, outcome, grade, rationale, resolved_by,
                                due_at, created_at, resolved_at, version)
        values (${c.id}, ${input.workflowId}, ${v.period}, ${c.personId}, ${v.unitId}, ${c.reason}, ${c.status}, ${c.outcome},
                ${c.grade}, ${c.rationale}, ${c.resolvedBy}, ${c.dueAt}, ${c.createdAt}, ${c.resolvedAt}, ${input.version})
        on conflict (id) do update set status = excluded.status, outcome = excluded.outcome, grade = excluded.grade,
          rationale = excluded.rationale, resolved_by = excluded.resolved_by, due_at = excluded.due_at,
          resolved_at = excluded.resolved_at, version = excluded.version
        where complaints.version < excluded.version`;
    }
    await writeSideRecords(tx, input);
  });
}

/** The latest month a unit has a cycle for, if any (optionally only in one of `phases`). */
export async function latestPeriodOf(sql: Sql, unitId: string, phases?: string[]): Promise<string | undefined> {
  const [row] = await sql<{ period: string }[]>`
    select period from cycles
    where unit_id = ${unitId} ${phases ? sql`and phase = any(${phases})` : sql``}
    order by period desc limit 1`;
  return row?.period;
}

/** Full names of `ids` (those the directory knows). */
export async function namesOf(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  const rows = await sql<{ id: string; fullName: string }[]>`select id, full_name from people where id = any(${ids})`;
  return new Map(rows.map((r) => [r.id, r.fullName]));
}
