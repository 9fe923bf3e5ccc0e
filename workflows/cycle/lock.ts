/** The lock: nothing changes after it; the workflow ends once the read model and every handler are done. */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { now } from '../steps';
import type { CycleState } from './state';

export async function lock(cycle: CycleState): Promise<void> {
  cycle.enter('locked');
  const lockedAt = (cycle.lockedAt = now());
  cycle.persist({
    audit: [
      { at: lockedAt, actor: 'system', action: 'cycle.locked', subject: cycle.workflowId, payload: { lockedAt } },
    ],
  });
  await cycle.writes.settled();
  await condition(allHandlersFinished);
}
