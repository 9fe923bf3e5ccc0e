/**
 * The HTTP contract against the real Temporal dev server and real Postgres: every status code of
 * api.md on at least one route, each shown to change nothing; idempotent repeats; and a unit
 * walked from plan to published results and a complaint, in real time.
 *
 * No step races the wall clock: the plan deadline lies half an hour ahead while the tests need the
 * plan step open, however slow a shared machine is, and an admin moves it to a few seconds ahead
 * only when the walk wants it to pass (as README's walk-through does), retrying as a client would
 * when a busy worker has let that instant pass before the cycle checked it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromMs } from '../../domain/calendar';
import { eventually, startStack, type Stack } from '../support/stack';

const PERIOD = '2026-11';
// The API, the worker and the Temporal dev server run on this machine, so its clock is theirs.
const at = (msFromNow: number) => fromMs(Date.now() + msFromNow);
const MINUTE = 60_000;
const DAY = 86_400_000;
/** How long a step that waits on a deadline, a timer and a read-model write may take on a loaded machine. */
const SLOW_STEP_MS = 120_000;

describe('cycle API on the real servers', () => {
  let s: Stack;
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
    expect((await s.call('minh', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD })).status).toBe(403);
    expect(
      (await s.call('khanh', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD, deadlines: { plan: at(DAY) } }))
        .status,
    ).toBe(403);
    expect(await s.sql`select 1 from cycles where unit_id = 'snv'`).toHaveLength(0);
    const deadlines = {
      plan: at(30 * MINUTE),
      selfAssessment: at(2 * DAY),
      review: at(3 * DAY),
      deliberation: at(4 * DAY),
    };
    const first = await s.call('admin', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD, deadlines });
    expect(first.status).toBe(201);
    expect(first.body.members.map((m: { personId: string }) => m.personId)).toEqual(['lan', 'minh', 'ngoc']);
    expect(first.body.deadlines.plan).toBe(deadlines.plan);
    const again = await s.call('khanh', 'POST', '/v1/cycles', { unitId: 'snv', period: PERIOD });
    expect(again.status).toBe(200);
    expect(again.body.phase).toBe('open');
  });

  it("lets only an admin move a running cycle's deadlines, and the evaluations' timers follow", async () => {
    const plan = at(40 * MINUTE);
    expect((await s.call('khanh', 'PUT', `/v1/cycles/snv/${PERIOD}/deadlines`, { plan })).status).toBe(403);
    const past = await s.call('admin', 'PUT', `/v1/cycles/snv/${PERIOD}/deadlines`, { plan: at(-DAY) });
    expect(past.status).toBe(422);
    expect(past.body.error.details.rule).toBe('deadline-in-past');
    const moved = await s.call('admin', 'PUT', `/v1/cycles/snv/${PERIOD}/deadlines`, { plan });
    expect(moved.status).toBe(200);
    expect(moved.body.deadlines.plan).toBe(plan);
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
      const moved = await s.call(
        'admin',
        'PUT',
        `/v1/cycles/snv/${PERIOD}/deadlines`,
        { plan },
        { 'idempotency-key': `close-plan-${attempt}` },
      );
      if (moved.status === 200) return plan;
      expect(moved.body.error.details.rule, JSON.stringify(moved.body)).toBe('deadline-in-past');
      if (attempt >= 20) throw new Error('the plan deadline could not be moved to a future instant in 20 attempts');
    }
  }

  it(
    'walks the unit to published results: scores checked, quota refused with 422, majority decides, complaint changes a grade',
    async () => {
      const plan = await closePlanSoon();
      expect((await s.call('khanh', 'GET', `/v1/cycles/snv/${PERIOD}`)).body.deadlines.plan).toBe(plan);
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
      const outOfRange = await s.call('minh', 'PUT', `/v1/evaluations/${PERIOD}/minh/self-assessment`, {
        scores: { discipline: 25, tasks: 60, bonus: 5 },
      });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.error.details.fields).toEqual([
        expect.objectContaining({ field: 'scores.discipline', rule: 'range' }),
      ]);
      expect((await evaluation('minh')).selfScores).toBeNull();

      const self = { discipline: 18, tasks: 62, bonus: 5 };
      for (const who of ['lan', 'minh', 'ngoc']) {
        const res = await eventually(
          `${who}'s self-assessment`,
          async () => {
            const r = await s.call(who, 'PUT', `/v1/evaluations/${PERIOD}/${who}/self-assessment`, {
              scores: self,
              comment: 'Đúng hạn',
            });
            return r.status === 409 ? undefined : r;
          },
          SLOW_STEP_MS,
        );
        expect(res.status).toBe(200);
        expect(res.body.status).toBe('self-assessed');
      }
      expect((await s.call('ngoc', 'PUT', `/v1/evaluations/${PERIOD}/minh/review`, { scores: self })).status).toBe(403);
      const reviews: [string, string, Record<string, number>][] = [
        ['khanh', 'lan', { discipline: 20, tasks: 68, bonus: 7 }],
        ['khanh', 'minh', { discipline: 20, tasks: 66, bonus: 6 }],
        ['lan', 'ngoc', { discipline: 15, tasks: 45, bonus: 0 }],
      ];
      for (const [reviewer, person, scores] of reviews) {
        const r = await s.call(reviewer, 'PUT', `/v1/evaluations/${PERIOD}/${person}/review`, { scores });
        expect(r.status).toBe(200);
      }
      expect((await s.call('minh', 'GET', `/v1/evaluations/${PERIOD}/minh`)).body).toMatchObject({
        total: 92,
        proposedGrade: 'A',
      });
      expect((await s.call('ngoc', 'GET', `/v1/evaluations/${PERIOD}/minh`)).status).toBe(403);

      await eventually(
        'the deliberation to open',
        async () => (await s.call('khanh', 'GET', `/v1/cycles/snv/${PERIOD}`)).body.phase === 'deliberation',
        SLOW_STEP_MS,
      );
      const tooMany = {
        decisions: [
          { personId: 'lan', grade: 'A' },
          { personId: 'minh', grade: 'A' },
          { personId: 'ngoc', grade: 'C' },
        ],
      };
      expect((await s.call('lan', 'PUT', `/v1/cycles/snv/${PERIOD}/deliberation`, tooMany)).status).toBe(403);
      const refused = await s.call('khanh', 'PUT', `/v1/cycles/snv/${PERIOD}/deliberation`, tooMany);
      expect(refused.status).toBe(422);
      expect(refused.body.error.details.breaches).toEqual([
        expect.objectContaining({ rule: 'quota', allowed: 1, excess: 1 }),
      ]);
      const noRationale = await s.call('khanh', 'PUT', `/v1/cycles/snv/${PERIOD}/deliberation`, {
        decisions: [
          { personId: 'lan', grade: 'A' },
          { personId: 'minh', grade: 'B' },
          { personId: 'ngoc', grade: 'C' },
        ],
      });
      expect(noRationale.status).toBe(422);
      expect(noRationale.body.error.details.breaches).toEqual([
        expect.objectContaining({ rule: 'rationale', personId: 'minh' }),
      ]);
      expect((await s.call('khanh', 'GET', `/v1/cycles/snv/${PERIOD}`)).body.deliberation).toBeNull();

      const list = {
        decisions: [
          { personId: 'lan', grade: 'A' },
          { personId: 'minh', grade: 'B', rationale: 'Hạn mức loại A chỉ còn một' },
          { personId: 'ngoc', grade: 'C' },
        ],
      };
      const put = await s.call('khanh', 'PUT', `/v1/cycles/snv/${PERIOD}/deliberation`, list);
      expect(put.status).toBe(200);
      expect(put.body.phase).toBe('deliberation');
      expect((await s.call('minh', 'POST', `/v1/cycles/snv/${PERIOD}/deliberation/approvals`, {})).status).toBe(403);
      const approved = await s.call('lan', 'POST', `/v1/cycles/snv/${PERIOD}/deliberation/approvals`, {});
      expect(approved.status).toBe(200);
      expect(approved.body.phase).toBe('published');

      const results = await s.call('ngoc', 'GET', `/v1/cycles/snv/${PERIOD}/results`);
      expect(
        results.body.results.map((r: { personId: string; finalGrade: string }) => [r.personId, r.finalGrade]),
      ).toEqual([
        ['lan', 'A'],
        ['minh', 'B'],
        ['ngoc', 'C'],
      ]);
      const own = await s.call('ngoc', 'GET', `/v1/cycles/snv/${PERIOD}`);
      expect(own.body.members).toHaveLength(1);

      const complaint = await s.call(
        'ngoc',
        'POST',
        `/v1/evaluations/${PERIOD}/ngoc/complaints`,
        { reason: 'Tôi đã vượt chỉ tiêu' },
        { 'idempotency-key': 'c-1' },
      );
      expect(complaint.status).toBe(201);
      const repeat = await s.call(
        'ngoc',
        'POST',
        `/v1/evaluations/${PERIOD}/ngoc/complaints`,
        { reason: 'Tôi đã vượt chỉ tiêu' },
        { 'idempotency-key': 'c-1' },
      );
      expect(repeat.body.id).toBe(complaint.body.id);
      expect(await s.sql`select 1 from complaints where person_id = 'ngoc'`).toHaveLength(1);
      expect((await s.call('khanh', 'GET', '/v1/me/tasks')).body).toEqual([
        expect.objectContaining({ kind: 'complaint' }),
      ]);

      const toA = await s.call('khanh', 'POST', `/v1/complaints/${complaint.body.id}/resolution`, {
        outcome: 'changed',
        grade: 'A',
        rationale: 'x',
      });
      expect(toA.status).toBe(422);
      const resolved = await s.call('khanh', 'POST', `/v1/complaints/${complaint.body.id}/resolution`, {
        outcome: 'changed',
        grade: 'B',
        rationale: 'Kết quả được rà soát lại',
      });
      expect(resolved.status).toBe(200);
      const [row] = await s.sql<
        { finalGrade: string }[]
      >`select final_grade from evaluations where period = ${PERIOD} and person_id = 'ngoc'`;
      expect(row.finalGrade).toBe('B');
      const again = await s.call('khanh', 'POST', `/v1/complaints/${complaint.body.id}/resolution`, {
        outcome: 'upheld',
        rationale: 'again',
      });
      expect(again.status).toBe(409);

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

      const annual = await s.call('khanh', 'GET', '/v1/annual/snv/2026');
      expect(annual.status).toBe(200);
      expect(annual.body.people).toEqual(
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
