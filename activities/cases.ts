/**
 * Activities of the case workflow: its snapshot in the read model, the secret ballot's totals,
 * and the directory changes at the end of a move or a replacement (with the re-routing of the
 * evaluations those changes touch).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { writeAudit } from '../db/audit';
import { loadNeighbourhood, lockDirectory } from '../db/directory';
import type { Sql } from '../db/sql';
import { roleOneLevelLower } from '../domain/triggers';
import { collectiveOf, reviewerOf, settledBy } from '../domain/scope';
import type { Role } from '../domain/types';
import { rerouteEvaluation } from '../contracts/messages';
import { writeSideRecords } from './records';
import type { SaveCaseInput } from '../contracts/snapshots';

/**
 * Points every evaluation still open for a review at the reviewer the directory names now: the
 * moved person's own, and those they were reviewing. Returns the evaluation workflow ids signalled.
 */
async function reroute(sql: Sql, temporal: Client | undefined, caseId: string, personId: string): Promise<string[]> {
  if (!temporal) throw new Error('re-routing evaluations needs a Temporal client in the worker.');
  const open = await sql<{ workflowId: string; personId: string }[]>`
    select e.workflow_id, e.person_id from evaluations e
    join cycles c on c.unit_id = e.unit_id and c.period = e.period
    where c.phase in ('starting', 'open') and e.status in ('pending', 'planned', 'self-assessed')
      and (e.person_id = ${personId} or e.reviewer_id = ${personId})`;
  const signalled: string[] = [];
  for (const e of open) {
    const [person] = await sql<{ unitId: string }[]>`select unit_id from people where id = ${e.personId}`;
    if (!person) continue;
    const dir = await loadNeighbourhood(sql, person.unitId);
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
    async saveCase(input: SaveCaseInput): Promise<void> {
      const r = input.row;
      await sql.begin(async (tx) => {
        await tx`
          insert into cases (id, workflow_id, kind, person_id, status, step, request, parties, steps, votes, decision, actor_ids, proposal_id, version, created_at)
          values (${r.id}, ${input.workflowId}, ${r.kind}, ${r.personId}, ${r.status}, ${r.step}, ${tx.json(r.request as never)}, ${tx.json(r.parties as never)},
                  ${tx.json(r.steps as never)}, ${tx.json({ ...r.votes, ...(r.ballots ? { ballots: r.ballots } : {}) } as never)},
                  ${r.decision ? tx.json(r.decision as never) : null}, ${r.actorIds}, ${r.proposalId}, ${input.version}, ${r.createdAt})
          on conflict (id) do update set status = excluded.status, step = excluded.step, steps = excluded.steps, votes = excluded.votes,
            decision = excluded.decision, actor_ids = excluded.actor_ids, version = excluded.version, updated_at = now()
          where cases.version < excluded.version`;
        if (r.proposalId) {
          await tx`update proposals set status = 'opened', case_id = ${r.id}, updated_at = now() where id = ${r.proposalId} and status = 'open'`;
        }
        await writeSideRecords(tx, input);
      });
    },

    /** The secret ballot's totals (never who voted how: nothing stores that). */
    async readBallot({ caseId }: { caseId: string }): Promise<{ approve: number; reject: number }> {
      const [row] = await sql<
        { approve: number; reject: number }[]
      >`select approve, reject from ballot_totals where case_id = ${caseId}`;
      return row ?? { approve: 0, reject: 0 };
    },

    /**
     * Moves the person in the directory on the effective date: new unit and role, in the position
     * since that date, reviewed by the new unit's default. Idempotent (a retry writes the same).
     */
    async applyMove(input: {
      caseId: string;
      personId: string;
      toUnitId: string;
      toRole: Role;
      effectiveDate: string;
    }): Promise<{ rerouted: string[] }> {
      await sql.begin(async (tx) => {
        // Like every directory write, after any upload being checked has committed (db/directory.ts).
        await lockDirectory(tx);
        const [before] = await tx<
          { unitId: string; role: Role }[]
        >`select unit_id, role from people where id = ${input.personId} for update`;
        await tx`
          update people set unit_id = ${input.toUnitId}, role = ${input.toRole}, position_since = ${input.effectiveDate},
            reviewer_id = null, updated_at = now()
          where id = ${input.personId}`;
        // Staff who named the leaver as their reviewer fall back to their unit's default.
        await tx`update people set reviewer_id = null, updated_at = now() where reviewer_id = ${input.personId} and unit_id <> ${input.toUnitId}`;
        await writeAudit(tx, {
          dedupeKey: `case:${input.caseId}:moved`,
          actor: 'system',
          action: 'person.moved',
          subject: `person:${input.personId}`,
          payload: {
            caseId: input.caseId,
            from: before ?? null,
            toUnitId: input.toUnitId,
            toRole: input.toRole,
            effectiveDate: input.effectiveDate,
          },
          onDuplicate: 'skip',
        });
      });
      return { rerouted: await reroute(sql, temporal, input.caseId, input.personId) };
    },

    /**
     * A replacement decided "replace": the acting holder takes the post, the person drops one role
     * in the placement unit. Idempotent: a retry finds the change made and repeats nothing.
     */
    async applyReplacement(input: {
      caseId: string;
      personId: string;
      actingPersonId: string;
      placementUnitId: string;
      effectiveDate: string;
    }): Promise<{ newRole: Role; vacatedRole: Role; rerouted: string[] }> {
      const result = await sql.begin(async (tx) => {
        const [done] = await tx<{ payload: { newRole: Role; vacatedRole: Role } }[]>`
          select payload from audit where dedupe_key = ${`case:${input.caseId}:replaced`}`;
        if (done) return done.payload;
        await lockDirectory(tx);
        const [person] = await tx<
          { unitId: string; role: Role }[]
        >`select unit_id, role from people where id = ${input.personId} for update`;
        const newRole = roleOneLevelLower(person.role) ?? 'staff';
        await tx`
          update people set unit_id = ${input.placementUnitId}, role = ${newRole}, position_since = ${input.effectiveDate}, reviewer_id = null, updated_at = now()
          where id = ${input.personId}`;
        await tx`
          update people set unit_id = ${person.unitId}, role = ${person.role}, position_since = ${input.effectiveDate}, reviewer_id = null, updated_at = now()
          where id = ${input.actingPersonId}`;
        const payload = {
          caseId: input.caseId,
          newRole,
          vacatedRole: person.role,
          unitId: person.unitId,
          actingPersonId: input.actingPersonId,
          placementUnitId: input.placementUnitId,
        };
        await writeAudit(tx, {
          dedupeKey: `case:${input.caseId}:replaced`,
          actor: 'system',
          action: 'person.replaced',
          subject: `person:${input.personId}`,
          payload,
        });
        return payload;
      });
      const rerouted = [
        ...(await reroute(sql, temporal, input.caseId, input.personId)),
        ...(await reroute(sql, temporal, input.caseId, input.actingPersonId)),
      ];
      return { newRole: result.newRole, vacatedRole: result.vacatedRole, rerouted };
    },
  };
}
