/**
 * `createActivities(deps)`: every activity with its dependencies injected, so the worker, the
 * tests and the benchmark wire the same functions to their own Postgres.
 */
import type { Sql } from '../db/sql';
import { cycleActivities } from './cycles';
import { evaluationActivities } from './evaluations';

export interface ActivityDeps {
  sql: Sql;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...evaluationActivities(deps.sql),
    ...cycleActivities(deps.sql),
  };
}
