/**
 * A snapshot PostgreSQL refuses for its data (here a NUL byte, which no jsonb may hold) can never
 * be written by retrying: the activity raises an alert for an admin and fails for good, and a
 * caller waiting to read its own write is refused instead of waiting on a write that never comes.
 * The database being away, by contrast, stays retryable.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { isRefusedData } from '../../activities/refused';
import type { SaveEvaluationInput } from '../../contracts/snapshots';
import { evaluationVersion, readYourWrite } from '../../api/read-model';
import { HttpError } from '../../api/errors';
import { DATA_REFUSED } from '../../domain/errors';
import { evaluationWorkflowId } from '../../contracts/messages';
import { freshDatabase, type FreshDatabase } from '../support/db';

const PERIOD = '2026-09';

function snapshot(personId: string, version: number, title: string): SaveEvaluationInput {
  return {
    workflowId: evaluationWorkflowId(PERIOD, personId),
    version,
    row: {
      period: PERIOD,
      personId,
      unitId: 'u1',
      reviewerId: 'boss',
      status: 'planned',
      plan: [{ title, target: '1' }],
      selfScores: null,
      selfComment: null,
      reviewScores: null,
      reviewComment: null,
      total: null,
      proposedGrade: null,
      missed: [],
      history: [],
      deadlines: { plan: '', selfAssessment: '', review: '' },
    },
    escalations: [],
    openSteps: [],
    audit: [],
    notifications: [],
  };
}

describe('data PostgreSQL refuses', () => {
  let db: FreshDatabase;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    db = await freshDatabase('refused-data');
    activities = createActivities({ sql: db.sql });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('fails the write for good, with an alert naming the workflow and version', async () => {
    const failure = await activities.saveEvaluation(snapshot('p1', 3, 'a\u0000b')).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect((failure as ApplicationFailure).type).toBe(DATA_REFUSED);
    expect((failure as ApplicationFailure).nonRetryable).toBe(true);
    const alerts = await db.sql<{ activity: string; version: number }[]>`select activity, version from alerts`;
    expect(alerts).toEqual([{ activity: 'saveEvaluation', version: 3 }]);
    expect(await db.sql`select 1 from evaluations where person_id = 'p1'`).toHaveLength(0);
  });

  it('records one alert however often the same write is tried', async () => {
    await activities.saveEvaluation(snapshot('p1', 3, 'a\u0000b')).catch(() => undefined);
    expect(await db.sql`select 1 from alerts`).toHaveLength(1);
  });

  it('refuses the command whose snapshot was refused instead of waiting for it', async () => {
    const started = Date.now();
    const waited = await readYourWrite(evaluationVersion(db.sql, PERIOD, 'p1'), 3, 5000).catch((e: unknown) => e);
    expect(waited).toBeInstanceOf(HttpError);
    expect((waited as HttpError).status).toBe(422);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('keeps an ordinary snapshot, and a failure of the connection, retryable', async () => {
    await activities.saveEvaluation(snapshot('p2', 1, 'Rà soát hồ sơ'));
    expect(await db.sql`select 1 from evaluations where person_id = 'p2'`).toHaveLength(1);
    const refused = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    expect(isRefusedData(refused)).toBe(false);
    expect(isRefusedData(new RangeError('no scoring profile in force for 2017-12'))).toBe(true);
  });
});
