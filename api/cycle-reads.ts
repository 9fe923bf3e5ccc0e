/**
 * Reads of a unit's cycle as the API and the web pages give them: who reads a whole cycle, the
 * published results, and the complaints waiting on someone. One place, so a page shows only what
 * the same caller reads through the API.
 */
import { openComplaintsFor } from '../db/complaints';
import { cycleResults, type CycleRow } from '../db/cycles';
import { escalationNames } from '../db/escalations';
import type { Sql } from '../db/sql';
import { identities, isHr, type Caller } from './auth';
import { conflict, forbidden } from './errors';
import { iso } from './read-model';

/**
 * Who reads a whole cycle: HR, the unit's collective, and whoever an escalation of the cycle has
 * asked to act (a superior head who took the deliberation over); a member sees only their own line.
 */
export async function readScope(sql: Sql, caller: Caller, cycle: CycleRow): Promise<'all' | 'own'> {
  if (isHr(caller) || cycle.collective.includes(caller.id) || (await escalationNames(sql, cycle.workflowId, caller.id)))
    return 'all';
  if (cycle.members.some((m) => m.personId === caller.id)) return 'own';
  throw forbidden("Only the unit's collective, its members, HR and those its escalations name read this cycle.");
}

/** The published grades of a cycle, for whoever reads the cycle (members see the whole list). */
export async function publishedResults(sql: Sql, caller: Caller, cycle: CycleRow) {
  await readScope(sql, caller, cycle);
  if (cycle.phase !== 'published' && cycle.phase !== 'locked')
    throw conflict('The results are not published yet.', { phase: cycle.phase });
  return {
    unitId: cycle.unitId,
    period: cycle.period,
    phase: cycle.phase,
    complaintWindowEndsAt: iso(cycle.complaintWindowEndsAt),
    results: await cycleResults(sql, cycle.unitId, cycle.period),
  };
}

/** The open complaints the caller is to resolve (as their open steps say), oldest due first. */
export async function complaintsToResolve(sql: Sql, caller: Caller) {
  return (await openComplaintsFor(sql, identities(caller))).map((c) => ({
    ...c,
    dueAt: iso(c.dueAt)!,
    createdAt: iso(c.createdAt)!,
  }));
}
