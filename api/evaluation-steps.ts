/**
 * The self-assessment and the review as the API and the web pages send them, who may read an
 * evaluation, and the scoring profile it is scored by: one copy each, so a page checks exactly
 * what the API checks.
 */
import { submitReview, submitSelfAssessment, type Actor } from '../contracts/messages';
import { findCycle } from '../db/cycles';
import { escalationNames } from '../db/escalations';
import type { StoredEvaluation } from '../db/evaluations';
import type { Sql } from '../db/sql';
import { cycleProfile, type ScoringProfile } from '../domain/scoring';
import type { Scores } from '../domain/types';
import { isHr, type Caller } from './auth';
import { evaluationStep } from './commands';
import type { ApiDeps } from './deps';
import { updateIdFor } from './idempotency';

type At = { period: string; personId: string };
type Scored = { scores: Scores; comment?: string };

/** Files the person's self-assessment; the workflow checks who, when and the scores against its profile. */
export function fileSelfAssessment(deps: ApiDeps, caller: Actor, at: At, body: Scored, idempotencyKey?: string) {
  return evaluationStep(
    deps,
    at,
    submitSelfAssessment,
    { actor: caller, ...body },
    { updateId: updateIdFor(caller.id, idempotencyKey), closedMessage: 'The self-assessment step is closed.' },
  );
}

/** Files the review; only the assigned reviewer (or whoever took it over) is let through by the workflow. */
export function fileReview(deps: ApiDeps, caller: Actor, at: At, body: Scored, idempotencyKey?: string) {
  return evaluationStep(
    deps,
    at,
    submitReview,
    { actor: caller, ...body },
    { updateId: updateIdFor(caller.id, idempotencyKey), closedMessage: 'The review step is closed.' },
  );
}

/** The person, their reviewer, the settling collective, escalation targets on it, HR and admins. */
export async function mayReadEvaluation(sql: Sql, caller: Caller, e: StoredEvaluation): Promise<boolean> {
  if (isHr(caller) || caller.id === e.personId || caller.id === e.reviewerId) return true;
  const cycle = await findCycle(sql, e.unitId, e.period);
  if (cycle && (cycle.collective.includes(caller.id) || (await escalationNames(sql, cycle.workflowId, caller.id))))
    return true;
  return escalationNames(sql, e.workflowId, caller.id);
}

/** The profile the evaluation's workflow scores by: its cycle's, as the cycle recorded it when it opened. */
export async function scoringProfileOf(sql: Sql, e: StoredEvaluation): Promise<ScoringProfile> {
  const cycle = await findCycle(sql, e.unitId, e.period);
  return cycleProfile(cycle?.profileId, e.period);
}
