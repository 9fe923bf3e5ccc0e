/** Production entry point: `npm run worker` against the configured Temporal cluster and Postgres. */
import { loadWorkerConfig } from './config';
import { runWorker } from './run';

try {
  const config = loadWorkerConfig();
  const worker = await runWorker(config);
  console.log(`worker polling ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void worker.stop());
  await worker.done;
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
