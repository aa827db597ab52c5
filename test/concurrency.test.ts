import {spawn, type ChildProcess} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {cliPath, makeSite, root, runCli, snapshotTree} from './helpers.js'

/** Two builds of different sources into one output folder: one waits or refuses, none publishes stale output. */

const env = {SOURCE_DATE_EPOCH: '1700000000', CI: 'true'}

function site(label: string, count: number): Record<string, string> {
  const files: Record<string, string> = {'site.yml': `title: Site ${label}\n`}
  for (let i = 0; i < count; i++) files[`posts/2022-05-${String((i % 28) + 1).padStart(2, '0')}-p${i}.md`] = `---\ntitle: ${label} ${i}\n---\n\nBody ${i} of site ${label}.\n`
  return files
}

function start(args: string[]): {child: ChildProcess; done: Promise<{code: number | null; stderr: string}>} {
  const child = spawn(process.execPath, [cliPath, ...args], {cwd: root, env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return {child, done: new Promise((resolve) => child.once('exit', (code) => resolve({code, stderr})))}
}

async function untilExists(file: string): Promise<void> {
  for (let i = 0; i < 600 && !existsSync(file); i++) await new Promise((resolve) => setTimeout(resolve, 20))
}

describe('two builds into one output folder', () => {
  it('the second refuses with a message while the first holds the lock; with --wait the later source wins', {timeout: 240_000}, async () => {
    const a = await makeSite(site('A', 150))
    const b = await makeSite(site('B', 3))
    const outDir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-out-'))
    const out = path.join(outDir, 'public')
    const lock = path.join(outDir, '.galley-lock-public')
    const ownA = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-out-'))
    expect((await runCli(['build', '--source', a, '--out', ownA], {env})).code).toBe(0)
    const onlyA = await snapshotTree(ownA)

    const first = start(['build', '--source', a, '--out', out, '--workers', '1'])
    await untilExists(lock)
    const second = await runCli(['build', '--source', b, '--out', out], {env})
    const firstDone = await first.done
    expect(firstDone.code, firstDone.stderr).toBe(0)
    // Unless the first had already finished (then the second simply built), it refused, naming the folder and --wait.
    if (second.code !== 0) {
      expect(second.code).toBe(1)
      expect(second.stderr).toMatch(/^\.\.\/[^:]*public\/: error: another build \(pid \d+ on [^,]+, started [^)]+\) is writing this output folder; run again when it has finished, or pass --wait to queue behind it \(lock file: .*\) \(output-lock\)$/m)
      expect(await snapshotTree(out)).toEqual(onlyA)
    }

    // Queued: the second waits for the first and then publishes its own (later) source.
    const again = start(['build', '--source', a, '--out', out, '--workers', '1'])
    await untilExists(lock)
    const waited = await runCli(['build', '--source', b, '--out', out, '--wait'], {env})
    expect((await again.done).code).toBe(0)
    expect(waited.code, waited.stderr).toBe(0)
    const ownB = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-out-'))
    expect((await runCli(['build', '--source', b, '--out', ownB], {env})).code).toBe(0)
    expect(await snapshotTree(out)).toEqual(await snapshotTree(ownB))
    expect(existsSync(lock)).toBe(false)
  })

  it('a lock left by a build that died is taken over', async () => {
    const a = await makeSite(site('A', 2))
    // A pid that is not running: a child that has exited.
    const dead = spawn(process.execPath, ['-e', '0'])
    const pid = await new Promise<number>((resolve) => dead.once('exit', () => resolve(dead.pid!)))
    await fs.writeFile(path.join(a, '.galley-lock-_site'), JSON.stringify({pid, host: os.hostname(), started: '2020-01-01T00:00:00.000Z'}))
    const result = await runCli(['build', '--source', a], {env})
    expect(result.code, result.stderr).toBe(0)
    expect(existsSync(path.join(a, '.galley-lock-_site'))).toBe(false)
  })

  it('a lock of a running build (this test process) is respected', async () => {
    const a = await makeSite(site('A', 2))
    await fs.writeFile(path.join(a, '.galley-lock-_site'), JSON.stringify({pid: process.pid, host: os.hostname(), started: '2020-01-01T00:00:00.000Z'}))
    const result = await runCli(['build', '--source', a], {env})
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`_site/: error: another build (pid ${process.pid} on ${os.hostname()}, started 2020-01-01T00:00:00.000Z) is writing this output folder`)
    expect(existsSync(path.join(a, '_site'))).toBe(false)
  })
})
