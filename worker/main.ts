/** Production entry point: `npm run worker` against the configured Temporal cluster and Postgres. */
import { getHeapStatistics } from 'node:v8';
import { createLogger } from '../telemetry/log';
import { loadWorkerConfig } from './config';
import { runWorker } from './run';

const logger = createLogger({ base: { service: 'worker' } });
try {
  const config = loadWorkerConfig();
  logger.level = config.LOG_LEVEL.toLowerCase();
  const worker = await runWorker(config, logger);
  const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  // Said at warn so the line shows at every level the worker is run with.
  logger.warn(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      temporal: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      maxCachedWorkflows: worker.maxCachedWorkflows,
      heapMiB,
      metrics: config.WORKER_METRICS_ADDRESS ? `http://${config.WORKER_METRICS_ADDRESS}/metrics` : null,
    },
    'worker polling',
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
} catch (err) {
  logger.fatal({ err }, err instanceof Error ? err.message : String(err));
  process.exit(1);
}
