// Mutation testing of the modules that carry the product's promises; docs/mutation-testing.md says how to
// read the results. CI does not run it: a full run takes hours on two cores. While working, mutate one module:
//   npm run mutation -- --mutate 'src/auth/**/*.ts'
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // `related` narrows the dry run to the test files that import the mutated files; perTest coverage then runs
  // each mutant against only the tests that executed it.
  vitest: { configFile: 'vitest.config.ts', related: true },
  coverageAnalysis: 'perTest',
  // Mutants in code that runs at import time would need the whole suite each; they are few (constants) and
  // the tests that read those constants are listed by the ordinary run.
  ignoreStatic: true,
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'src/pipeline/**/*.ts',
    'src/models/**/*.ts',
    'src/generators/paced.ts',
    'src/auth/**/*.ts',
    'src/http/**/*.ts',
    'src/storage/**/*.ts',
    'src/graphql/limits.ts',
    'src/exports/**/*.ts',
    'packages/embedded-mongo/src/storage/**/*.ts',
    'packages/embedded-mongo/src/engine/indexes.ts',
  ],
  // Two cores shared with other work: one test runner at a time.
  concurrency: 1,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
