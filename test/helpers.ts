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
