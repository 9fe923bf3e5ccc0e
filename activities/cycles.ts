/** Activities of the cycle workflow: its context from the directory, cap facts, and its snapshot. */
import { ApplicationFailure, log } from '@temporalio/activity';
import type { Sql } from '../db/sql';
import { addDays, daysFrom, defaultDeadlines, isWorkingDay, nextPeriod, workingDaysIn } from '../domain/calendar';
import { ErrorType } from '../domain/errors';
import { profileFor } from '../domain/scoring';
import { collectiveOf, headOf, ledBy, membersSettledBy, reviewerOf } from '../domain/scope';
import { saveCycleSnapshot } from '../db/cycles';
import { loadNeighbourhood } from '../db/directory';
import { closedResults, gradedDIn } from '../db/evaluations';
import { disciplinedAmong, leaveWithin } from '../db/people-records';
import { scanReplacementTriggers } from '../db/proposals';
import { loadCaseRules, loadHolidays, loadProfileSchedule, loadRules } from '../db/settings';
import type { EvaluationResult } from '../contracts/messages';
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
  const [disciplined, leaves, dRows] = await Promise.all([
    disciplinedAmong(sql, memberIds, first, last),
    leaveWithin(sql, memberIds, first, last),
    gradedDIn(sql, period),
  ]);
  // A head's own D is not "someone they lead" being D: only the others of their unit count.
  const someoneElseInUnitIsD = (unitId: string, personId: string): boolean =>
    dRows.some((r) => r.unitId === unitId && r.personId !== personId);
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
      return closedResults(sql, unitId, period, memberIds);
    },

    /** Discipline, leave and who-leads-whom facts for the caps, read when deliberation opens. */
    loadCapFacts: (args: { unitId: string; period: string; memberIds: string[] }): Promise<CapFactsRow[]> =>
      loadCapFacts(sql, args),

    /** Writes the cycle's snapshot (db/cycles.ts saveCycleSnapshot), then scans for replacement triggers. */
    async saveCycle(input: SaveCycleInput): Promise<void> {
      const v = input.view;
      await saveCycleSnapshot(sql, input);
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
