/** Sends a command to a workflow as an Update, within a bound, and turns a refusal into the API's error. */
import type { UpdateDefinition } from '@temporalio/common';
import type { ApiDeps } from './deps';
import { fromTemporal } from './errors';

/** How long a request waits on a workflow before answering 503: a workflow that cannot move never holds a request forever. */
export const COMMAND_TIMEOUT_MS = 60_000;

/** Runs `fn` with a deadline on every Temporal call it makes. */
export function withinBound<R>(deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>, fn: () => Promise<R>): Promise<R> {
  return deps.temporal.withDeadline(Date.now() + (deps.commandTimeoutMs ?? COMMAND_TIMEOUT_MS), fn);
}

export async function sendUpdate<Ret, Arg>(
  deps: Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>,
  workflowId: string,
  def: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  /** `closedPhase` reads the phase to report when the workflow has already ended (only then is it called). */
  opts: { updateId?: string; closedMessage: string; closedPhase?: () => Promise<string> },
): Promise<Ret> {
  try {
    return await withinBound(deps, () =>
      deps.temporal.workflow
        .getHandle(workflowId)
        .executeUpdate(def, { args: [arg], ...(opts.updateId ? { updateId: opts.updateId } : {}) }),
    );
  } catch (err) {
    const phase = (await opts.closedPhase?.()) ?? 'closed';
    throw fromTemporal(err, opts.closedMessage, phase) ?? err;
  }
}
