// Mutation testing of the modules that carry the product's promises; docs/mutation-testing.md says how to
// read the results. CI does not run it: a full run takes hours on two cores.
//   npm run mutation                        every scoped module, against the tests that import it
//   MUTATION_MODULE=auth npm run mutation   one module, against the test files listed for it below
// Each module keeps its own incremental file and reports under reports/mutation/<module>/, so runs of one
// module never drop another's results.

/** Module → the files it mutates and the test files that speak for it (in-process ones: a child process runs the build, which carries no mutants). */
const MODULES = {
  auth: { mutate: ['src/auth/**/*.ts'], testFiles: ['test/auth/**/*.test.ts', 'test/e2e/hostileUsers.test.ts', 'test/e2e/hostileRequests.test.ts', 'test/e2e/clientErrors.test.ts', 'test/e2e/origins.test.ts'] },
  paced: { mutate: ['src/generators/paced.ts'], testFiles: ['test/adapters/paced.test.ts'] },
  pipeline: {
    mutate: ['src/pipeline/**/*.ts'],
    testFiles: [
      'test/pipeline/**/*.test.ts',
      'test/e2e/{referenceSet,failures,setControl,setControlAnswers,storageOutage,badInput,characterList,hostileUsers,lateSubscribers,fairQueue,createCharacters,characterImages,identity}.test.ts',
      'test/exports/**/*.test.ts',
      'test/identity/**/*.test.ts',
      'test/auth/userLimits.test.ts',
    ],
  },
  models: {
    mutate: ['src/models/**/*.ts'],
    testFiles: [
      'test/models/**/*.test.ts',
      'test/pipeline/**/*.test.ts',
      'test/e2e/{referenceSet,failures,setControl,setControlAnswers,storageOutage,characterImages,characterList,createCharacters,lateSubscribers,fairQueue,hostileUsers}.test.ts',
      'test/auth/userLimits.test.ts',
      'test/db/faults.test.ts',
    ],
  },
  http: {
    mutate: ['src/http/**/*.ts'],
    testFiles: [
      'test/e2e/{badInput,hostileRequests,hostileUsers,clientErrors,origins,readiness,metrics,referenceSet,lateSubscribers,setControl}.test.ts',
      'test/adapters/readiness.test.ts',
      // The page's routes and the WebSocket transport as a browser uses them (in-process services).
      'test/browser/{pageFlow,signedIn,referenceSheet}.browser.test.ts',
    ],
  },
  storage: { mutate: ['src/storage/**/*.ts'], testFiles: ['test/e2e/{badInput,hostileUsers,storageOutage}.test.ts', 'test/adapters/cloudinary.test.ts', 'test/exports/cloudinary.test.ts'] },
  limits: { mutate: ['src/graphql/limits.ts'], testFiles: ['test/auth/{queryLimits,nesting}.test.ts'] },
  exports: { mutate: ['src/exports/**/*.ts'], testFiles: ['test/exports/**/*.test.ts'] },
  store: { mutate: ['packages/embedded-mongo/src/storage/**/*.ts', 'packages/embedded-mongo/src/engine/indexes.ts'], testFiles: ['packages/embedded-mongo/test/{durability,commands,concurrency}.test.ts'] },
};

const module = process.env.MUTATION_MODULE;
if (module !== undefined && !(module in MODULES)) throw new Error(`MUTATION_MODULE must be one of ${Object.keys(MODULES).join(', ')}`);
const chosen = module === undefined ? undefined : MODULES[module];
const reports = `reports/mutation/${module ?? 'all'}`;

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
  mutate: chosen?.mutate ?? Object.values(MODULES).flatMap((entry) => entry.mutate),
  ...(chosen ? { testFiles: chosen.testFiles } : {}),
  // Two cores shared with other work: one test runner at a time.
  concurrency: 1,
  // A mutant that loops (fake timers make that common) is cut off this long after the tests' normal time.
  timeoutMS: 5_000,
  timeoutFactor: 2,
  incremental: true,
  // Committed: a full run takes hours on two cores, and every clone (and every session) starts from the last one.
  incrementalFile: `test/mutation-baseline/${module ?? 'all'}.json`,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: `${reports}/index.html` },
  jsonReporter: { fileName: `${reports}/mutation.json` },
  thresholds: { high: 90, low: 80, break: null },
  // Other runs' sandboxes need no copy. dist/ is copied: child-process tests run that build (made by npm run mutation).
  ignorePatterns: ['/.stryker-tmp*'],
  // One folder per module: a run cleans its folder when it ends, which must not pull another run's sandbox away.
  tempDirName: `.stryker-tmp-${module ?? 'all'}`,
  cleanTempDir: 'always',
};
