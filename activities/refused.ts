/**
 * Tells a failure that retrying can mend (the database is away, a lock timed out) from one it
 * never can (PostgreSQL refuses the data itself, a rule finds the input impossible). The second
 * kind is recorded as an alert for an admin and thrown as non-retryable, so no workflow retries a
 * write forever.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import postgres from 'postgres';
import { recordAlert } from '../db/alerts';
import type { Sql } from '../db/sql';
import { DATA_REFUSED } from '../domain/errors';

/**
 * SQLSTATE classes of refused data: 22 data exception (a NUL byte, a value out of range), 23
 * integrity constraint violation, 54 program limit exceeded (a row too large).
 */
const REFUSED_CLASSES = new Set(['22', '23', '54']);

export function isRefusedData(err: unknown): boolean {
  if (err instanceof postgres.PostgresError) return REFUSED_CLASSES.has((err.code ?? '').slice(0, 2));
  // The domain throws RangeError for input no rule can accept (a period with no scoring profile).
  return err instanceof RangeError;
}

function currentWorkflowId(): string | null {
  try {
    return Context.current().info.workflowExecution?.workflowId ?? null;
  } catch {
    // Called outside an activity (a test, a script): no workflow to name.
    return null;
  }
}

type AnyActivity = (...args: never[]) => Promise<unknown>;

/** Wraps every activity so that refused data becomes an alert and a non-retryable failure. */
export function refusingBadData<T extends Record<string, AnyActivity>>(sql: Sql, activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      try {
        return await activity(...args);
      } catch (err) {
        if (!isRefusedData(err)) throw err;
        const message = err instanceof Error ? err.message : String(err);
        // A snapshot names its workflow and version; any other activity is named by its context.
        const first = args[0] as { version?: unknown; workflowId?: unknown } | undefined;
        const version = typeof first?.version === 'number' ? first.version : null;
        const workflowId = typeof first?.workflowId === 'string' ? first.workflowId : currentWorkflowId();
        await recordAlert(sql, { workflowId, version, activity: name, message }).catch(() => undefined);
        throw ApplicationFailure.nonRetryable(`${name} cannot store this data: ${message}`, DATA_REFUSED);
      }
    };
  }
  return wrapped as T;
}
