import {execFile, spawn} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {cliPath, makeSite, runCli} from './helpers.js'

/** A site of `n` short posts, with a url so the build has no warning. */
function site(n: number) {
  const files: Record<string, string> = {'site.yml': 'url: https://example.com\n'}
  for (let index = 1; index <= n; index++) files[`posts/2024-01-01-p${index}.md`] = `---\ntitle: P${index}\n---\nHello ${index}.\n`
  return makeSite(files)
}

/** `galley build` on a pseudo-terminal (util-linux `script`), everything it wrote there in one string. */
function buildOnTerminal(dir: string, env: Record<string, string | undefined> = {}): Promise<{code: number; output: string}> {
  const command = [process.execPath, cliPath, 'build', '--source', dir, '--no-cache', '--workers', '1'].map((part) => `'${part}'`).join(' ')
  const childEnv: Record<string, string | undefined> = {...process.env, ...env}
  if (!('CI' in env)) delete childEnv.CI
  return new Promise((resolve) => {
    execFile('script', ['-qec', command, '/dev/null'], {env: childEnv as NodeJS.ProcessEnv}, (error, stdout) => {
      resolve({code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: stdout})
    })
  })
}

describe('build progress', () => {
  it('draws one updating line on a terminal for a build of more than 50 documents, then clears it', async () => {
    const dir = await site(60)
    const {code, output} = await buildOnTerminal(dir)
    expect(code).toBe(0)
    expect(output).toContain('\r\x1b[2Kgalley: rendering ')
    expect(output).toContain('galley: rendering 60/60 posts and pages')
    expect(output).toMatch(/galley: writing \d+ files/)
    // Cleared before the summary: the summary starts a clean line.
    expect(output).toMatch(/\r\x1b\[2K(\x1b\[\d+m)?galley: built 60 posts into /)
    expect(output.split('\n').filter((line) => line.includes('galley: built'))).toHaveLength(1)
  })

  it('draws nothing when stderr is not a terminal, under CI, or for a small site', async () => {
    const dir = await site(60)
    const piped = await runCli(['build', '--source', dir, '--no-cache', '--workers', '1'], {env: {CI: ''}})
    expect(piped.code).toBe(0)
    expect(piped.stderr).toBe('')
    expect(piped.stdout).not.toContain('\x1b')
    const ci = await buildOnTerminal(dir, {CI: 'true'})
    expect(ci.output).not.toContain('rendering')
    const small = await buildOnTerminal(await site(5))
    expect(small.output).not.toContain('rendering')
    expect(small.output).not.toContain('\x1b[2K')
  })
})

/** `galley serve` on a pseudo-terminal until it says where it serves; then the whole process group is stopped. */
function serveOnTerminal(dir: string): Promise<string> {
  const command = [process.execPath, cliPath, 'serve', '--source', dir, '--port', '0'].map((part) => `'${part}'`).join(' ')
  const env: Record<string, string | undefined> = {...process.env}
  delete env.CI
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {env: env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
    let output = ''
    const timer = setTimeout(() => finish(new Error(`no "galley: serving" line within 120 s:\n${output}`)), 120_000)
    const finish = (error?: Error) => {
      clearTimeout(timer)
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
      } catch {
        // already gone
      }
      if (error) reject(error)
      else resolve(output)
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk
      if (/galley: serving \S+ at http:\/\/\S+\//.test(output)) finish()
    })
    child.on('exit', () => finish(new Error(`galley serve exited first:\n${output}`)))
  })
}

describe('serve progress', () => {
  it('says it is building at once, and on a terminal draws the progress line of the first build', {timeout: 150_000}, async () => {
    const dir = await site(60)
    const output = await serveOnTerminal(dir)
    expect(output.indexOf('galley: building the site in memory')).toBeGreaterThan(-1)
    expect(output).toContain('\r\x1b[2Kgalley: rendering ')
    expect(output).toContain('galley: rendering 60/60 posts and pages')
    expect(output.indexOf('galley: building the site in memory')).toBeLessThan(output.indexOf('galley: rendering'))
    expect(output.indexOf('galley: rendering')).toBeLessThan(output.indexOf('galley: serving'))
  })
})
