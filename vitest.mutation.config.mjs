// Vitest for the mutation run (stryker.config.mjs): only the unit tests of the rules in domain/.
// No global setup, so neither PostgreSQL nor the Temporal binaries are started.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    include: ['test/unit/*.test.ts'],
    // Unit tests of other folders (worker/, db/, scripts/), and the source-text checks on
    // domain/, which would read Stryker's instrumented copy rather than the code as written.
    exclude: [
      'test/unit/bench-cpu.test.ts',
      'test/unit/database-unavailable.test.ts',
      'test/unit/worker-config.test.ts',
      'test/unit/workflow-bundle.test.ts',
      'test/unit/domain-purity.test.ts',
    ],
  },
});
