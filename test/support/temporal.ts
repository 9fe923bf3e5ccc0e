/** Temporal test environments on the provisioned binaries (never the SDK's own download). */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { inject } from 'vitest';
import { SEARCH_ATTRIBUTES } from '../../scripts/temporal-dev';

let runtimeInstalled = false;

/** Quiet logs, installed at most once per process as the SDK requires. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by an earlier file in this process.
  }
}

/** The time-skipping test server; its first start can exceed the SDK's 5 s, so try twice. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  const start = () =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: inject('temporalTestServer') } } });
  let env: TestWorkflowEnvironment;
  try {
    env = await start();
  } catch {
    env = await start();
  }
  // The workflows set these; the test server knows none until told (it cannot list them, but it can add them).
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((name) => [name, 2 /* KEYWORD */])),
  });
  return env;
}
