/**
 * The floor: `count` bare updates on trivial workflows, one each, from this process's client at
 * the given concurrency, through the same worker and server as the month.
 */
import { Client, Connection } from '@temporalio/client';
import { benchFloorWorkflow, ping } from '../../workflows/bench-floor';
import { TASK_QUEUE } from '../../workflows/messages';
import type { CpuMeter } from './cpu';
import { runPool } from './pool';
import { figures, type StepFigures } from './stats';

export const FLOOR_STEP = 'floor (bare update)';

export async function measureFloor(opts: {
  address: string;
  count: number;
  concurrency: number;
  onProgress?: (done: number, total: number) => void;
  meter?: Pick<CpuMeter, 'begin' | 'end'>;
}): Promise<StepFigures> {
  const connection = await Connection.connect({ address: opts.address });
  try {
    const client = new Client({ connection });
    const run = `${Date.now()}`;
    const ids = Array.from({ length: opts.count }, (_, i) => `bench-floor:${run}:${i}`);
    // Starting is set-up, not measured: the month's workflows exist before their updates, too.
    await runPool(ids, opts.concurrency, async (workflowId) => {
      await client.workflow.start(benchFloorWorkflow, { workflowId, taskQueue: TASK_QUEUE });
    });
    opts.meter?.begin(FLOOR_STEP);
    const result = await runPool(ids, opts.concurrency, async (workflowId) => {
      await client.workflow.getHandle(workflowId).executeUpdate(ping, { args: [{ n: 1 }] });
    }, { onDone: (done) => opts.onProgress?.(done, ids.length) });
    opts.meter?.end(FLOOR_STEP, ids.length);
    return figures(FLOOR_STEP, result.latenciesMs, result.failed, result.seconds);
  } finally {
    await connection.close();
  }
}
