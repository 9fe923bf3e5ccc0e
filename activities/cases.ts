/**
 * Activities of the case workflow: its snapshot in the read model, the secret ballot's totals,
 * and the directory changes at the end of a move or a replacement (with the re-routing of the
 * evaluations those changes touch).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ballotTotals, saveCaseSnapshot } from '../db/cases';
import {
  loadNeighbourhood,
  movePerson,
  replacePerson,
  unitOfPerson,
  type MoveInput,
  type ReplacementInput,
} from '../db/directory';
import { openEvaluationsTouching } from '../db/evaluations';
import type { Sql } from '../db/sql';
import { collectiveOf, reviewerOf, settledBy } from '../domain/scope';
import type { Role } from '../domain/types';
import { rerouteEvaluation } from '../contracts/messages';
import type { SaveCaseInput } from '../contracts/snapshots';

/**
 * Points every evaluation still open for a review at the reviewer the directory names now: the
 * moved person's own, and those they were reviewing. Returns the evaluation workflow ids signalled.
 */
async function reroute(sql: Sql, temporal: Client | undefined, caseId: string, personId: string): Promise<string[]> {
  if (!temporal) throw new Error('re-routing evaluations needs a Temporal client in the worker.');
  const open = await openEvaluationsTouching(sql, personId);
  const signalled: string[] = [];
  for (const e of open) {
    const unitId = await unitOfPerson(sql, e.personId);
    if (!unitId) continue;
    const dir = await loadNeighbourhood(sql, unitId);
    const chain: Record<string, string | null> = {};
    for (const p of dir.people.filter((x) => x.role !== 'staff')) chain[p.id] = reviewerOf(dir, p.id);
    try {
      await temporal.workflow.getHandle(e.workflowId).signal(rerouteEvaluation, {
        caseId,
        reviewerId: reviewerOf(dir, e.personId),
        chain,
        collective: collectiveOf(dir, settledBy(dir, e.personId)),
      });
      signalled.push(e.workflowId);
    } catch (err) {
      // An evaluation that has closed meanwhile (or was terminated) has nothing left to re-route.
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return signalled;
}

export function caseActivities(sql: Sql, temporal: Client | undefined) {
  return {
    /** Upserts the case row (never with an older version) and its side records, in one transaction. */
    saveCase: (input: SaveCaseInput): Promise<void> => saveCaseSnapshot(sql, input),

    /** The secret ballot's totals (never who voted how: nothing stores that). */
    readBallot: ({ caseId }: { caseId: string }): Promise<{ approve: number; reject: number }> =>
      ballotTotals(sql, caseId),

    /**
     * Moves the person in the directory on the effective date (db/directory.ts movePerson), then
     * re-routes the evaluations the move touches. Idempotent (a retry writes the same).
     */
    async applyMove(input: MoveInput): Promise<{ rerouted: string[] }> {
      await movePerson(sql, input);
      return { rerouted: await reroute(sql, temporal, input.caseId, input.personId) };
    },

    /**
     * A replacement decided "replace" (db/directory.ts replacePerson), then the re-routing of both
     * people's evaluations. Idempotent: a retry finds the change made and repeats nothing.
     */
    async applyReplacement(input: ReplacementInput): Promise<{ newRole: Role; vacatedRole: Role; rerouted: string[] }> {
      const result = await replacePerson(sql, input);
      const rerouted = [
        ...(await reroute(sql, temporal, input.caseId, input.personId)),
        ...(await reroute(sql, temporal, input.caseId, input.actingPersonId)),
      ];
      return { newRole: result.newRole, vacatedRole: result.vacatedRole, rerouted };
    },
  };
}
