import {defineConfig} from 'vitest/config'
import base from './vitest.config.js'

/**
 * The suite as `npm run mutate` runs it against each mutant: only the tests
 * that run src/ in this process (Stryker mutates src/, not the dist/cli.js
 * that the CLI tests start as a child process, so those could not kill a
 * mutant and would only cost time), and without the in-process test that
 * switches process.env.TZ (time zones cannot change inside Stryker's worker
 * threads; the CLI tests cover zones in real processes).
 */
const cliOnly = [
  'cli-frictions', 'cli', 'compare-site', 'concurrency', 'corpus', 'determinism', 'embedded-html', 'foreign-files', 'install', 'interrupt',
  'keep-files', 'kramdown-site', 'progress', 'robustness', 'security', 'serve-browser', 'site-outputs', 'source-errors', 'template-limits', 'validate', 'warnings', 'bench-smoke'
]

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    exclude: cliOnly.map((name) => `test/${name}.test.ts`),
    testNamePattern: /^(?!.*zone independence \(in process)/
  }
})
