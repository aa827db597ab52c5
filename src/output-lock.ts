import {closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync} from 'node:fs'
import {hostname} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

/**
 * One build at a time per output folder: a lock file beside it
 * (`.galley-lock-_site`), made with O_EXCL so exactly one build can create it,
 * holding the builder's pid, host and start time. A lock left by a build
 * that died (its pid no longer runs on this host) is stale and taken over.
 */

/** Who holds an output folder's lock. */
export interface LockHolder {
  readonly pid: number
  readonly host: string
  /** ISO time the holder took the lock. */
  readonly started: string
}

export interface OutputLock {
  readonly file: string
  /** Give the lock up (synchronous, so a signal handler can call it); a second call does nothing. */
  release(): void
}

/** The output is locked by another build that is still running. */
export class OutputLockedError extends Error {
  readonly holder: LockHolder | undefined
  readonly file: string
  constructor(file: string, holder: LockHolder | undefined) {
    const who = holder ? ` (pid ${holder.pid} on ${holder.host}, started ${holder.started})` : ''
    super(`another build${who} is writing this output folder; run again when it has finished, or pass --wait to queue behind it (lock file: ${file})`)
    this.name = 'OutputLockedError'
    this.holder = holder
    this.file = file
  }
}

/** The lock file of output folder `out`: beside it, a dot file (so no scan of the site folder takes it for content). */
export function lockFileOf(out: string): string {
  return path.join(path.dirname(out), `.galley-lock-${path.basename(out)}`)
}

export interface LockOptions {
  /** Wait until the lock is free instead of failing (polling every `pollMs`). */
  readonly wait?: boolean | undefined
  readonly pollMs?: number | undefined
  /** Told once when the build starts waiting, with the holder. */
  readonly onWait?: ((holder: LockHolder | undefined) => void) | undefined
}

/** Take the lock of `out`, or throw {@link OutputLockedError} (without `wait`). */
export async function lockOutput(out: string, options: LockOptions = {}): Promise<OutputLock> {
  const file = lockFileOf(out)
  mkdirSync(path.dirname(out), {recursive: true})
  let told = false
  for (;;) {
    if (tryCreate(file)) return held(file)
    const holder = readHolder(file)
    if (holder === 'gone') continue
    if (holder !== undefined && isStale(holder)) {
      takeOver(file, holder)
      continue
    }
    if (!options.wait) throw new OutputLockedError(file, holder)
    if (!told) options.onWait?.(holder)
    told = true
    await sleep(options.pollMs ?? 200)
  }
}

const me = (): LockHolder => ({pid: process.pid, host: hostname(), started: new Date().toISOString()})

function tryCreate(file: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  }
  try {
    writeSync(fd, JSON.stringify(me()) + '\n')
  } finally {
    closeSync(fd)
  }
  return true
}

function held(file: string): OutputLock {
  let released = false
  return {
    file,
    release() {
      if (released) return
      released = true
      try {
        // Only our own lock: one taken over from us (we were thought dead) is not ours to remove.
        const holder = readHolder(file)
        if (holder !== 'gone' && holder?.pid === process.pid && holder.host === hostname()) unlinkSync(file)
      } catch {
        // Already gone.
      }
    }
  }
}

/** The lock's holder; `gone` when the file vanished meanwhile; undefined when it cannot be parsed (being written, or damaged). */
function readHolder(file: string): LockHolder | 'gone' | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return 'gone'
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.started === 'string') return {pid: value.pid, host: value.host, started: value.started}
  } catch {
    // Half-written by a holder that is creating it right now, or damaged.
  }
  return undefined
}

/** A lock of this host whose process no longer runs. Another host's lock is never judged: its pid means nothing here. */
function isStale(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return false
  if (holder.pid === process.pid) return false
  try {
    process.kill(holder.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'
  }
}

/**
 * Remove a stale lock, unless someone else already replaced it: the lock is
 * moved aside first, and if what was moved is not the stale one (another
 * build took it over in between), it is put back.
 */
function takeOver(file: string, stale: LockHolder): void {
  const aside = `${file}.stale-${process.pid}`
  try {
    renameSync(file, aside)
  } catch {
    return // gone already: someone else took it over
  }
  const moved = readHolder(aside)
  if (moved !== 'gone' && moved !== undefined && (moved.pid !== stale.pid || moved.started !== stale.started)) {
    try {
      linkSync(aside, file) // fails when a third build made a lock meanwhile; then that one holds it
    } catch {
      // keep theirs
    }
  }
  try {
    unlinkSync(aside)
  } catch {
    // nothing to clean
  }
}
