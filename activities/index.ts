/**
 * `createActivities(deps)`: every activity with its dependencies injected, so the worker, the
 * tests and the benchmark wire the same functions to their own Postgres.
 */
import type { Client } from '@temporalio/client';
import type { Sql } from '../db/sql';
import { caseActivities } from './cases';
import { cycleActivities } from './cycles';
import { evaluationActivities } from './evaluations';
import { refusingBadData } from './refused';
import { scheduleActivities } from './schedule';

export interface ActivityDeps {
  sql: Sql;
  /** Needed by the monthly opener, which starts cycles, and by moves, which re-route open evaluations. */
  temporal?: Client;
  taskQueue?: string;
}

export function createActivities(deps: ActivityDeps) {
  return refusingBadData(deps.sql, {
    ...evaluationActivities(deps.sql),
    ...cycleActivities(deps.sql),
    ...caseActivities(deps.sql, deps.temporal),
    ...scheduleActivities(deps.sql, deps.temporal, deps.taskQueue ?? 'evaluations'),
  });
}
