import {createHash} from 'node:crypto'
import type {Element} from 'hast'
import type {VFileMessage} from 'vfile-message'
import {createCodeHighlighter, type CodeHighlighter} from '../markdown/rehype-highlight-code.js'
import type {Rendering} from './liquid-scope.js'

/**
 * What one build can hand to the next, so a rebuild only redoes what changed
 * (the preview server keeps one across rebuilds; `galley build` starts empty).
 * Every entry is keyed by a fingerprint of all its inputs, so a stale entry is
 * never used: it is simply not found.
 */
export interface BuildCache {
  /** Source file text by path, valid while its stamp (mtime and size) is unchanged. */
  readonly texts: Map<string, {readonly stamp: string; readonly text: string}>
  /** Rendered bodies by source path, with the messages rendering reported. */
  readonly renders: Map<string, {readonly key: string; readonly rendering: Rendering; readonly messages: readonly VFileMessage[]}>
  /** Finished pages by output path. */
  readonly pages: Map<string, {readonly key: string; readonly html: string}>
  /** Highlighted code blocks by content hash. */
  readonly code: Map<string, Element>
  /** One highlighter, its grammars loaded once. */
  readonly highlighter: CodeHighlighter
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
