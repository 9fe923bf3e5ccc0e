/**
 * The HTTP contract against the real Temporal dev server and real Postgres: every status code of
 * the API guide on at least one route, each shown to change nothing; idempotent repeats; and a unit
 * walked from plan to published results and a complaint, in real time. The walk calls the API
 * through the client generated from the OpenAPI document (test/support/client.ts), so a document
 * that does not describe the API fails to compile or to run here; malformed requests, which a
 * typed client cannot send, go through plain fetch.
 *
 * No step races the wall clock: the plan deadline lies half an hour ahead while the tests need the
 * plan step open, however slow a shared machine is, and an admin moves it to a few seconds ahead
 * only when the walk wants it to pass (as README's walk-through does), retrying as a client would
 * when a busy worker has let that instant pass before the cycle checked it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { clientFor } from '../support/client';
import { eventually, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-11';
// The API, the worker and the Temporal dev server run on this machine, so its clock is theirs.
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** How long a step that waits on a deadline, a timer and a read-model write may take on a loaded machine. */
const SLOW_STEP_MS = 120_000;

/** The cycle of the walk, as the client's path parameters. */
const CYCLE = { path: { unitId: 'snv', period: PERIOD } };
/** The `details` of an error answer, which the document leaves open (each rule has its own). */
const details = (error: { error: { details?: unknown } } | undefined) =>
  (error?.error.details ?? {}) as Record<string, unknown>;

describe('cycle API on the real servers', () => {
  let s: Stack;
  /** The generated client (contracts/openapi.d.ts through openapi-fetch), calling as `who`. */
  const api = (who: string) => clientFor(s, who);
  const evaluation = async (personId: string) =>
    (
      await s.sql<{ status: string; plan: unknown; selfScores: unknown }[]>`
      select status, plan, self_scores from evaluations where period = ${PERIOD} and person_id = ${personId}`
    )[0];
  const auditCount = async () => Number((await s.sql<{ n: string }[]>`select count(*) as n from audit`)[0].n);

  beforeAll(async () => {
    s = await startStack('api');
  });
  afterAll(async () => {
    await s?.stop();
  });

  it('answers health and readiness, and serves the OpenAPI document', async () => {
    expect((await s.call(null, 'GET', '/healthz')).status).toBe(200);
    const ready = await s.call(null, 'GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', checks: { postgres: true, temporal: true } });
    const doc = await s.call(null, 'GET', '/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/org',
        '/v1/cycles',
        '/v1/evaluations/{period}/{personId}/plan',
        '/v1/escalations/{id}/decision',
      ]),
    );
  });

  it('opens a cycle once (201, then 200) and refuses others the right to open it', async () => {
    expect((await api('minh').POST('/v1/cycles', { body: { unitId: 'snv', period: PERIOD } })).response.status).toBe(
      403,
    );
    const withDeadlines = { unitId: 'snv', period: PERIOD, deadlines: { plan: at(DAY) } };
    expect((await api('khanh').POST('/v1/cycles', { body: withDeadlines })).response.status).toBe(403);
    expect(await s.sql`select 1 from cycles where unit_id = 'snv'`).toHaveLength(0);
    const deadlines = {
      plan: at(30 * MINUTE),
      selfAssessment: at(2 * DAY),
      review: at(3 * DAY),
      deliberation: at(4 * DAY),
    };
    const first = await api('admin').POST('/v1/cycles', { body: { unitId: 'snv', period: PERIOD, deadlines } });
    expect(first.response.status).toBe(201);
    expect(first.data?.members.map((m) => m.personId)).toEqual(['lan', 'minh', 'ngoc']);
    expect(first.data?.deadlines.plan).toBe(deadlines.plan);
    const again = await api('khanh').POST('/v1/cycles', { body: { unitId: 'snv', period: PERIOD } });
    expect(again.response.status).toBe(200);
    expect(again.data?.phase).toBe('open');
  });

  it("lets only an admin move a running cycle's deadlines, and the evaluations' timers follow", async () => {
    const plan = at(40 * MINUTE);
    const move = (who: string, to: string) =>
      api(who).PUT('/v1/cycles/{unitId}/{period}/deadlines', { params: CYCLE, body: { plan: to } });
    expect((await move('khanh', plan)).response.status).toBe(403);
    const past = await move('admin', at(-DAY));
    expect(past.response.status).toBe(422);
    expect(details(past.error).rule).toBe('deadline-in-past');
    const moved = await move('admin', plan);
    expect(moved.response.status).toBe(200);
    expect(moved.data?.deadlines.plan).toBe(plan);
    await eventually(
      'the evaluations to take the new plan deadline',
      async () => {
        const rows = await s.sql<
          { plan: string }[]
        >`select deadlines->>'plan' as plan from evaluations where unit_id = 'snv' and period = ${PERIOD}`;
        return rows.length === 3 && rows.every((r) => r.plan === plan);
      },
      SLOW_STEP_MS,
    );
  });

  it('401, 400, 403, 404 and 409 on the plan step, each changing nothing', async () => {
    const before = await auditCount();
    const noToken = await s.call(null, 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, {
      tasks: [{ title: 'a', target: 'b' }],
    });
    expect(noToken.status).toBe(401);
    expect(noToken.body.error.code).toBe('unauthorized');
    const badToken = await s.call(
      null,
      'PUT',
      `/v1/evaluations/${PERIOD}/minh/plan`,
      { tasks: [{ title: 'a', target: 'b' }] },
      { authorization: 'Bearer nope' },
    );
    expect(badToken.status).toBe(401);

    const invalid = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, { tasks: [] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([expect.objectContaining({ field: 'tasks' })]);
    const notJson = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, '{oops');
    expect(notJson.status).toBe(400);

    const someoneElse = await s.call('ngoc', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, {
      tasks: [{ title: 'a', target: 'b' }],
    });
    expect(someoneElse.status).toBe(403);
    expect(someoneElse.body.error.code).toBe('forbidden');

    const unknown = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/nobody/plan`, {
      tasks: [{ title: 'a', target: 'b' }],
    });
    expect(unknown.status).toBe(404);

    const early = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/self-assessment`, {
      scores: { discipline: 18, tasks: 60, bonus: 5 },
    });
    expect(early.status).toBe(409);
    expect(early.body.error.details.phase).toBe('plan');

    expect(await evaluation('minh')).toMatchObject({ status: 'pending', plan: null, selfScores: null });
    expect(await auditCount()).toBe(before);
  });

  it('repeats a write with the same Idempotency-Key without acting twice', async () => {
    const body = { tasks: [{ title: 'Rà soát hồ sơ', target: '100 hồ sơ' }] };
    const first = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, body, {
      'idempotency-key': 'plan-1',
    });
    const second = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/plan`, body, {
      'idempotency-key': 'plan-1',
    });
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
    const plans =
      await s.sql`select 1 from audit where action = 'evaluation.plan' and subject = ${`eval:${PERIOD}:minh`}`;
    expect(plans).toHaveLength(1);
    const reused = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/ngoc/plan`, body, {
      'idempotency-key': 'plan-1',
    });
    expect(reused.status).toBe(400);
    expect((await evaluation('ngoc')).plan).toBeNull();
  });

  /**
   * Moves the plan deadline to a few seconds from now, as an admin would to close the step early.
   * The cycle refuses an instant already past when it validates; on a loaded machine the request
   * can take longer than the margin, so a refusal is retried with a fresh instant (and a fresh key,
   * so the stored refusal is not replayed).
   */
  async function closePlanSoon(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const plan = at(3000);
      const moved = await api('admin').PUT('/v1/cycles/{unitId}/{period}/deadlines', {
        params: CYCLE,
        body: { plan },
        headers: { 'idempotency-key': `close-plan-${attempt}` },
      });
      if (moved.response.status === 200) return plan;
      expect(details(moved.error).rule, JSON.stringify(moved.error)).toBe('deadline-in-past');
      if (attempt >= 20) throw new Error('the plan deadline could not be moved to a future instant in 20 attempts');
    }
  }

  const cycle = async (who: string) => (await api(who).GET('/v1/cycles/{unitId}/{period}', { params: CYCLE })).data;
  const selfAssess = (who: string, personId: string, scores: Record<string, number>, comment?: string) =>
    api(who).PUT('/v1/evaluations/{period}/{personId}/self-assessment', {
      params: { path: { period: PERIOD, personId } },
      body: { scores, ...(comment ? { comment } : {}) },
    });
  const review = (who: string, personId: string, scores: Record<string, number>) =>
    api(who).PUT('/v1/evaluations/{period}/{personId}/review', {
      params: { path: { period: PERIOD, personId } },
      body: { scores },
    });
  const putList = (who: string, decisions: { personId: string; grade: 'A' | 'B' | 'C' | 'D'; rationale?: string }[]) =>
    api(who).PUT('/v1/cycles/{unitId}/{period}/deliberation', { params: CYCLE, body: { decisions } });
  const resolve = (
    id: string,
    body: { outcome: 'changed' | 'upheld'; grade?: 'A' | 'B' | 'C' | 'D'; rationale: string },
  ) => api('khanh').POST('/v1/complaints/{id}/resolution', { params: { path: { id } }, body });

  /** The self-assessments of the walk, each once its step has opened (a 409 until then). */
  async function selfAssessAll(self: Record<string, number>) {
    for (const who of ['lan', 'minh', 'ngoc']) {
      const res = await eventually(
        `${who}'s self-assessment`,
        async () => {
          const r = await selfAssess(who, who, self, 'Đúng hạn');
          return r.response.status === 409 ? undefined : r;
        },
        SLOW_STEP_MS,
      );
      expect(res.response.status).toBe(200);
      expect(res.data?.status).toBe('self-assessed');
    }
  }

  /** The deliberation: the quota and a missing rationale refused with 422, then a list the collective approves. */
  async function deliberate() {
    await eventually(
      'the deliberation to open',
      async () => (await cycle('khanh'))?.phase === 'deliberation',
      SLOW_STEP_MS,
    );
    const tooMany = [
      { personId: 'lan', grade: 'A' as const },
      { personId: 'minh', grade: 'A' as const },
      { personId: 'ngoc', grade: 'C' as const },
    ];
    expect((await putList('lan', tooMany)).response.status).toBe(403);
    const refused = await putList('khanh', tooMany);
    expect(refused.response.status).toBe(422);
    expect(details(refused.error).breaches).toEqual([
      expect.objectContaining({ rule: 'quota', allowed: 1, excess: 1 }),
    ]);
    const noRationale = await putList('khanh', [
      { personId: 'lan', grade: 'A' },
      { personId: 'minh', grade: 'B' },
      { personId: 'ngoc', grade: 'C' },
    ]);
    expect(noRationale.response.status).toBe(422);
    expect(details(noRationale.error).breaches).toEqual([
      expect.objectContaining({ rule: 'rationale', personId: 'minh' }),
    ]);
    expect((await cycle('khanh'))?.deliberation).toBeNull();

    const put = await putList('khanh', [
      { personId: 'lan', grade: 'A' },
      { personId: 'minh', grade: 'B', rationale: 'Hạn mức loại A chỉ còn một' },
      { personId: 'ngoc', grade: 'C' },
    ]);
    expect(put.response.status).toBe(200);
    expect(put.data?.phase).toBe('deliberation');
    const approve = (who: string) =>
      api(who).POST('/v1/cycles/{unitId}/{period}/deliberation/approvals', { params: CYCLE, body: {} });
    expect((await approve('minh')).response.status).toBe(403);
    const approved = await approve('lan');
    expect(approved.response.status).toBe(200);
    expect(approved.data?.phase).toBe('published');
  }

  /** ngoc complains (once, under a repeated key); khanh's grade A is refused by the quota, B resolves it. */
  async function complainAndResolve() {
    const complain = () =>
      api('ngoc').POST('/v1/evaluations/{period}/{personId}/complaints', {
        params: { path: { period: PERIOD, personId: 'ngoc' } },
        body: { reason: 'Tôi đã vượt chỉ tiêu' },
        headers: { 'idempotency-key': 'c-1' },
      });
    const complaint = await complain();
    expect(complaint.response.status).toBe(201);
    const id = complaint.data!.id;
    expect((await complain()).data?.id).toBe(id);
    expect(await s.sql`select 1 from complaints where person_id = 'ngoc'`).toHaveLength(1);
    expect((await api('khanh').GET('/v1/me/tasks')).data).toEqual([expect.objectContaining({ kind: 'complaint' })]);

    expect((await resolve(id, { outcome: 'changed', grade: 'A', rationale: 'x' })).response.status).toBe(422);
    const resolved = await resolve(id, { outcome: 'changed', grade: 'B', rationale: 'Kết quả được rà soát lại' });
    expect(resolved.response.status).toBe(200);
    const [row] = await s.sql<
      { finalGrade: string }[]
    >`select final_grade from evaluations where period = ${PERIOD} and person_id = 'ngoc'`;
    expect(row.finalGrade).toBe('B');
    expect((await resolve(id, { outcome: 'upheld', rationale: 'again' })).response.status).toBe(409);
  }

  it(
    'walks the unit to published results: scores checked, quota refused with 422, majority decides, complaint changes a grade',
    async () => {
      const plan = await closePlanSoon();
      expect((await cycle('khanh'))?.deadlines.plan).toBe(plan);
      // The plan deadline passes: lan and ngoc filed none, so their reviewers get a notice.
      await eventually(
        'the missed-plan notice to khanh',
        async () => {
          const rows =
            await s.sql`select 1 from outbox where key = ${`eval:${PERIOD}:lan:plan-missed`} and recipient_id = 'khanh'`;
          return rows.length === 1;
        },
        SLOW_STEP_MS,
      );
      const outOfRange = await selfAssess('minh', 'minh', { discipline: 25, tasks: 60, bonus: 5 });
      expect(outOfRange.response.status).toBe(400);
      expect(details(outOfRange.error).fields).toEqual([
        expect.objectContaining({ field: 'scores.discipline', rule: 'range' }),
      ]);
      expect((await evaluation('minh')).selfScores).toBeNull();

      const self = { discipline: 18, tasks: 62, bonus: 5 };
      await selfAssessAll(self);
      expect((await review('ngoc', 'minh', self)).response.status).toBe(403);
      const reviews: [string, string, Record<string, number>][] = [
        ['khanh', 'lan', { discipline: 20, tasks: 68, bonus: 7 }],
        ['khanh', 'minh', { discipline: 20, tasks: 66, bonus: 6 }],
        ['lan', 'ngoc', { discipline: 15, tasks: 45, bonus: 0 }],
      ];
      for (const [reviewer, person, scores] of reviews)
        expect((await review(reviewer, person, scores)).response.status).toBe(200);
      const read = (who: string) =>
        api(who).GET('/v1/evaluations/{period}/{personId}', { params: { path: { period: PERIOD, personId: 'minh' } } });
      expect((await read('minh')).data).toMatchObject({ total: 92, proposedGrade: 'A' });
      expect((await read('ngoc')).response.status).toBe(403);

      await deliberate();

      const results = await api('ngoc').GET('/v1/cycles/{unitId}/{period}/results', { params: CYCLE });
      expect(results.data?.results.map((r) => [r.personId, r.finalGrade])).toEqual([
        ['lan', 'A'],
        ['minh', 'B'],
        ['ngoc', 'C'],
      ]);
      expect((await cycle('ngoc'))?.members).toHaveLength(1);

      await complainAndResolve();

      // Operators find the cycle in the Temporal UI by its search attributes.
      const found: string[] = [];
      for await (const wf of s.temporal.workflow.list({
        query: `UnitId = 'snv' AND Period = '${PERIOD}' AND Phase = 'published'`,
      }))
        found.push(wf.workflowId);
      expect(found).toEqual([`cycle:snv:${PERIOD}`]);
      // And an evaluation by its person and month (its phase is in the read model, not a search attribute).
      const evaluations: string[] = [];
      for await (const wf of s.temporal.workflow.list({ query: `PersonId = 'ngoc' AND Period = '${PERIOD}'` }))
        evaluations.push(wf.workflowId);
      expect(evaluations).toEqual([`eval:${PERIOD}:ngoc`]);

      const annual = await api('khanh').GET('/v1/annual/{unitId}/{year}', {
        params: { path: { unitId: 'snv', year: '2026' } },
      });
      expect(annual.response.status).toBe(200);
      expect((annual.data as { people?: unknown }).people).toEqual(
        expect.arrayContaining([expect.objectContaining({ personId: 'ngoc', ratedMonths: 1, grade: null })]),
      );
    },
    5 * SLOW_STEP_MS,
  );

  it('cancels the evaluations of a cycle an operator stops mid-month, leaving none stuck', async () => {
    const period = '2026-10';
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period })).status).toBe(201);
    await s.temporal.workflow.getHandle(`cycle:snv:${period}`).terminate('stopped by an operator');
    for (const personId of ['lan', 'minh', 'ngoc']) {
      const handle = s.temporal.workflow.getHandle(`eval:${period}:${personId}`);
      await eventually(
        `${personId}'s evaluation to be cancelled with its cycle`,
        async () => (await handle.describe()).status.name === 'CANCELLED',
        SLOW_STEP_MS,
      );
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    }
  });

  it('fails a cycle whose evaluation an operator stops, instead of waiting for it forever', async () => {
    const period = '2026-09';
    expect((await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period })).status).toBe(201);
    await s.temporal.workflow.getHandle(`eval:${period}:minh`).terminate('stopped by an operator');
    const cycle = s.temporal.workflow.getHandle(`cycle:snv:${period}`);
    await eventually('the cycle to fail', async () => (await cycle.describe()).status.name === 'FAILED', SLOW_STEP_MS);
  });

  it('keeps the audit trail append-only', async () => {
    await expect(s.sql`update audit set actor = 'x'`).rejects.toThrow(/append-only/);
    await expect(s.sql`delete from audit`).rejects.toThrow(/append-only/);
  });
});
