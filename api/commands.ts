/** Sends a command to a workflow as an Update and turns a refusal into the API's error. */
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { fromTemporal } from './errors';

export async function sendUpdate<Ret, Arg>(
  temporal: Client,
  workflowId: string,
  def: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  /** `closedPhase` reads the phase to report when the workflow has already ended (only then is it called). */
  opts: { updateId?: string; closedMessage: string; closedPhase?: () => Promise<string> },
): Promise<Ret> {
  try {
    return await temporal.workflow.getHandle(workflowId).executeUpdate(def, { args: [arg], ...(opts.updateId ? { updateId: opts.updateId } : {}) });
  } catch (err) {
    const phase = (await opts.closedPhase?.()) ?? 'closed';
    throw fromTemporal(err, opts.closedMessage, phase) ?? err;
  }
}
