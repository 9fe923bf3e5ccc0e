/** Activities of the cycle workflow: its context from the directory, cap facts, and its snapshot. */
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Sql } from '../db/sql';
import { addDays, daysFrom, defaultDeadlines, isWorkingDay, nextPeriod, workingDaysIn } from '../domain/calendar';
import { ErrorType } from '../domain/errors';
import { profileFor } from '../domain/scoring';
import { collectiveOf, headOf, ledBy, membersSettledBy, reviewerOf } from '../domain/scope';
import { loadNeighbourhood } from '../db/directory';
import { scanReplacementTriggers } from '../db/proposals';
import { loadCaseRules, loadHolidays, loadProfileSchedule, loadRules } from '../db/settings';
import { evaluationWorkflowId, type EvaluationResult } from '../contracts/messages';
import { writeSideRecords } from './records';
import type { CapFactsRow, CycleContext, SaveCycleInput } from '../contracts/snapshots';

/** Discipline, leave and who-leads-whom facts for the caps, read when deliberation opens. */
async function loadCapFacts(
  sql: Sql,
  { unitId, period, memberIds }: { unitId: string; period: string; memberIds: string[] },
): Promise<CapFactsRow[]> {
  const dir = await loadNeighbourhood(sql, unitId);
  const holidays = await loadHolidays(sql);
  const first = `${period}-01`;
  const last = addDays(`${nextPeriod(period)}-01`, -1);
  const discipline = await sql<{ personId: string }[]>`
    select distinct person_id from discipline where person_id in ${sql(memberIds)} and date between ${first} and ${last}`;
  const leaves = await sql<{ personId: string; fromDate: string; toDate: string }[]>`
    select person_id, to_char(greatest(from_date, ${first}::date), 'YYYY-MM-DD') as from_date,
           to_char(least(to_date, ${last}::date), 'YYYY-MM-DD') as to_date
    from leaves where person_id in ${sql(memberIds)} and from_date <= ${last} and to_date >= ${first}`;
  const dRows = await sql<{ unitId: string; personId: string }[]>`
    select p.unit_id, e.person_id from evaluations e join people p on p.id = e.person_id
    where e.period = ${period} and coalesce(e.final_grade, e.proposed_grade) = 'D'`;
  // A head's own D is not "someone they lead" being D: only the others of their unit count.
  const someoneElseInUnitIsD = (unitId: string, personId: string): boolean =>
    dRows.some((r) => r.unitId === unitId && r.personId !== personId);
  const disciplined = new Set(discipline.map((r) => r.personId));
  const members = new Set(memberIds);
  const workingDays = workingDaysIn(period, holidays);
  return memberIds.map((id) => {
    const person = dir.people.find((p) => p.id === id);
    const leaveDays = new Set<string>();
    for (const l of leaves.filter((x) => x.personId === id)) {
      for (const d of daysFrom(l.fromDate, l.toDate)) if (isWorkingDay(d, holidays)) leaveDays.add(d);
    }
    const led = person && person.role !== 'staff' ? ledBy(dir, id) : [];
    const ownUnitIsSettledHere = person?.unitId === unitId;
    return {
      personId: id,
      disciplinedInMonth: disciplined.has(id),
      leaveWorkingDays: leaveDays.size,
      workingDaysInMonth: workingDays,
      isLeader: person?.role === 'head' || person?.role === 'deputy',
      ledInCycle: led.filter((x) => members.has(x)),
      // A subordinate unit's head leads people settled in that unit's own cycle.
      ledOutsideIsD:
        !!person && person.role === 'head' && !ownUnitIsSettledHere && someoneElseInUnitIsD(person.unitId, id),
    };
  });
}

export function cycleActivities(sql: Sql) {
  return {
    /**
     * Reads who the unit's collective settles this month and every fact the cycle needs later.
     * @throws a non-retryable not_found failure when the unit is unknown.
     */
    async loadCycleContext({ unitId, period }: { unitId: string; period: string }): Promise<CycleContext> {
      const dir = await loadNeighbourhood(sql, unitId);
      const unit = dir.units.find((u) => u.id === unitId);
      if (!unit) throw ApplicationFailure.nonRetryable(`Unknown unit ${unitId}.`, ErrorType.NotFound);
      const [holidays, rules, schedule] = await Promise.all([
        loadHolidays(sql),
        loadRules(sql),
        loadProfileSchedule(sql),
      ]);
      const members = membersSettledBy(dir, unitId);
      const chain: Record<string, string | null> = {};
      for (const p of dir.people.filter((x) => x.role !== 'staff')) chain[p.id] = reviewerOf(dir, p.id);
      return {
        unitId,
        unitName: unit.name,
        period,
        profileId: profileFor(period, schedule).id,
        rules,
        holidays,
        defaults: defaultDeadlines(period, holidays, rules),
        headId: headOf(dir, unitId)?.id ?? null,
        collective: collectiveOf(dir, unitId),
        chain,
        members: members.map((m) => ({
          personId: m.id,
          fullName: m.fullName,
          role: m.role,
          personUnitId: m.unitId,
          reviewerId: reviewerOf(dir, m.id),
        })),
      };
    },

    /**
     * The reviewed results of the members whose evaluations have closed (a cycle started with
     * `cycle-learns-reviews-from-read-model` reads them here instead of from its children).
     */
    async loadClosedResults({
      unitId,
      period,
      memberIds,
    }: {
      unitId: string;
      period: string;
      memberIds: string[];
    }): Promise<EvaluationResult[]> {
      if (memberIds.length === 0) return [];
      return await sql<EvaluationResult[]>`
        select person_id, self_scores, review_scores, total, proposed_grade, reviewer_id from evaluations
        where unit_id = ${unitId} and period = ${period} and closed_at is not null and person_id in ${sql(memberIds)}`;
    },

    /** Discipline, leave and who-leads-whom facts for the caps, read when deliberation opens. */
    loadCapFacts: (args: { unitId: string; period: string; memberIds: string[] }): Promise<CapFactsRow[]> =>
      loadCapFacts(sql, args),

    /** Upserts the cycle row, final grades, complaints and side records in one transaction. */
    async saveCycle(input: SaveCycleInput): Promise<void> {
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
      if (input.finals.length > 0) {
        // New or changed final grades (publication, a complaint) may fire a leader's replacement trigger.
        // The snapshot is written either way: a scan that fails is logged and runs again on the
        // next snapshot, the monthly scan and every annual roll-up.
        try {
          const [caseRules, rules] = await Promise.all([loadCaseRules(sql), loadRules(sql)]);
          await scanReplacementTriggers(
            sql,
            caseRules,
            rules,
            input.finals.map((f) => f.personId),
          );
        } catch (err) {
          log.warn('replacement trigger scan failed after a publication', {
            unitId: v.unitId,
            period: v.period,
            error: String(err),
          });
        }
      }
    },
  };
}
