/** Production entry point: `npm run worker` against the configured Temporal cluster and Postgres. */
import { getHeapStatistics } from 'node:v8';
import { loadWorkerConfig } from './config';
import { runWorker } from './run';

try {
  const config = loadWorkerConfig();
  const worker = await runWorker(config);
  const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  console.log(
    `worker polling ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE}); caching up to ${worker.maxCachedWorkflows} workflows in a ${heapMiB} MiB heap`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
