/**
 * The floor: `count` bare updates on trivial workflows, one each, from this process's client at
 * the given concurrency, through the same worker and server as the month. The benchmark measures
 * it before the month and again after it, on the server's history as the month left it.
 */
import { Client, Connection } from '@temporalio/client';
import { benchFloorWorkflow, ping } from './floor-workflow';
import { TASK_QUEUE } from '../../contracts/messages';
import type { CpuMeter } from './cpu';
import { runPool } from './pool';
import { figures, type StepFigures } from './stats';

export async function measureFloor(opts: {
  address: string;
  count: number;
  concurrency: number;
  /** The row's name in the tables. */
  label: string;
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
    opts.meter?.begin(opts.label);
    const result = await runPool(
      ids,
      opts.concurrency,
      async (workflowId) => {
        await client.workflow.getHandle(workflowId).executeUpdate(ping, { args: [{ n: 1 }] });
      },
      { onDone: (done) => opts.onProgress?.(done, ids.length) },
    );
    opts.meter?.end(opts.label, ids.length);
    return figures(opts.label, result.latenciesMs, result.failed, result.seconds);
  } finally {
    await connection.close();
  }
}
