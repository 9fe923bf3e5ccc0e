/**
 * The benchmark's floor: a workflow whose update does nothing but answer. The same number of
 * these updates, from the same client at the same concurrency, is the best the Temporal server
 * can do on this machine; the engine's submissions are measured against it.
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const ping = defineUpdate<number, [{ n: number }]>('ping');

/** Answers one ping, then ends, so a benchmark leaves nothing running behind it. */
export async function benchFloorWorkflow(): Promise<void> {
  let pinged = false;
  setHandler(ping, ({ n }) => {
    pinged = true;
    return n;
  });
  await condition(() => pinged);
  await condition(allHandlersFinished);
}
