import {createHash} from 'node:crypto'
import {createRendererShared, type BodyDeps, type RendererShared} from '../render/body.js'
import type {PlainMessage} from '../render/messages.js'
import type {CodeHighlighter} from '../markdown/rehype-highlight-code.js'
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
  /** Rendered bodies by slot (source path, or `source#url` for index pages after the first). */
  readonly renders: Map<string, BodyEntry>
  /** Finished pages by output path. */
  readonly pages: Map<string, {readonly key: string; readonly html: string}>
  /** The feeds, by a key over the posts they hold. */
  feeds?: {readonly key: string; readonly value: {readonly atom: string; readonly json: string; readonly problems: readonly string[]}} | undefined
  /** This thread's highlighter (grammars load once) and highlighted blocks, for bodies rendered here. */
  readonly renderer: RendererShared
  /** One highlighter, its grammars loaded once. */
  readonly highlighter: CodeHighlighter
}

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
  const renderer = createRendererShared()
  return {texts: new Map(), renders: new Map(), pages: new Map(), renderer, highlighter: renderer.highlighter}
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
