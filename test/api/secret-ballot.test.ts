/**
 * A replacement's secret ballot split 3–2 on the real stack (Temporal CLI dev server, worker,
 * HTTP API, PostgreSQL): from the first vote on, no event of the case's raw history names a voter
 * apart from the whole collective (update IDs, identities, headers, memo and search attributes
 * included), and no row of any table links a voter to a choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Directory } from '../../domain/types';
import { caseWorkflowId } from '../../contracts/case-messages';
import { historyToJson } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';

/** The deciding collective of `tp`: its head chairs; ids no other text in the engine contains. */
const VOTERS = ['bv-chu', 'bv-hai', 'bv-ba', 'bv-bon', 'bv-nam'];
const DIRECTORY: Directory = {
  units: [
    { id: 'tp', name: 'UBND Thành phố', parentId: null },
    { id: 'so', name: 'Sở Tài chính', parentId: 'tp' },
  ],
  people: [
    { id: 'bv-chu', fullName: 'Chủ tịch', unitId: 'tp', role: 'head' },
    ...VOTERS.slice(1).map((id) => ({ id, fullName: `Phó chủ tịch ${id}`, unitId: 'tp', role: 'deputy' as const })),
    { id: 'nhan-su', fullName: 'Cán bộ nhân sự', unitId: 'tp', role: 'staff' },
    { id: 'so-truong', fullName: 'Giám đốc Sở', unitId: 'so', role: 'head' },
    { id: 'so-pho', fullName: 'Phó giám đốc Sở', unitId: 'so', role: 'deputy' },
  ],
};
/** In the order cast: the fifth ballot is the third approval, which closes the ballot 3–2. */
/** The majority is reached at the third ballot; the box must still wait for the last two. */
const BALLOTS: [string, 'approve' | 'reject'][] = [
  ['bv-chu', 'approve'],
  ['bv-ba', 'approve'],
  ['bv-nam', 'approve'],
  ['bv-hai', 'reject'],
  ['bv-bon', 'reject'],
];

/** The voters a text names, as whole ids (a voter id inside a longer id does not count). */
const votersIn = (text: string): string[] => VOTERS.filter((v) => new RegExp(`(?<![\\w-])${v}(?![\\w-])`).test(text));

/** Every payload in a proto3 JSON tree decoded to its text, so a name inside one is searchable. */
function decodePayloads(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(decodePayloads);
  if (node === null || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  const isPayload =
    typeof (node as { data?: unknown }).data === 'string' &&
    typeof (node as { metadata?: unknown }).metadata === 'object';
  const decode = (b64: unknown) => Buffer.from(String(b64), 'base64').toString('utf8');
  if (isPayload) {
    const metadata = Object.fromEntries(
      Object.entries((node as { metadata: Record<string, string> }).metadata).map(([k, v]) => [k, decode(v)]),
    );
    return { metadata, data: decode((node as { data: string }).data) };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, decodePayloads(v)]));
}

/** Every value found under `key` at any depth. */
function valuesUnder(node: unknown, key: string): unknown[] {
  if (node === null || typeof node !== 'object') return [];
  const here = !Array.isArray(node) && key in node ? [(node as Record<string, unknown>)[key]] : [];
  return [...here, ...Object.values(node).flatMap((v) => valuesUnder(v, key))];
}

describe('a secret ballot split 3–2', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack('secret-ballot', { directory: DIRECTORY, hr: ['nhan-su'] });
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function expectCall(
    status: number,
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    const res = await s.call(who, method, path, body, headers);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  }
  const caseWhen = (id: string, check: (c: any) => boolean, what: string) =>
    eventually(what, async () => {
      const c = await expectCall(200, 'nhan-su', 'GET', `/v1/cases/${id}`);
      return check(c) ? c : undefined;
    });

  it('names no voter in the raw history from the first vote on, and links no voter to a choice in any table', async () => {
    const opened = await expectCall(201, 'nhan-su', 'POST', '/v1/cases', {
      kind: 'replacement',
      personId: 'so-truong',
      reason: 'Hai tháng liền loại D',
    });
    const id = opened.id as string;
    expect(opened.parties).toMatchObject({
      decidingUnitId: 'tp',
      collective: ['bv-chu', ...VOTERS.slice(1).sort()],
      chairId: 'bv-chu',
    });
    await expectCall(200, 'so-truong', 'POST', `/v1/cases/${id}/explanation`, { text: 'Giải trình' });
    await caseWhen(id, (c) => c.step === 'proposal', 'proposal step');
    await expectCall(200, 'nhan-su', 'POST', `/v1/cases/${id}/proposal`, {
      recommendation: 'replace',
      actingPersonId: 'so-pho',
    });
    await caseWhen(id, (c) => c.step === 'vote', 'vote step');
    const handle = s.temporal.workflow.getHandle(caseWorkflowId(id));
    const beforeVotes = (await handle.fetchHistory()).events?.length ?? 0;

    // Each voter sends an Idempotency-Key, as a client retrying safely does; the closing voter repeats theirs.
    for (const [i, [voter, vote]] of BALLOTS.entries()) {
      const answer = await expectCall(
        200,
        voter,
        'POST',
        `/v1/cases/${id}/votes`,
        { vote },
        { 'idempotency-key': `ballot-${i}` },
      );
      if (i < BALLOTS.length - 1)
        expect(answer).toMatchObject({ status: 'open', votes: { approve: 0, reject: 0, of: 5, cast: i + 1 } });
    }
    const repeat = await expectCall(
      200,
      'bv-bon',
      'POST',
      `/v1/cases/${id}/votes`,
      { vote: 'reject' },
      { 'idempotency-key': 'ballot-4' },
    );
    const done = await caseWhen(id, (c) => c.status === 'completed', 'completed');
    expect(done).toMatchObject({
      votes: { approve: 3, reject: 2, of: 5, cast: 5 },
      decision: { outcome: 'approved', actingPersonId: 'so-pho' },
    });
    await handle.result();

    // The raw history as Temporal keeps it (update IDs, identities, headers, memo, search
    // attributes), every payload decoded. An event may name the whole collective (the case's
    // parties), never some of it.
    const events = (JSON.parse(historyToJson(await handle.fetchHistory())) as { events: { eventId: string }[] }).events;
    const laterEvents = events.filter((e) => Number(e.eventId) > beforeVotes).map(decodePayloads);
    const later = laterEvents.map((e) => JSON.stringify(e));
    const naming = later
      .map((text) => ({ text, voters: votersIn(text) }))
      .filter((e) => e.voters.length > 0 && e.voters.length < VOTERS.length);
    expect(naming.map((e) => e.text)).toEqual([]);
    for (const field of ['updateId', 'protocolInstanceId', 'identity', 'header', 'memo', 'searchAttributes']) {
      const values = laterEvents.flatMap((e) => valuesUnder(e, field)).map((v) => JSON.stringify(v));
      expect(
        values.filter((v) => votersIn(v).length > 0),
        field,
      ).toEqual([]);
    }
    // The close came under the case's own update ID.
    expect(later.join('\n')).toContain(`"updateId":"ballot-close:${id}"`);
    expect(later.join('\n')).toMatch(/"closeBallot"/);
    const described = await handle.describe();
    expect(
      votersIn(
        JSON.stringify({
          memo: described.memo,
          searchAttributes: described.typedSearchAttributes,
          raw: decodePayloads(described.raw.workflowExecutionInfo),
        }),
      ),
    ).toEqual([]);

    // Every table: a row about a voter, or naming some of the voters, says nothing of a choice (a
    // row may list the whole collective beside the outcome). The box itself: who voted, and the totals, with nothing linking them.
    const tables = await s.sql<{ name: string }[]>`
      select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`;
    const leaks: string[] = [];
    for (const { name } of tables) {
      for (const row of await s.sql`select * from ${s.sql(name)}`) {
        const text = JSON.stringify(row);
        const named = votersIn(text);
        // A row is about a voter when a column holds their id (actor, recipient, owner…), whatever else it lists.
        const about = Object.values(row).some(
          (v) =>
            VOTERS.includes(v as string) ||
            (Array.isArray(v) && v.length < VOTERS.length && v.some((x) => VOTERS.includes(x))),
        );
        if ((about || (named.length > 0 && named.length < VOTERS.length)) && /approve|reject/i.test(text))
          leaks.push(`${name}: ${text}`);
      }
    }
    expect(leaks).toEqual([]);
    expect(await s.sql`select voter_id from ballot_voters where case_id = ${id} order by voter_id`).toEqual(
      [...VOTERS].sort().map((voterId) => ({ voterId })),
    );
    expect(await s.sql`select approve, reject from ballot_totals where case_id = ${id}`).toEqual([
      { approve: 3, reject: 2 },
    ]);
    // The closing voter's repeat is answered from what was stored: no outcome, so nothing that shows they decided it.
    expect(repeat).toMatchObject({ id, message: expect.stringMatching(/in the box/) });
    expect(JSON.stringify(repeat)).not.toMatch(/approve|reject/);
  });
});
