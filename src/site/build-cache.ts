import {createHash} from 'node:crypto'
import type {Element} from 'hast'
import type {VFileMessage} from 'vfile-message'
import {createCodeHighlighter, type CodeHighlighter} from '../markdown/rehype-highlight-code.js'
import type {Rendering} from './liquid-scope.js'
import type {FrontMatter} from '../content/front-matter.js'
import type {Post} from '../content/post.js'
import type {SiteFiles} from './scan.js'

/**
 * What one build can hand to the next, so a rebuild only redoes what changed
 * (the preview server keeps one across rebuilds; `galley build` starts empty).
 * Every entry is keyed by a fingerprint of all its inputs, so a stale entry is
 * never used: it is simply not found.
 */
export interface BuildCache {
  /** Source file text by path, valid while its stamp (mtime and size) is unchanged, with a hash of it. */
  readonly texts: Map<string, TextEntry>
  /** The last scan of the site folder, reused while no file was added or removed. */
  scan?: {readonly key: string; readonly files: SiteFiles; readonly theme: ReadonlyMap<string, string>} | undefined
  /** Rendered bodies by source path, with the messages rendering reported. */
  readonly renders: Map<
    string,
    {
      readonly key: string
      readonly rendering: Rendering
      /** A hash of the rendering itself: what the pages showing this body depend on. */
      readonly hash: string
      /** The document's Liquid view built from this rendering, reused as is (its neighbours are linked anew each run). */
      view?: Record<string, unknown>
      readonly messages: readonly VFileMessage[]
      readonly lookups: ReadonlyArray<readonly [string, string | undefined]>
    }
  >
  /** Finished pages by output path. */
  readonly pages: Map<string, {readonly key: string; readonly html: string}>
  /** The feeds, by a key over the posts they hold. */
  feeds?: {readonly key: string; readonly value: {readonly atom: string; readonly json: string; readonly problems: readonly string[]}} | undefined
  /** Highlighted code blocks by content hash. */
  readonly code: Map<string, Element>
  /** One highlighter, its grammars loaded once. */
  readonly highlighter: CodeHighlighter
}

/** One source file as last read, and what was derived from that very text. */
export interface TextEntry {
  readonly stamp: string
  readonly text: string
  readonly hash: string
  /** Its front matter, parsed once per version of the file. */
  matter?: FrontMatter
  /** The document resolved from it, under the config with this key (reused with its VFile's messages cleared). */
  resolved?: {readonly configKey: string; readonly doc: Post; meta?: string}
  /** Whether its body uses Liquid (`{{` or `{%`): such bodies depend on the whole site. */
  usesLiquid?: boolean
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

export function createBuildCache(): BuildCache {
  return {texts: new Map(), renders: new Map(), pages: new Map(), code: new Map(), highlighter: createCodeHighlighter()}
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

/**
 * A Map that can note which keys a piece of work looked up, and what it
 * found. A cached body stays valid while every lookup it made still finds
 * the same value: adding a post does not re-render the posts that never
 * referred to it.
 */
export class RecordingMap<K, V> extends Map<K, V> {
  #lookups: Map<K, V | undefined> | undefined

  override get(key: K): V | undefined {
    const value = super.get(key)
    if (this.#lookups && !this.#lookups.has(key)) this.#lookups.set(key, value)
    return value
  }

  override has(key: K): boolean {
    this.get(key)
    return super.has(key)
  }

  /** Run `work` (one at a time) and return what it looked up. */
  async record<T>(work: () => Promise<T>): Promise<{value: T; lookups: Array<[K, V | undefined]>}> {
    const lookups = new Map<K, V | undefined>()
    this.#lookups = lookups
    try {
      return {value: await work(), lookups: [...lookups]}
    } finally {
      this.#lookups = undefined
    }
  }

  /** Whether every recorded lookup still finds what it found then. */
  unchanged(lookups: ReadonlyArray<readonly [K, V | undefined]>): boolean {
    return lookups.every(([key, value]) => super.get(key) === value)
  }
}
