/**
 * `npm run bundle:workflows [-- path]`: writes the workflow bundle the worker would otherwise build
 * with webpack at every start (default `dist/workflow-bundle.js`). A worker started with
 * `WORKFLOW_BUNDLE=<path>` loads it as is: it starts in seconds and never carries webpack's memory
 * (docs/benchmarks.md), and every worker of a deployment runs byte-for-byte the same workflow code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createLogger } from '../telemetry/log';
import { bundleWorkflows } from '../worker/bundle';
import { PROJECT_ROOT } from './tools';

export const DEFAULT_BUNDLE_PATH = resolve(PROJECT_ROOT, 'dist', 'workflow-bundle.js');

/** Bundles the workflows into `path` (or writes `code` already bundled) and returns its size in bytes. */
export async function writeWorkflowBundle(
  path = DEFAULT_BUNDLE_PATH,
  code?: string,
  workflowsPath?: string,
): Promise<number> {
  // A worker that will trace needs OpenTelemetry's workflow interceptors in its bundle (telemetry/tracing.ts).
  const tracing = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const text = code ?? (await bundleWorkflows({ workflowsPath, tracing })).code;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return text.length;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const path = resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
  const bytes = await writeWorkflowBundle(path);
  createLogger({ base: { service: 'bundler' } }).info(
    { path, kib: Math.round(bytes / 1024), tracing: Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT) },
    `workflow bundle written to ${path}; start workers with WORKFLOW_BUNDLE=${path}`,
  );
}
