/** Production entry point: `npm run api` against the configured Temporal cluster and Postgres. */
import { loadApiConfig } from './config';
import { serveApi } from './serve';

try {
  const config = loadApiConfig();
  const api = await serveApi(config);
  console.log(`API listening on ${api.url} (OpenAPI at ${api.url}/openapi.json, try it at ${api.url}/docs)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void api.stop().then(() => process.exit(0)));
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
