import {execFile} from 'node:child_process'
import {promises as fs} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {OUTPUT_MARKER} from './io.js'

/** Options for {@link deployToGit}. */
export interface DeployOptions {
  /** Absolute path of the built site; it is read, never changed. */
  readonly out: string
  /** Git remote: a URL, `user@host:path`, or a local path (relative paths resolve against the current directory). */
  readonly remote: string
  /** Branch to commit to. Default: `gh-pages`. */
  readonly branch?: string
  /** Commit message. Default: `Deploy site (<now, ISO 8601 to the second>)`. */
  readonly message?: string
  /** The deploy's time: used in the default message and as the author date. */
  readonly now: Date
  /**
   * A folder inside the site's own git repository: a remote given by name
   * (`origin`) that is no local path is looked up there (`git remote get-url`).
   */
  readonly repository?: string | undefined
}

/** What {@link deployToGit} did. */
export interface DeployResult {
  /** The branch's head after the deploy (the new commit, or the existing head when nothing changed). */
  readonly commit: string
  readonly branch: string
  /** Whether anything was pushed. */
  readonly pushed: boolean
  /** Whether the output differs from what the branch held. */
  readonly changed: boolean
}

/** A git command that failed; `message` carries git's stderr. */
export class GitError extends Error {
  override readonly name = 'GitError'
  /** The arguments passed to `git`. */
  readonly args: readonly string[]
  /** git's standard error, trimmed. */
  readonly stderr: string

  constructor(args: readonly string[], stderr: string, options: {cause: unknown}) {
    super(`git ${args.map(redact).join(' ')} failed${stderr === '' ? '' : ':\n' + stderr}`, options)
    this.args = args
    this.stderr = stderr
  }
}

const defaultBranch = 'gh-pages'
const fallbackIdentity = {name: 'Galley', email: 'galley@localhost'} as const

/**
 * Commit the built site at `options.out` to `branch` of `remote` and push,
 * on top of the branch's history (or as a new orphan branch). The commit
 * holds exactly the output's files, dot-files included; when they equal the
 * branch's head, nothing is committed or pushed. Work happens in a temporary
 * repository that is removed afterwards; only `git` is run, without a shell,
 * and git failures throw a {@link GitError}.
 */
export async function deployToGit(options: DeployOptions): Promise<DeployResult> {
  const branch = options.branch ?? defaultBranch
  await assertOutput(options.out)
  if (options.remote === '' || options.remote.startsWith('-')) throw new Error(`invalid git remote "${options.remote}"`)
  if (branch.startsWith('-')) throw new Error(`invalid branch name "${branch}"`)
  const remote = await remoteByName(options.remote, options.repository) ?? resolveRemote(options.remote)

  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'galley-deploy-'))
  try {
    const git = (...args: string[]): Promise<string> => run(args, work)
    await git('init', '--quiet')
    await git('check-ref-format', '--branch', branch)
    // Settings local to this throwaway repository, so the user's global
    // config cannot rewrite line endings of what gets committed.
    await git('config', 'core.autocrlf', 'false')
    await git('config', 'core.safecrlf', 'false')

    const ref = `refs/heads/${branch}`
    const exists = (await git('ls-remote', '--heads', remote, ref)).trim() !== ''
    if (exists) {
      // Only the head is needed: the new commit's parent is all the remote checks.
      await git('fetch', '--quiet', '--no-tags', '--depth=1', remote, ref)
      await git('update-ref', ref, 'FETCH_HEAD')
    }
    // Point HEAD at the branch without checking anything out: the index
    // starts empty, so `add --all` below stages exactly the output's files
    // and everything else in the old head shows up as deleted.
    await git('symbolic-ref', 'HEAD', ref)

    await copyOutput(options.out, work)
    await git('add', '--all', '--force', '.')

    if (exists && (await unchanged(work))) {
      return {commit: (await git('rev-parse', 'HEAD')).trim(), branch, pushed: false, changed: false}
    }

    const identity = await missingIdentity(work)
    const stamp = options.now.toISOString().replace(/\.\d{3}Z$/, 'Z')
    const message = options.message ?? `Deploy site (${stamp})`
    await git(...identity, 'commit', '--quiet', '--no-verify', `--date=${stamp}`, '--message', message)
    const commit = (await git('rev-parse', 'HEAD')).trim()
    await git('push', '--quiet', remote, `HEAD:${ref}`)
    return {commit, branch, pushed: true, changed: true}
  } finally {
    await fs.rm(work, {recursive: true, force: true})
  }
}

/** Refuse an output folder that is missing, not a folder, or empty. */
async function assertOutput(out: string): Promise<void> {
  let entries: string[]
  try {
    entries = await fs.readdir(out)
  } catch (error) {
    throw new Error(`cannot deploy ${out}: it does not exist or is not a folder (build the site first)`, {cause: error})
  }
  if (entries.filter((name) => name !== '.git').length === 0) throw new Error(`cannot deploy ${out}: it is empty (build the site first)`)
}

/** Copy the output into the work tree; a `.git` inside the output, and Galley's own output marker, are never copied. */
async function copyOutput(out: string, work: string): Promise<void> {
  for (const name of await fs.readdir(out)) {
    if (name === '.git' || name === OUTPUT_MARKER) continue
    await fs.cp(path.join(out, name), path.join(work, name), {recursive: true, verbatimSymlinks: true, filter: (source) => path.basename(source) !== '.git'})
  }
}

/** Whether the staged tree equals HEAD's (`git diff --quiet` exits 1 on a difference). */
async function unchanged(work: string): Promise<boolean> {
  try {
    await run(['diff', '--cached', '--quiet', 'HEAD'], work)
    return true
  } catch (error) {
    if (error instanceof GitError && exitCodeOf(error.cause) === 1) return false
    throw error
  }
}

/** `-c user.name=… -c user.email=…` for whichever of the two git has no value for. */
async function missingIdentity(work: string): Promise<string[]> {
  const args: string[] = []
  for (const key of ['name', 'email'] as const) {
    try {
      await run(['config', '--get', `user.${key}`], work)
    } catch (error) {
      if (!(error instanceof GitError && exitCodeOf(error.cause) === 1)) throw error
      args.push('-c', `user.${key}=${fallbackIdentity[key]}`)
    }
  }
  return args
}

/** The URL of a remote named like `origin` in the repository holding `repository`; undefined when `remote` is a path or no such name. */
async function remoteByName(remote: string, repository: string | undefined): Promise<string | undefined> {
  if (repository === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(remote)) return undefined
  try {
    await fs.access(path.resolve(remote))
    return undefined // a folder of that name is meant
  } catch {
    // not a path: a remote name, perhaps
  }
  try {
    return (await run(['remote', 'get-url', remote], repository)).trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * Resolve a local-path remote to an absolute path, since git runs inside the
 * temporary repository. URLs (`scheme://…`) and scp-like remotes
 * (`host:path`, a colon before any slash) are left alone.
 */
function resolveRemote(remote: string): string {
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(remote)) return remote
  const colon = remote.indexOf(':')
  const slash = remote.indexOf('/')
  const scpLike = colon > 0 && (slash === -1 || colon < slash) && !/^[a-z]:[\\/]/i.test(remote)
  return scpLike ? remote : path.resolve(remote)
}

function run(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, {cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8'}, (error, stdout, stderr) => {
      if (error) reject(new GitError(args, String(stderr).trim() || error.message, {cause: error}))
      else resolve(String(stdout))
    })
  })
}

/** Hide credentials in a remote URL (`https://user:token@host/…`) before it goes into an error message. */
function redact(arg: string): string {
  return arg.replace(/^([a-z][a-z\d+.-]*:\/\/)[^/@]*@/i, '$1***@')
}

function exitCodeOf(error: unknown): number | undefined {
  const code = (error as {code?: unknown} | undefined)?.code
  return typeof code === 'number' ? code : undefined
}
