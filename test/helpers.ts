import {execFile} from 'node:child_process'
import {existsSync, promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const cliPath = path.join(root, 'dist', 'cli.js')
export const fixtures = path.join(root, 'test', 'fixtures')
/** The shared folder of real posts; optional: tests that use it say so and skip without it. */
export const sharedDir = path.resolve(root, '..', 'shared')
export const seedPath = path.join(sharedDir, 'seeds', '000_1dad2b53354d8093.txt')
export const hasSeed = existsSync(seedPath)

/** A fresh temp folder holding `files` (path → contents). */
export async function makeSite(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-test-'))
  await writeFiles(dir, files)
  return dir
}

export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, contents] of Object.entries(files)) {
    const target = path.join(dir, name)
    await fs.mkdir(path.dirname(target), {recursive: true})
    await fs.writeFile(target, contents)
  }
}

/** Copy a fixture folder into a fresh temp folder. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-test-'))
  await fs.cp(path.join(fixtures, name), dir, {recursive: true})
  return dir
}

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Run the real CLI (compiled by `npm test`'s tsc step) as a child process. */
export function runCli(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cliPath, ...args], {cwd: options.cwd ?? root, env: {...process.env, ...options.env}}, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({code, stdout, stderr})
    })
  })
}

export function read(dir: string, file: string): Promise<string> {
  return fs.readFile(path.join(dir, file), 'utf8')
}

/** Every file under `dir` with its bytes, for byte-for-byte comparisons. */
export async function snapshotTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const entry of await fs.readdir(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    out.set(path.relative(dir, full), (await fs.readFile(full)).toString('base64'))
  }
  return out
}

/** The inner HTML of the first `<article …>…</article>` in a page (the post's own part). */
export function articleOf(html: string): string {
  const start = html.indexOf('<article')
  const end = html.lastIndexOf('</article>')
  if (start === -1 || end === -1) throw new Error('page has no <article>')
  return html.slice(html.indexOf('>', start) + 1, end)
}

// ---------------------------------------------------------------------------
// `galley serve` as a child process, and Chromium for the browser tests.

/** A running `galley serve` child process, with everything it printed so far. */
export interface ServeProcess {
  /** The URL from the `galley: serving DIR at URL` line (ends in `/`, or in `/blog/` under a baseurl). */
  readonly url: string
  /** `http://127.0.0.1:PORT`, without the base path: where `/__galley/…` lives. */
  readonly origin: string
  readonly child: import('node:child_process').ChildProcess
  stdout(): string
  stderr(): string
  /** stdout and stderr together, in the order the chunks arrived. */
  output(): string
  /**
   * Resolves with the first line of `stream` (`output`: both together), starting at character `from`
   * (default 0), that matches `pattern`; rejects after `timeout` ms (default
   * 30 s) or when the process exits first, quoting what it printed.
   */
  waitForLine(stream: 'stdout' | 'stderr' | 'output', pattern: RegExp, options?: {from?: number; timeout?: number}): Promise<string>
  /** Send `signal` (default SIGTERM), wait for the exit (SIGKILL after `timeout`, default 10 s) and return how it ended. */
  stop(signal?: NodeJS.Signals, timeout?: number): Promise<{code: number | null; signal: NodeJS.Signals | null; killed: boolean}>
}

const runningServes = new Set<import('node:child_process').ChildProcess>()
let exitHookInstalled = false

/**
 * Start `node dist/cli.js serve --source SOURCE --port 0 --host 127.0.0.1
 * ...extraArgs` and wait (up to `timeout`, default 90 s: the first build comes
 * first) for its `galley: serving … at URL` line. Stop it with `stop()`, or
 * `stopAllServes()` in an afterEach; a process left running when the test
 * worker exits is killed.
 */
export async function startServe(source: string, extraArgs: string[] = [], options: {timeout?: number; env?: Record<string, string>} = {}): Promise<ServeProcess> {
  const {spawn} = await import('node:child_process')
  const child = spawn(process.execPath, [cliPath, 'serve', '--source', source, '--port', '0', '--host', '127.0.0.1', ...extraArgs], {
    cwd: root,
    env: {...process.env, ...options.env},
    stdio: ['ignore', 'pipe', 'pipe']
  })
  runningServes.add(child)
  if (!exitHookInstalled) {
    exitHookInstalled = true
    process.once('exit', () => {
      for (const running of runningServes) running.kill('SIGKILL')
    })
  }
  const output = {stdout: '', stderr: '', output: ''}
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
    child.once('exit', (code, signal) => {
      runningServes.delete(child)
      resolve({code, signal})
    })
  })
  let exitInfo: {code: number | null; signal: NodeJS.Signals | null} | undefined
  void exited.then((info) => {
    exitInfo = info
    notify()
  })
  const listeners = new Set<() => void>()
  const notify = () => {
    for (const listener of [...listeners]) listener()
  }
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output.stdout += chunk
    output.output += chunk
    notify()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    output.stderr += chunk
    output.output += chunk
    notify()
  })
  const printed = () => `--- stdout ---\n${output.stdout}--- stderr ---\n${output.stderr}--------------`

  const waitForLine: ServeProcess['waitForLine'] = (stream, pattern, {from = 0, timeout = 30_000} = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const text = output[stream].slice(from)
        // Only whole lines: the last piece may still be arriving.
        const lines = text.split('\n').slice(0, -1)
        const line = lines.find((candidate) => pattern.test(candidate))
        if (line !== undefined) {
          done()
          resolve(line)
        } else if (exitInfo) {
          done()
          reject(new Error(`galley serve exited (code ${exitInfo.code}, signal ${exitInfo.signal}) before printing a ${stream} line matching ${pattern}\n${printed()}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no ${stream} line matching ${pattern} from galley serve within ${timeout} ms\n${printed()}`))
      }, timeout)
      const done = () => {
        clearTimeout(timer)
        listeners.delete(check)
      }
      listeners.add(check)
      check()
    })

  const stop: ServeProcess['stop'] = async (signal = 'SIGTERM', timeout = 10_000) => {
    if (exitInfo) return {...exitInfo, killed: false}
    child.kill(signal)
    let timer: NodeJS.Timeout | undefined
    const killed = await Promise.race([
      exited.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeout)
      })
    ])
    clearTimeout(timer)
    if (killed) child.kill('SIGKILL')
    return {...(await exited), killed}
  }

  let line: string
  try {
    line = await waitForLine('stdout', /^galley: serving /, {timeout: options.timeout ?? 90_000})
  } catch (error) {
    await stop('SIGKILL')
    throw error
  }
  const url = line.trim().split(/\s+/).at(-1) ?? ''
  if (!/^http:\/\/127\.0\.0\.1:\d+\/(.*\/)?$/.test(url)) {
    await stop('SIGKILL')
    throw new Error(`galley serve printed "${line}": its last token is not an http://127.0.0.1:PORT/… URL ending in /\n${printed()}`)
  }
  return {url, origin: new URL(url).origin, child, stdout: () => output.stdout, stderr: () => output.stderr, output: () => output.output, waitForLine, stop}
}

/** Stop (SIGTERM, then SIGKILL) every `galley serve` this worker started that is still running. */
export async function stopAllServes(): Promise<void> {
  await Promise.all(
    [...runningServes].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
          child.once('exit', () => {
            clearTimeout(timer)
            resolve()
          })
          child.kill('SIGTERM')
        })
    )
  )
}

/**
 * Debian's Chromium, where scripts/test-setup.sh installs it: /usr/bin/chromium,
 * else `chromium` on PATH. (`npx playwright install` cannot work here: it downloads a browser.)
 */
export function findChromium(): string | undefined {
  const candidates = ['/usr/bin/chromium', ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'chromium'))]
  return candidates.find((candidate) => existsSync(candidate))
}

/**
 * Flags for headless Chromium on this machine: root needs --no-sandbox, and
 * without the background-networking flags Chromium keeps calling out to the
 * (closed) network. The host-resolver rule makes every name but localhost
 * unresolvable (127.0.0.1 passes), so no page can reach past the loopback.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
]

/** Launch headless Chromium with playwright-core; throws, saying how to install it, when it is missing. */
export async function launchChromium(): Promise<import('playwright-core').Browser> {
  const executablePath = findChromium()
  if (!executablePath) {
    throw new Error(
      'Chromium is not installed (no /usr/bin/chromium, no chromium on PATH), and the browser tests do not skip without it.\n' +
        'Run `bash scripts/test-setup.sh` (as root, or with sudo): it installs Debian\'s chromium package. `npm test` runs it as its pretest.'
    )
  }
  const {chromium} = await import('playwright-core')
  return chromium.launch({executablePath, headless: true, args: chromiumArgs, timeout: 60_000})
}

/**
 * A fresh browser context that lets pages reach only the loopback: every other
 * http(s) request is aborted and recorded in `blocked`.
 */
export async function newLoopbackContext(browser: import('playwright-core').Browser): Promise<{context: import('playwright-core').BrowserContext; blocked: string[]}> {
  const context = await browser.newContext()
  const blocked: string[] = []
  await context.route(
    (url) => /^(https?|wss?):$/.test(url.protocol) && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname),
    async (route) => {
      blocked.push(route.request().url())
      await route.abort('blockedbyclient')
    }
  )
  return {context, blocked}
}
