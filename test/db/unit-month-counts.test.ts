/**
 * The per-unit month counts behind the oversight report are kept by triggers: after inserts,
 * updates (a newer snapshot, a final grade, a move to another unit), stale retries and deletes,
 * written through the read model's own writers, they equal a count of the rows themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleActivities } from '../../activities/cycles';
import { evaluationActivities } from '../../activities/evaluations';
import type { EscalationView } from '../../contracts/messages';
import type { EvaluationRow } from '../../contracts/snapshots';
import { freshDatabase, type FreshDatabase } from '../support/db';

const P = '2025-03';
const DEADLINES = {
  plan: '2025-03-05T17:00:00.000+07:00',
  selfAssessment: '2025-04-02T17:00:00.000+07:00',
  review: '2025-04-04T17:00:00.000+07:00',
};

const row = (personId: string, unitId: string, over: Partial<EvaluationRow> = {}): EvaluationRow => ({
  period: P,
  personId,
  unitId,
  reviewerId: null,
  status: 'pending',
  plan: null,
  selfScores: null,
  selfComment: null,
  reviewScores: null,
  reviewComment: null,
  total: null,
  proposedGrade: null,
  missed: [],
  history: [],
  deadlines: DEADLINES,
  ...over,
});

const escalation = (id: string, personId: string, status: EscalationView['status']): EscalationView => ({
  id,
  kind: 'self-assessment',
  personId,
  unitId: 'u1',
  period: P,
  level: 1,
  targetId: 'boss',
  dueAt: DEADLINES.review,
  status,
  createdAt: DEADLINES.selfAssessment,
  decision: null,
  trail: [],
});

describe('unit_month_counts', () => {
  let db: FreshDatabase;

  beforeAll(async () => {
    db = await freshDatabase('unit-month-counts');
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The counts as the triggers keep them, and as a scan of the rows finds them. */
  const both = async () => {
    const kept = await db.sql`
      select unit_id, period, members, plan_done, self_done, review_done, plan_missed, self_missed, review_missed,
             plan_overdue, self_overdue, review_overdue, grade_a, grade_b, grade_c, grade_d, escalations, escalations_open
      from unit_month_counts where members <> 0 or escalations <> 0 order by unit_id, period`;
    const scanned = await db.sql`
      with e as (
        select unit_id, period, count(*)::int as members,
          count(*) filter (where plan is not null)::int as plan_done,
          count(*) filter (where self_scores is not null)::int as self_done,
          count(*) filter (where review_scores is not null)::int as review_done,
          count(*) filter (where 'plan' = any (missed))::int as plan_missed,
          count(*) filter (where 'self-assessment' = any (missed))::int as self_missed,
          count(*) filter (where 'review' = any (missed))::int as review_missed,
          count(*) filter (where 'plan' = any (missed) and plan is null)::int as plan_overdue,
          count(*) filter (where 'self-assessment' = any (missed) and self_scores is null)::int as self_overdue,
          count(*) filter (where 'review' = any (missed) and review_scores is null)::int as review_overdue,
          count(*) filter (where final_grade = 'A')::int as grade_a,
          count(*) filter (where final_grade = 'B')::int as grade_b,
          count(*) filter (where final_grade = 'C')::int as grade_c,
          count(*) filter (where final_grade = 'D')::int as grade_d
        from evaluations group by unit_id, period),
      x as (
        select unit_id, period, count(*)::int as escalations, count(*) filter (where status = 'open')::int as escalations_open
        from escalations group by unit_id, period)
      select coalesce(e.unit_id, x.unit_id) as unit_id, coalesce(e.period, x.period) as period,
        coalesce(members, 0) as members, coalesce(plan_done, 0) as plan_done, coalesce(self_done, 0) as self_done,
        coalesce(review_done, 0) as review_done, coalesce(plan_missed, 0) as plan_missed,
        coalesce(self_missed, 0) as self_missed, coalesce(review_missed, 0) as review_missed,
        coalesce(plan_overdue, 0) as plan_overdue, coalesce(self_overdue, 0) as self_overdue,
        coalesce(review_overdue, 0) as review_overdue, coalesce(grade_a, 0) as grade_a, coalesce(grade_b, 0) as grade_b,
        coalesce(grade_c, 0) as grade_c, coalesce(grade_d, 0) as grade_d, coalesce(escalations, 0) as escalations,
        coalesce(escalations_open, 0) as escalations_open
      from e full join x on x.unit_id = e.unit_id and x.period = e.period
      order by 1, 2`;
    return { kept: [...kept], scanned: [...scanned] };
  };

  it('equal a scan of the rows through inserts, newer snapshots, stale retries, finals, moves and deletes', async () => {
    const ev = evaluationActivities(db.sql);
    const save = (version: number, r: EvaluationRow, escalations: EscalationView[] = []) =>
      ev.saveEvaluation({
        workflowId: `eval:${r.period}:${r.personId}`,
        version,
        row: r,
        escalations,
        openSteps: [],
        audit: [],
        notifications: [],
      });
    const scores = { discipline: 18, tasks: 60, bonus: 5 };
    const cycles = cycleActivities(db.sql);
    // The cycle seeds every member's pending row in one statement.
    await cycles.saveCycle({
      workflowId: `cycle:u1:${P}`,
      version: 1,
      view: {
        unitId: 'u1',
        period: P,
        phase: 'open',
        profileId: 'HN-2023',
        deadlines: { ...DEADLINES, deliberation: DEADLINES.review },
        headId: null,
        collective: [],
        outstanding: false,
        deliberation: null,
        publishedAt: null,
        complaintWindowEndsAt: null,
      },
      members: ['a', 'b', 'c', 'd'].map((personId) => ({ personId, reviewerId: null })),
      seedEvaluations: true,
      finals: [],
      complaints: [],
      escalations: [],
      openSteps: [],
      audit: [],
      notifications: [],
    });
    expect((await both()).kept).toEqual([expect.objectContaining({ unitId: 'u1', members: 4, planDone: 0 })]);

    await save(1, row('a', 'u1', { plan: [{ title: 't', target: 'x' }] }));
    await save(1, row('b', 'u1', { missed: ['plan'] }));
    await save(2, row('b', 'u1', { missed: ['plan', 'self-assessment'] }), [escalation('e-b', 'b', 'open')]);
    // A stale retry of b's first snapshot changes nothing.
    await save(1, row('b', 'u1', { missed: [] }));
    await save(1, row('c', 'u1', { missed: ['plan'], plan: [{ title: 't', target: 'x' }], selfScores: scores }));
    await save(
      2,
      row('c', 'u1', {
        missed: ['plan'],
        plan: [{ title: 't', target: 'x' }],
        selfScores: scores,
        reviewScores: scores,
        total: 83,
        proposedGrade: 'B',
      }),
      [escalation('e-c', 'c', 'decided')],
    );
    // d moves to another unit: its row counts there from now on.
    await save(1, row('d', 'u2', { plan: [{ title: 't', target: 'x' }] }));
    await db.sql`update evaluations set final_grade = 'B' where person_id = 'c' and period = ${P}`;
    await save(3, row('b', 'u1', { missed: ['plan', 'self-assessment'] }), [escalation('e-b', 'b', 'defaulted')]);
    await db.sql`delete from evaluations where person_id = 'a' and period = ${P}`;

    const { kept, scanned } = await both();
    expect(kept).toEqual(scanned);
    expect(kept).toEqual([
      expect.objectContaining({
        unitId: 'u1',
        members: 2,
        planDone: 1,
        planMissed: 2,
        planOverdue: 1,
        selfOverdue: 1,
        gradeB: 1,
        escalations: 2,
        escalationsOpen: 0,
      }),
      expect.objectContaining({ unitId: 'u2', members: 1, planDone: 1 }),
    ]);
  });
});
