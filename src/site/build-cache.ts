import {createHash} from 'node:crypto'
import type {BodyDeps} from '../render/body.js'
import type {PlainMessage} from '../render/messages.js'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {Rendering} from './liquid-scope.js'
import type {FrontMatter} from '../content/front-matter.js'
import type {Post} from '../content/post.js'
import type {SiteFiles} from './scan.js'

/**
 * What one build can hand to the next, so a rebuild only redoes what changed.
 * The preview keeps one in memory across rebuilds; `galley build` loads one
 * from the persistent cache (see `disk-cache.ts`) and saves it back. Every
 * entry is keyed by a fingerprint of all its inputs, so a stale entry is
 * never used: it is simply not found.
 */
export interface BuildCache {
  /** Source files by path: stamp and hash, and what was derived from that very text. */
  readonly texts: Map<string, TextEntry>
  /** The last scan of the site folder, reused while no file was added or removed (preview only). */
  scan?: {readonly key: string; readonly files: SiteFiles; readonly theme: ReadonlyMap<string, string>} | undefined
  /** Rendered bodies by slot (source path, or `source#url` for index pages after the first). */
  readonly renders: Map<string, BodyEntry>
  /** The HTML of rendered bodies, by their hash. */
  readonly bodies: BodyStore
  /** Finished outputs by path, with the key they were made from (and their contents, in the preview). */
  readonly pages: Map<string, OutputEntry>
  /** Keep source texts in memory (the preview re-renders from them); a build keeps stamps and hashes only. */
  readonly keepTexts: boolean
  /** Set when a source file was read again (its stamp changed): the cache then has something new to save. */
  touched: boolean
}

/** What the cache knows of one output: the key it was made from, and either its contents or the stamp of the file written. */
export interface OutputEntry {
  readonly key: string
  /** The contents, when the cache holds them (the preview's). */
  readonly html?: string | Uint8Array | undefined
  /** The written file's stamp, when the contents are in the output folder (a build's). */
  readonly stamp?: string | undefined
}

/**
 * Where rendered bodies' HTML lives: in memory, and — for a build — in the
 * cache folder, so a body can be let go once its page is written and read
 * back if a later page shows it (a listing of full posts, a feed).
 */
export interface BodyStore {
  put(hash: string, html: string): void
  /** The HTML for `hash`. Throws `DamagedCacheError` when the stored copy is gone or does not match. */
  get(hash: string): string
  /** Drop the in-memory copy when a stored one exists. */
  release(hash: string): void
  /** Wait until every body put is stored. */
  flush(): Promise<void>
  /** Whether a `get` found a stored body gone or damaged in this build. */
  readonly damaged: boolean
}

/** A cached body's HTML could not be read back as written: the build starts again without the cache. */
export class DamagedCacheError extends Error {}

/** A rendered body as the cache keeps it: valid while its key matches and its dependencies hold. */
export interface BodyEntry {
  readonly key: string
  readonly rendering: Rendering
  /** A hash of the rendering itself: what the pages showing this body depend on. */
  readonly hash: string
  /** The messages rendering reported, reported again whenever the entry is used. */
  readonly messages: readonly PlainMessage[]
  readonly deps: BodyDeps
  /** The document's Liquid view built from this rendering, reused as is (its neighbours are linked anew each run). */
  view?: Record<string, unknown>
  /** The messages as last reported, on that file (reported again as they are while the file is the same). */
  reported?: {readonly file: VFile; readonly messages: readonly VFileMessage[]}
  /** The models this body discusses, for the model data and front matter of `key` (see discussed-models.ts); kept in memory only. */
  mentions?: {readonly key: string; readonly ids: readonly string[]}
}

/** One source file as last read, and what was derived from that very text. */
export interface TextEntry {
  /** Modification time and size when last read (see `SourceReader.stamp`). */
  stamp: string
  /** Whether `stamp` was taken too soon after a write to be trusted (see `isRecentStamp`). */
  racy: boolean
  /** The text, when the cache keeps texts (the preview's does; a build keeps hashes only). */
  text: string | undefined
  readonly hash: string
  /** Whether it starts with front matter (page candidates without it are static files). */
  frontMatter?: boolean
  /** Whether it may hold a comparison block: its body is then keyed by the model data too. */
  usesModels?: boolean
  /** Whether it may cite (`@`, `<d-cite>`, a `bibliography:`): its body is then keyed by the bibliographies too. */
  usesCitations?: boolean
  /** Its front matter, parsed once per version of the file (preview only). */
  matter?: FrontMatter
  /** The document resolved from it, under the config with this key (reused with its VFile's messages cleared). */
  resolved?: {readonly configKey: string; readonly doc: Post; meta?: string}
}

/**
 * What the preview knows about a rebuild: the files the watcher saw change
 * (relative to the site), and whether any was added or removed. Without a
 * hint every file is stamped; with one, only the changed files are.
 */
export interface RebuildHint {
  readonly changed: readonly string[]
  readonly structural: boolean
}

/** An empty cache; `keepTexts` for the preview, and a body store (default: memory only). */
export function createBuildCache(options: {keepTexts?: boolean; bodies?: BodyStore} = {}): BuildCache {
  return {texts: new Map(), renders: new Map(), pages: new Map(), bodies: options.bodies ?? createMemoryBodyStore(), keepTexts: options.keepTexts ?? true, touched: false}
}

/** Bodies kept in memory only (the preview, tests, `--no-cache`). */
export function createMemoryBodyStore(): BodyStore {
  const html = new Map<string, string>()
  return {
    put: (hash, value) => void html.set(hash, value),
    get(hash) {
      const value = html.get(hash)
      if (value === undefined) throw new DamagedCacheError(`no body ${hash}`)
      return value
    },
    release: () => undefined,
    flush: async () => undefined,
    damaged: false
  }
}

/** A short stable hash of some strings. */
export function hashOf(...parts: readonly string[]): string {
  const hash = createHash('sha1')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('base64url')
}

/**
 * Fingerprint a Liquid scope for the page cache. Objects found in `known`
 * (the views of other documents) stand in by their own key instead of being
 * serialised whole, so a page's fingerprint covers what it shows of its
 * neighbours and listed posts without walking every post's HTML.
 */
export function fingerprint(value: unknown, known: ReadonlyMap<object, string>): string {
  const root = value
  const seen = new WeakSet<object>()
  return hashOf(
    JSON.stringify(value, function (this: unknown, _key: string, inner: unknown) {
      if (typeof inner !== 'object' || inner === null) return inner
      if (inner !== root && known.has(inner)) return `view:${known.get(inner)}`
      // Views link to each other (next/previous): an object met again stands in by a marker,
      // at the same place every time, so the fingerprint stays deterministic.
      if (seen.has(inner)) return '[seen]'
      seen.add(inner)
      return inner
    }) ?? ''
  )
}
