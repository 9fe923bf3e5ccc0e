/**
 * How the workflow code is bundled, in one place: the worker (bundling at start), the prebuilt
 * bundle (`npm run bundle:workflows`), the replay tests and the benchmarks all bundle it this way.
 */
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../telemetry/log';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** The production workflows and the benchmark's floor (scripts/bench/workflows.ts), for the benchmark and its tests. */
export const BENCH_WORKFLOWS_PATH = fileURLToPath(new URL('../scripts/bench/workflows.ts', import.meta.url));

/**
 * The domain modules the workflows import. They hold rules and constants only, no per-workflow
 * state, so the worker loads them once into its shared V8 context (the SDK's `preloadModules`,
 * which deep-freezes them) instead of once per cached or replayed workflow. `test/unit/workflow-bundle.test.ts`
 * checks this list against the workflows' import graph.
 */
export const SHARED_DOMAIN_MODULES = [
  'actors',
  'calendar',
  'caps',
  'cases',
  'config',
  'deliberation',
  'eligibility',
  'errors',
  'quota',
  'scoring',
  'scope',
  'triggers',
  'votes',
];

const sharedModulePaths = (): string[] =>
  SHARED_DOMAIN_MODULES.map((m) => fileURLToPath(new URL(`../domain/${m}.ts`, import.meta.url)));

/** The workflow interceptors every worker runs: the request ID's (workflows/interceptors.ts). */
export const workflowInterceptorModules = (): string[] => [
  fileURLToPath(new URL('../workflows/interceptors.ts', import.meta.url)),
];

/** OpenTelemetry's workflow interceptors, which a bundle carries only when the worker will trace. */
export const TRACING_WORKFLOW_INTERCEPTORS = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/** The bundler options every worker uses. */
export const workflowBundlerOptions = (): Pick<BundleOptions, 'preloadModules'> => ({
  preloadModules: sharedModulePaths(),
});

const bundlerLog = createLogger({ base: { service: 'bundler' } });

/** Webpack's progress lines are noise here; its warnings and errors are not. */
export const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string, meta?: Record<string, unknown>) => bundlerLog.warn(meta ?? {}, message),
  error: (message: string, meta?: Record<string, unknown>) => bundlerLog.error(meta ?? {}, message),
};

/**
 * The workflows bundled as the worker runs them (`preload: false` loads every module per workflow, for comparison;
 * `tracing` adds OpenTelemetry's workflow interceptors, for a worker started with OTEL_EXPORTER_OTLP_ENDPOINT;
 * `interceptors: false` leaves out even the request ID's, for the benchmark's SDK-only baseline).
 */
export function bundleWorkflows(
  opts: { preload?: boolean; workflowsPath?: string; tracing?: boolean; interceptors?: boolean } = {},
) {
  return bundleWorkflowCode({
    workflowsPath: opts.workflowsPath ?? WORKFLOWS_PATH,
    workflowInterceptorModules: [
      ...(opts.interceptors === false ? [] : workflowInterceptorModules()),
      ...(opts.tracing ? [TRACING_WORKFLOW_INTERCEPTORS] : []),
    ],
    logger: quietBundlerLogger,
    ...(opts.preload === false ? {} : workflowBundlerOptions()),
  });
}
