// Mutation testing (npm run mutate; not part of CI): StrykerJS makes one small bug at a time in
// src/content, src/markdown and src/site and runs the vitest suite against each; a mutant no test
// fails on is a test to write. Incremental: reruns test only what changed since the last run
// (reports/stryker-incremental.json). Narrow a run with: npm run mutate -- --mutate "src/content/**/*.ts"
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: {configFile: 'vitest.mutate.config.ts'},
  mutate: ['src/content/**/*.ts', 'src/markdown/**/*.ts', 'src/site/**/*.ts'],
  // vitest.mutate.config.ts: the in-process tests only (the CLI tests run dist/cli.js, which is not mutated).
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: {fileName: 'reports/mutation/index.html'},
  concurrency: 2,
  timeoutMS: 60000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always'
}
