import {spawn} from 'node:child_process'
import {existsSync, promises as fs, readdirSync} from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {cliPath, makeSite, root, runCli, snapshotTree, writeFiles} from './helpers.js'

/**
 * Builds killed at random points (SIGINT, SIGTERM, SIGKILL), the write phase
 * included, then a normal build: the output is always one whole site, old or
 * new, byte for byte, and nothing is left beside it.
 */

const POSTS = 120
const env = {SOURCE_DATE_EPOCH: '1700000000', CI: 'true'}

/** Version `v` of every post: each one differs between versions, so a mixed output cannot pass as either. */
function posts(v: 'a' | 'b'): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < POSTS; i++) {
    const day = String((i % 28) + 1).padStart(2, '0')
    files[`posts/2023-03-${day}-post-${i}.md`] = `---\ntitle: "Post ${i} (${v})"\ntags: [t${i % 7}]\n---\n\nParagraph ${i} of version ${v}, with *emphasis* and a [link](https://example.com/${i}).\n\n## Part ${v}\n\n- one\n- two ${i}\n`
  }
  return files
}

/** Spawn a build and send `signal` after `delay` ms (if it still runs); resolves with its exit code or signal. */
function killedBuild(source: string, signal: NodeJS.Signals, delay: number): Promise<{code: number | null; signal: NodeJS.Signals | null; stderr: string}> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, 'build', '--source', source], {cwd: root, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => child.kill(signal), delay)
    child.once('exit', (code, got) => {
      clearTimeout(timer)
      resolve({code, signal: got, stderr})
    })
  })
}

function leftovers(source: string): string[] {
  return readdirSync(source).filter((name) => name.startsWith('.galley-staging-') || name.startsWith('.galley-old-') || name.startsWith('.galley-lock-'))
}

async function trashGone(source: string): Promise<boolean> {
  // Replaced outputs are removed by a detached process: give it time, never assert how long it took.
  for (let i = 0; i < 300; i++) {
    if (!readdirSync(source).some((name) => name.startsWith('.galley-trash-'))) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

describe('interrupted builds', () => {
  it('leave the old or the new site, whole, and the next build finishes the job', {timeout: 400_000}, async () => {
    const source = await makeSite({'site.yml': 'title: Interrupts\nurl: https://example.com\n', ...posts('a')})
    const out = path.join(source, '_site')
    let started = performance.now()
    expect((await runCli(['build', '--source', source], {env})).code).toBe(0)
    const duration = performance.now() - started
    const siteA = await snapshotTree(out)
    await writeFiles(source, posts('b'))
    expect((await runCli(['build', '--source', source], {env})).code).toBe(0)
    const siteB = await snapshotTree(out)
    expect(siteB).not.toEqual(siteA)
    const trees = {a: siteA, b: siteB}

    // Random kill points over the whole build, start to write phase; the seed is printed by fast-check on failure.
    const signals = fc.constantFrom<NodeJS.Signals>('SIGINT', 'SIGTERM', 'SIGKILL')
    const fraction = fc.double({min: 0.05, max: 1.1, noNaN: true})
    let version: 'a' | 'b' = 'b'
    await fc.assert(
      fc.asyncProperty(signals, fraction, async (signal, at) => {
        const before = await snapshotTree(out)
        version = version === 'a' ? 'b' : 'a'
        await writeFiles(source, posts(version))
        started = performance.now()
        const result = await killedBuild(source, signal, Math.round(duration * at))
        const after = await snapshotTree(out)
        // Right after the kill: one whole site, the one before or the one being built.
        expect([before, trees[version]]).toContainEqual(after)
        if (signal !== 'SIGKILL' && result.signal === null && result.code !== 0) {
          expect(result.code).toBe(signal === 'SIGINT' ? 130 : 143)
          expect(result.stderr).toMatch(new RegExp(`^galley: build stopped by ${signal}; `, 'm'))
          expect(leftovers(source)).toEqual([])
        }
        // The next build cleans up whatever was left and publishes this version.
        const next = await runCli(['build', '--source', source], {env})
        expect(next.code, next.stderr).toBe(0)
        expect(await snapshotTree(out)).toEqual(trees[version])
        expect(leftovers(source)).toEqual([])
      }),
      {numRuns: 3, examples: [['SIGKILL', 0.85], ['SIGINT', 0.9]]}
    )
    expect(await trashGone(source)).toBe(true)
  })

  it('a build killed between its two renames (no output, the old one aside) gets the old one back', async () => {
    const source = await makeSite({'site.yml': 'title: Swap\n', 'posts/2024-01-02-x.md': '---\ntitle: X\n---\n\nx\n'})
    expect((await runCli(['build', '--source', source], {env})).code).toBe(0)
    const built = await snapshotTree(path.join(source, '_site'))
    // What SIGKILL between `rename(out, old)` and `rename(staging, out)` leaves.
    await fs.rename(path.join(source, '_site'), path.join(source, '.galley-old-_site-0badf00d'))
    await fs.mkdir(path.join(source, '.galley-staging-_site-0badf00d'))
    await fs.writeFile(path.join(source, '.galley-staging-_site-0badf00d', 'index.html'), 'half')
    await fs.writeFile(path.join(source, 'posts/2024-01-02-x.md'), '---\ntitle: [unclosed\n---\n\nx\n')
    const failed = await runCli(['build', '--source', source], {env})
    expect(failed.code).toBe(1)
    // The failed build changed nothing, but the output that had gone missing is back, and the leftovers are gone.
    expect(await snapshotTree(path.join(source, '_site'))).toEqual(built)
    expect(leftovers(source)).toEqual([])
    expect(existsSync(path.join(source, '.galley-old-_site-0badf00d'))).toBe(false)
  })
})
