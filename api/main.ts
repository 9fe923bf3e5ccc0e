/** Production entry point: `npm run api` against the configured Temporal cluster and Postgres. */
import { createLogger } from '../telemetry/log';
import { loadApiConfig } from './config';
import { serveApi } from './serve';

const logger = createLogger({ base: { service: 'api' } });
try {
  const config = loadApiConfig();
  const api = await serveApi(config, logger);
  logger.warn(
    { url: api.url, openapi: `${api.url}/openapi.json`, docs: `${api.url}/docs`, metrics: api.metricsUrl },
    `API listening on ${api.url}`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void api.stop().then(() => process.exit(0)));
} catch (err) {
  logger.fatal({ err }, err instanceof Error ? err.message : String(err));
  process.exit(1);
}
