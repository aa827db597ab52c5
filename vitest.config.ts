import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Fixture tests compare with expected files (toMatchFileSnapshot). A missing or different file is a
    // failure, never written on the spot, so a new fixture cannot approve itself: write them on purpose
    // with UPDATE=1 (or vitest -u), then read every file written.
    update: process.env.UPDATE === '1' || process.env.UPDATE === 'true' ? 'all' : 'none'
  }
})
