/**
 * Closing writes on a real PostgreSQL: evaluations of one unit closing at once each learn how
 * many are still open, exactly one of them learns that none are (it wakes the cycle), a retry
 * answers the same, and the cycle reads the closed results back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import type { SaveEvaluationInput } from '../../contracts/snapshots';
import { evaluationWorkflowId } from '../../contracts/messages';
import { freshDatabase, type FreshDatabase } from '../support/db';

// A past month: closing writes do not read the clock.
const PERIOD = '2026-01';
const UNIT = 'u1';
const PEOPLE = Array.from({ length: 24 }, (_, i) => `p${String(i).padStart(2, '0')}`);

function write(
  personId: string,
  version: number,
  opts: { unitId?: string; closing?: boolean; total?: number } = {},
): SaveEvaluationInput {
  return {
    workflowId: evaluationWorkflowId(PERIOD, personId),
    version,
    row: {
      period: PERIOD,
      personId,
      unitId: opts.unitId ?? UNIT,
      reviewerId: 'boss',
      status: opts.closing ? 'reviewed' : 'pending',
      plan: null,
      selfScores: null,
      selfComment: null,
      reviewScores: opts.closing ? { results: 60 } : null,
      reviewComment: null,
      total: opts.total ?? null,
      proposedGrade: opts.closing ? 'B' : null,
      missed: [],
      history: [],
      deadlines: { plan: '', selfAssessment: '', review: '' },
    },
    escalations: [],
    openSteps: [],
    audit: [],
    notifications: [],
    ...(opts.closing ? { closing: true } : {}),
  };
}

describe('closing writes of evaluations', () => {
  let db: FreshDatabase;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    db = await freshDatabase('evaluation-closing');
    activities = createActivities({ sql: db.sql });
    for (const p of PEOPLE) await activities.saveEvaluation(write(p, 1));
    for (const p of ['q1', 'q2']) await activities.saveEvaluation(write(p, 1, { unitId: 'u2' }));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts nothing on an ordinary write', async () => {
    expect(await activities.saveEvaluation(write('q1', 2, { unitId: 'u2' }))).toBeNull();
  });

  it('tells exactly one of many simultaneous closings that it closed the unit last', async () => {
    const answers = await Promise.all(
      PEOPLE.map((p, i) => activities.saveEvaluation(write(p, 2, { closing: true, total: 70 + i / 4 }))),
    );
    const open = answers.map((a) => a!.openInUnit).sort((a, b) => a - b);
    // Closings of one unit take turns: each sees the ones before it, so the counts are distinct.
    expect(open).toEqual(PEOPLE.map((_, i) => i));
    const [{ n }] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from evaluations where unit_id = ${UNIT} and closed_at is null`;
    expect(n).toBe(0);
    // Another unit's evaluations are not counted, nor closed.
    const [{ stillOpen }] = await db.sql<
      { stillOpen: number }[]
    >`select count(*)::int as still_open from evaluations where unit_id = 'u2' and closed_at is null`;
    expect(stillOpen).toBe(2);
  });

  it('answers a retried closing the same, without moving its closing time', async () => {
    const [before] = await db.sql<
      { closedAt: Date }[]
    >`select closed_at from evaluations where period = ${PERIOD} and person_id = 'p03'`;
    expect(await activities.saveEvaluation(write('p03', 2, { closing: true }))).toEqual({ openInUnit: 0 });
    const [after] = await db.sql<
      { closedAt: Date }[]
    >`select closed_at from evaluations where period = ${PERIOD} and person_id = 'p03'`;
    expect(after.closedAt).toEqual(before.closedAt);
  });

  it('gives the cycle the closed results of its members, totals as numbers', async () => {
    const results = await activities.loadClosedResults({
      unitId: UNIT,
      period: PERIOD,
      memberIds: ['p00', 'p05', 'q1', 'nobody'],
    });
    expect(results.sort((a, b) => a.personId.localeCompare(b.personId))).toEqual([
      {
        personId: 'p00',
        selfScores: null,
        reviewScores: { results: 60 },
        total: 70,
        proposedGrade: 'B',
        reviewerId: 'boss',
      },
      {
        personId: 'p05',
        selfScores: null,
        reviewScores: { results: 60 },
        total: 71.25,
        proposedGrade: 'B',
        reviewerId: 'boss',
      },
    ]);
    expect(await activities.loadClosedResults({ unitId: 'u2', period: PERIOD, memberIds: ['q1', 'q2'] })).toEqual([]);
    expect(await activities.loadClosedResults({ unitId: UNIT, period: PERIOD, memberIds: [] })).toEqual([]);
  });
});
