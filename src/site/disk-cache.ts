import {createHash, randomBytes} from 'node:crypto'
import {mkdirSync, promises as fs, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import type {Post} from '../content/post.js'
import {ZonedDate} from '../content/zoned-date.js'
import {createBuildCache, DamagedCacheError, type BodyEntry, type BodyStore, type BuildCache, type OutputEntry, type TextEntry} from './build-cache.js'
import {lazyRendering} from './body-stage.js'

/**
 * The persistent cache of `galley build`: one index file (`index.json`:
 * every source file's stamp and hash, the documents resolved from them,
 * each body's key, metadata, messages and dependencies, and what the last
 * build wrote to the output folder) plus one file per rendered body's HTML
 * (`bodies/<hash>.html`, with a checksum line). Loaded into a `BuildCache`
 * before a build and saved after it.
 *
 * Nothing in it is trusted blindly: a cache written by another version, a
 * file that does not parse, or a body whose checksum does not match is
 * ignored with a warning and the work is done again.
 */
export interface DiskCache {
  readonly dir: string
  /** The cache as the last build left it, or an empty one (with the reason, when the stored one could not be used). */
  load(site: {readonly source: string; readonly out: string}): Promise<{cache: BuildCache; problem: string | undefined}>
  /** Store `cache` for the next build (after a successful one). */
  save(cache: BuildCache, site: {readonly out: string}): Promise<void>
  /** An empty cache that stores into this folder (when the stored one turned out to be damaged). */
  empty(): BuildCache
}

const FORMAT = 3

interface Stored {
  readonly format: number
  readonly galley: string
  readonly out: string
  readonly texts: ReadonlyArray<readonly [string, string, string, boolean, boolean | null, boolean | null, (boolean | null)?]>
  readonly docs: ReadonlyArray<readonly [string, string, StoredPost]>
  readonly renders: ReadonlyArray<readonly [string, Omit<BodyEntry, 'rendering' | 'view'> & {readonly meta: StoredMeta}]>
  readonly outputs: ReadonlyArray<readonly [string, string, string]>
}

type StoredMeta = Omit<BodyEntry['rendering'], 'html'>
type StoredPost = Omit<Post, 'file' | 'date'> & {readonly date: readonly [number, number] | null}

export function openDiskCache(dir: string, version: string): DiskCache {
  const bodies = path.join(dir, 'bodies')
  const empty = () => createBuildCache({keepTexts: false, bodies: createDiskBodyStore(bodies)})
  return {
    dir,
    empty,
    async load(site) {
      let text: string
      try {
        text = await fs.readFile(path.join(dir, 'index.json'), 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {cache: empty(), problem: undefined}
        return {cache: empty(), problem: `cannot read ${path.join(dir, 'index.json')}: ${(error as Error).message}`}
      }
      let stored: Stored
      try {
        stored = JSON.parse(text) as Stored
      } catch {
        // Not the parser's message: it quotes the damaged bytes.
        return {cache: empty(), problem: `the cache index ${path.join(dir, 'index.json')} is damaged (not valid JSON)`}
      }
      if (stored?.format !== FORMAT || typeof stored.galley !== 'string') return {cache: empty(), problem: `the cache index ${path.join(dir, 'index.json')} is damaged (not a cache index of this format)`}
      if (stored.galley !== version) return {cache: empty(), problem: `the cache was written by galley ${stored.galley}, not ${version}`}
      try {
        return {cache: restore(stored, site, createDiskBodyStore(bodies)), problem: undefined}
      } catch (error) {
        return {cache: empty(), problem: `the cache index ${path.join(dir, 'index.json')} is damaged (${(error as Error).message})`}
      }
    },
    async save(cache, site) {
      await fs.mkdir(bodies, {recursive: true})
      const stored: Stored = {
        format: FORMAT,
        galley: version,
        out: site.out,
        texts: [...cache.texts].map(([source, entry]) => [source, entry.stamp, entry.hash, entry.racy, entry.frontMatter ?? null, entry.usesModels ?? null, entry.usesCitations ?? null] as const),
        docs: [...cache.texts].flatMap(([source, entry]) => (entry.resolved && isJsonSafe(entry.resolved.doc.data) ? [[source, entry.resolved.configKey, storePost(entry.resolved.doc)] as const] : [])),
        renders: [...cache.renders].map(([slot, entry]) => {
          const {excerpt, image, imageSize, math, papers, words, imageVariants} = entry.rendering
          return [slot, {key: entry.key, hash: entry.hash, messages: entry.messages, deps: entry.deps, meta: {excerpt, image, imageSize, math, papers, words, imageVariants}}] as const
        }),
        outputs: [...cache.pages].flatMap(([file, entry]) => (entry.stamp === undefined ? [] : [[file, entry.key, entry.stamp] as const]))
      }
      await cache.bodies.flush()
      // Bodies no entry refers to any more are removed, so the folder does not grow with every edit.
      const wanted = new Set(stored.renders.map(([, entry]) => `${entry.hash}.html`))
      for (const name of await fs.readdir(bodies)) if (!wanted.has(name)) await fs.rm(path.join(bodies, name), {force: true})
      // Written whole, then renamed: a build killed while saving leaves the old index, never half of a new one.
      const temporary = path.join(dir, `index.json.${randomBytes(4).toString('hex')}`)
      await fs.writeFile(temporary, JSON.stringify(stored))
      await fs.rename(temporary, path.join(dir, 'index.json'))
    }
  }
}

/** The cache of a site's last build, from what was stored. */
function restore(stored: Stored, site: {readonly source: string; readonly out: string}, store: BodyStore): BuildCache {
  const cache = createBuildCache({keepTexts: false, bodies: store})
  for (const [source, stamp, hash, racy, frontMatter, usesModels, usesCitations] of stored.texts) {
    const entry: TextEntry = {stamp, hash, racy, text: undefined}
    if (frontMatter !== null) entry.frontMatter = frontMatter
    if (usesModels !== null) entry.usesModels = usesModels
    if (usesCitations !== null && usesCitations !== undefined) entry.usesCitations = usesCitations
    cache.texts.set(source, entry)
  }
  for (const [source, configKey, post] of stored.docs) {
    const entry = cache.texts.get(source)
    if (entry) entry.resolved = {configKey, doc: restorePost(post, site.source)}
  }
  for (const [slot, entry] of stored.renders) {
    cache.renders.set(slot, {key: entry.key, hash: entry.hash, messages: entry.messages, deps: entry.deps, rendering: lazyRendering(entry.meta, entry.hash, store)})
  }
  // What is in the output folder counts only for the folder it was written to.
  if (stored.out === site.out) for (const [file, key, stamp] of stored.outputs) cache.pages.set(file, {key, stamp} satisfies OutputEntry)
  return cache
}

function storePost(doc: Post): StoredPost {
  const {file: _file, date, ...rest} = doc
  return {...rest, date: date ? [date.getTime(), date.offset] : null}
}

function restorePost(stored: StoredPost, source: string): Post {
  const {date, ...rest} = stored
  return {...rest, date: date ? new ZonedDate(date[0], date[1]) : undefined, file: new VFile({path: stored.source, cwd: source})}
}

/** Whether a value survives JSON unchanged (front matter with binary or non-finite numbers is kept out of the cache). */
function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(isJsonSafe)
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value as object).every(isJsonSafe)
  return false
}

/** How much body HTML (in UTF-16 code units) stays in memory once it is on disk too; beyond that, bodies are read back. */
const memoryBudget = 64 * 1024 * 1024

/**
 * Bodies in a folder, one file each (`<checksum>\n<html>`), with the newest
 * in memory up to a budget. A body read back whose checksum does not match
 * throws `DamagedCacheError`: the build then starts again without the cache.
 */
export function createDiskBodyStore(dir: string): BodyStore {
  const memory = new Map<string, string>()
  let held = 0
  const pending = new Map<string, Promise<void>>()
  let made = false
  let damaged = false
  const fileOf = (hash: string) => path.join(dir, `${hash}.html`)
  const forget = (hash: string) => {
    const html = memory.get(hash)
    if (html === undefined || pending.has(hash)) return
    memory.delete(hash)
    held -= html.length
  }
  return {
    put(hash, html) {
      if (memory.has(hash)) return
      memory.set(hash, html)
      held += html.length
      if (!made) {
        mkdirSync(dir, {recursive: true})
        made = true
      }
      const write = fs.writeFile(fileOf(hash), checksum(html) + '\n' + html).finally(() => {
        pending.delete(hash)
        if (held > memoryBudget) for (const old of memory.keys()) if (held > memoryBudget / 2) forget(old)
      })
      pending.set(hash, write)
    },
    get(hash) {
      const held = memory.get(hash)
      if (held !== undefined) return held
      let text: string
      try {
        text = readFileSync(fileOf(hash), 'utf8')
      } catch (error) {
        damaged = true
        throw new DamagedCacheError(`cached body ${hash} is missing (${(error as Error).message})`)
      }
      const newline = text.indexOf('\n')
      const html = text.slice(newline + 1)
      if (newline === -1 || text.slice(0, newline) !== checksum(html)) {
        damaged = true
        throw new DamagedCacheError(`cached body ${fileOf(hash)} does not match its checksum`)
      }
      return html
    },
    release: forget,
    async flush() {
      await Promise.all(pending.values())
    },
    get damaged() {
      return damaged
    }
  }
}

/** A body store in a temporary folder, removed by `dispose`: `--no-cache` builds still let bodies go from memory. */
export function createTemporaryBodyStore(): BodyStore & {dispose(): void} {
  const dir = path.join(os.tmpdir(), `galley-bodies-${process.pid}-${randomBytes(4).toString('hex')}`)
  const store = createDiskBodyStore(dir)
  return Object.assign(store, {dispose: () => rmSync(dir, {recursive: true, force: true})})
}

function checksum(text: string): string {
  return createHash('sha1').update(text).digest('base64url')
}
