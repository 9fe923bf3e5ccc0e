/** Reads and writes of cases outside their workflow: the directory they start from, the read model, the secret ballot box. */
import { caseWorkflowId, type CaseView } from '../contracts/case-messages';
import type { SaveCaseInput } from '../contracts/snapshots';
import type { Directory } from '../domain/types';
import { loadNeighbourhood } from './directory';
import { decodeCursor, KEY_INSTANT, pageOf, type Page, type PageRequest } from './pagination';
import { writeSideRecords } from './side-records';
import type { Sql, Tx } from './sql';

/** The neighbourhoods of several units merged: enough for the parties of a case between them. */
export async function loadDirectoryAround(sql: Sql, unitIds: string[]): Promise<Directory> {
  const units = new Map<string, Directory['units'][number]>();
  const people = new Map<string, Directory['people'][number]>();
  for (const id of new Set(unitIds)) {
    const dir = await loadNeighbourhood(sql, id);
    for (const u of dir.units) units.set(u.id, u);
    for (const p of dir.people) people.set(p.id, p);
  }
  return { units: [...units.values()], people: [...people.values()] };
}

export interface CaseRow extends Omit<CaseView, 'ballots' | 'escalations' | 'createdAt'> {
  workflowId: string;
  actorIds: string[];
  proposalId: string | null;
  votes: CaseView['votes'] & { ballots?: CaseView['ballots'] };
  createdAt: Date;
  version: number;
}

export async function findCase(sql: Sql, id: string): Promise<CaseRow | undefined> {
  const [row] = await sql<CaseRow[]>`
    select id, workflow_id, kind, person_id, status, step, request, parties, steps, votes, decision, actor_ids, proposal_id, version, created_at
    from cases where id = ${id}`;
  return row;
}

/** Cases by status, all of them (`actorId` null: HR) or those that ask `actorId` to act; newest first, one page. */
export async function listCases(
  sql: Sql,
  status: string | undefined,
  actorId: string | null,
  page: PageRequest,
): Promise<Page<CaseRow>> {
  const after = page.cursor === undefined ? null : decodeCursor('cases', page.cursor);
  const rows = await sql<(CaseRow & { cursorKey: string[] })[]>`
    select id, workflow_id, kind, person_id, status, step, request, parties, steps, votes, decision, actor_ids, proposal_id, version, created_at,
           array[to_char(created_at at time zone 'UTC', ${KEY_INSTANT}), id] as cursor_key
    from cases
    where (${status ?? null}::text is null or status = ${status ?? null})
      and (${actorId}::text is null or ${actorId} = any(actor_ids))
      ${after ? sql`and (created_at < ${after[0]}::text::timestamptz or (created_at = ${after[0]}::text::timestamptz and id > ${after[1]}))` : sql``}
    order by created_at desc, id
    limit ${page.limit + 1}`;
  return pageOf('cases', rows, page.limit);
}

export const caseVersion = (sql: Sql, id: string) => ({
  sql,
  workflowId: caseWorkflowId(id),
  current: async (): Promise<number | undefined> =>
    (await sql<{ version: number }[]>`select version from cases where id = ${id}`)[0]?.version,
});

/** The person's case in progress (open, or approved and not yet carried out), if any. */
export async function caseInProgress(sql: Sql | Tx, personId: string): Promise<string | undefined> {
  const [row] = await sql<
    { id: string }[]
  >`select id from cases where person_id = ${personId} and status in ('open', 'approved')`;
  return row?.id;
}

/** The first row of a case, as its workflow's own first snapshot will show it. */
export interface CaseClaim {
  id: string;
  workflowId: string;
  kind: string;
  personId: string;
  request: unknown;
  parties: unknown;
  /** How many the deciding collective has: the votes' `of`. */
  collectiveSize: number;
  proposalId: string | null;
}

/**
 * Opens a case unless its person has one in progress. Under a lock on the person, it checks,
 * writes the case's first row (version 0, which the workflow's first snapshot replaces) and runs
 * `start` (the workflow's start), all in one transaction: a concurrent request for the same person
 * waits, then finds this case; a start that fails, or a process that dies before it commits,
 * leaves no row behind. The unique index on a person's case in progress holds even without the lock.
 * Returns the id of the case in progress that stopped it, or undefined once the case is open.
 */
export async function claimCase(
  sql: Sql,
  claim: CaseClaim,
  start: () => Promise<unknown>,
): Promise<string | undefined> {
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtextextended(${`case-person:${claim.personId}`}, 0))`;
    const existing = await caseInProgress(tx, claim.personId);
    if (existing) return existing;
    await tx`
      insert into cases (id, workflow_id, kind, person_id, status, step, request, parties, steps, votes, decision, actor_ids, proposal_id, version)
      values (${claim.id}, ${claim.workflowId}, ${claim.kind}, ${claim.personId}, 'open', 'opening', ${tx.json(claim.request as never)},
              ${tx.json(claim.parties as never)}, ${tx.json([])}, ${tx.json({ approve: 0, reject: 0, of: claim.collectiveSize })}, null,
              ${[claim.personId]}, ${claim.proposalId}, 0)`;
    // The workflow's first snapshot may try to write before this commits: its insert waits on
    // this row and then takes the update path.
    await start();
    return undefined;
  });
}

/**
 * Puts one secret ballot in the box: records that `voterId` has voted and adds the choice to the
 * totals, in one transaction, storing nothing that links the two. Returns null when the voter has
 * already voted.
 */
export async function castSecretBallot(
  sql: Sql,
  caseId: string,
  voterId: string,
  vote: 'approve' | 'reject',
): Promise<{ approve: number; reject: number; cast: number } | null> {
  return sql.begin(async (tx) => {
    const inserted =
      await tx`insert into ballot_voters (case_id, voter_id) values (${caseId}, ${voterId}) on conflict do nothing returning voter_id`;
    if (inserted.length === 0) return null;
    const [totals] = await tx<{ approve: number; reject: number }[]>`
      insert into ballot_totals (case_id, approve, reject) values (${caseId}, ${vote === 'approve' ? 1 : 0}, ${vote === 'reject' ? 1 : 0})
      on conflict (case_id) do update set approve = ballot_totals.approve + excluded.approve, reject = ballot_totals.reject + excluded.reject
      returning approve, reject`;
    return { ...totals, cast: totals.approve + totals.reject };
  });
}

/** A secret ballot's totals (never who voted how: nothing stores that). */
export async function ballotTotals(sql: Sql, caseId: string): Promise<{ approve: number; reject: number }> {
  const [totals] = await sql<
    { approve: number; reject: number }[]
  >`select approve, reject from ballot_totals where case_id = ${caseId}`;
  return totals ?? { approve: 0, reject: 0 };
}

/** The ballot box of a case: its totals and how many have voted (never who voted how). */
export async function ballotBox(
  sql: Sql,
  caseId: string,
): Promise<{ approve: number; reject: number; voters: string[] }> {
  const totals = await ballotTotals(sql, caseId);
  const voters = await sql<
    { voterId: string }[]
  >`select voter_id from ballot_voters where case_id = ${caseId} order by voter_id`;
  return { ...totals, voters: voters.map((v) => v.voterId) };
}

/**
 * Upserts the case row (never with an older version), marks the proposal it came from opened,
 * and writes its side records, in one transaction.
 */
export async function saveCaseSnapshot(sql: Sql, input: SaveCaseInput): Promise<void> {
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
}
