import {COMPARE_FENCE} from '../markdown/compare/fence.js'
import {checkSourceText} from '../content/source-checks.js'
import {CITATION_HINT} from '../markdown/citations/source-hint.js'
import {VFile} from 'vfile'
import type {SiteConfig} from '../config.js'
import {collectionOf} from '../content/collection-settings.js'
import {keyPlace} from '../content/key-place.js'
import type {Post} from '../content/post.js'
import {withSafeUrls} from '../content/safe-url.js'
import {sourceText} from '../content/source-text.js'
import {isRecentStamp, SourceReadError, type SourceReader} from '../io.js'
import {report} from '../report.js'
import {hashOf, type BuildCache, type TextEntry} from './build-cache.js'
import type {SiteFiles} from './scan.js'

/** The resolve stage's output: every document, the files with their messages, and a way to get a body back. */
export interface Resolved {
  readonly docs: Post[]
  readonly files: VFile[]
  /** Page candidates without front matter: static files after all. */
  readonly plain: string[]
  /** Files of a collection without front matter: the collection's static files (source paths). */
  readonly collectionStatics: string[]
  /**
   * A document's body: its text with the front matter blanked (lines kept).
   * Read again from the file when this run did not read it (a document
   * resolved from the cache), so bodies are only held while they are needed.
   */
  body(doc: Post): Promise<string>
}

export interface ResolveOptions {
  readonly texts: BuildCache['texts']
  /** A hash of the config: a document resolved under another config is resolved again. */
  readonly configKey: string
  /** Whether a cached text may be used without looking at the file again (the watcher says it did not change). */
  readonly trusted: (source: string) => boolean
  /** Keep each file's text in the cache (the preview, which re-renders from memory); a build keeps only stamps and hashes. */
  readonly keepTexts: boolean
  /** Called whenever a file is read (its stamp changed, or the cache did not know it). */
  readonly onRead: () => void
}

/** Read every post, draft and page candidate and resolve it to a Post; problems stay on each file. */
export async function resolveDocuments(config: SiteConfig, scanned: SiteFiles, reader: SourceReader, options: ResolveOptions): Promise<Resolved> {
  const {texts} = options
  const docs: Post[] = []
  const files: VFile[] = []
  const plain: string[] = []
  const collectionStatics: string[] = []
  /** Bodies read in this run, by source. */
  const bodies = new Map<string, string>()
  const dateOptions = {timezone: config.timezone, keepWrittenOffset: config.keepWrittenOffset}
  const groups: Array<[readonly string[], 'post' | 'draft' | 'page' | 'document']> = [
    [scanned.posts, 'post'],
    [scanned.drafts, 'draft'],
    [scanned.pageCandidates, 'page'],
    [scanned.collected, 'document']
  ]
  for (const [sources, kind] of groups) {
    for (const source of sources) {
      // Only pages and collection files may be without front matter (then they are copied as they are).
      const needsMatter = kind === 'page' || kind === 'document'
      let read: {text: string | undefined}
      try {
        read = await readText(reader, source, texts, options)
        if (needsMatter && texts.get(source)?.frontMatter === undefined) read.text ??= await readFresh(reader, source, texts, options.keepTexts, options.onRead)
      } catch (error) {
        if (!(error instanceof SourceReadError)) throw error
        // An unreadable file is an error on it; the other files are still read, so a run reports every problem.
        const file = new VFile({path: source, cwd: config.source})
        report(file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}, cause: error})
        files.push(file)
        texts.delete(source)
        continue
      }
      const entry = texts.get(source) as TextEntry
      if (needsMatter && !(entry.frontMatter ??= /^---\s*\r?\n/.test(read.text ?? ''))) {
        ;(kind === 'page' ? plain : collectionStatics).push(source)
        continue
      }
      if (entry.resolved && entry.resolved.configKey === options.configKey) {
        // The same document again: its VFile is reused with its messages cleared (this run reports its own).
        const file = entry.resolved.doc.file
        file.messages.length = 0
        files.push(file)
        docs.push(entry.resolved.doc)
        if (read.text !== undefined && entry.matter) bodies.set(source, entry.matter.body)
        continue
      }
      // Front matter (YAML) and titles (HTML) are parsed only for documents the cache does not already hold.
      const {readFrontMatter, toPage, toPost, toCollectionDocument} = await parsers()
      const file = new VFile({path: source, cwd: config.source})
      files.push(file)
      try {
        const text = read.text ?? (await readFresh(reader, source, texts, options.keepTexts, options.onRead))
        file.value = text
        checkSourceText(file, text)
        // Front matter parsed once per version of the file (a failure throws and is never kept).
        const written = entry.matter ?? readFrontMatter(file)
        if (options.keepTexts) entry.matter = written
        const matter = withSafeUrls(file, written)
        bodies.set(source, matter.body)
        const collection = kind === 'document' ? collectionOf(config.collections, source) : undefined
        const doc =
          kind === 'page'
            ? toPage(file, source, matter, dateOptions)
            : collection
              ? toCollectionDocument(file, source, matter, collection, {...dateOptions, now: config.now})
              : toPost(file, source, matter, {...dateOptions, permalink: config.permalink, now: config.now, draft: kind === 'draft'})
        if (doc) docs.push(doc)
        // Kept only when resolving reported nothing (a reused document must report what it reported then), and
        // not for drafts (an undated one is dated by the build's clock).
        if (doc && file.messages.length === 0 && kind !== 'draft') entry.resolved = {configKey: options.configKey, doc}
      } catch (error) {
        const reason = error instanceof SourceReadError ? error.message : `cannot read this file: ${String(error)}`
        if (!file.messages.includes(error as never)) report(file, {reason, ruleId: 'read', severity: 'error', cause: error, place: {line: 1, column: 1}})
      }
      // The messages are positioned; the text is not needed past this point (and a site's texts add up).
      if (!options.keepTexts) file.value = ''
    }
  }
  return {
    docs,
    files,
    plain,
    collectionStatics,
    async body(doc) {
      const known = bodies.get(doc.source) ?? texts.get(doc.source)?.matter?.body
      if (known !== undefined) return known
      const text = await readFresh(reader, doc.source, texts, options.keepTexts, options.onRead)
      const body = (await parsers()).readFrontMatter(new VFile({path: doc.source, value: text})).body
      bodies.set(doc.source, body)
      return body
    }
  }
}

export function isVisible(doc: Post, config: SiteConfig): boolean {
  if (!doc.published) return false
  // Posts and dated collection documents, as Jekyll's publisher hides them (an undated document is dated now).
  if ((doc.kind === 'post' || doc.kind === 'document') && !config.future && doc.date && doc.date.getTime() > config.now) return false
  return true
}

type Parsers = typeof import('../content/front-matter.js') & typeof import('../content/post.js') & typeof import('../content/collection-document.js')
let loading: Promise<Parsers> | undefined

/** The YAML and title parsers, imported once, when first needed. */
function parsers(): Promise<Parsers> {
  loading ??= Promise.all([import('../content/front-matter.js'), import('../content/post.js'), import('../content/collection-document.js')]).then(([matter, post, document]) => ({...matter, ...post, ...document}))
  return loading
}

/** Two documents (or a document and a static file) that would write the same output file: an error naming both. */
export function checkUrlClashes(docs: readonly Post[], statics: ReadonlyMap<string, string>): void {
  const owners = new Map<string, Post>()
  for (const doc of docs) {
    const other = owners.get(doc.outputPath)
    if (other) {
      for (const [file, them] of [[doc, other], [other, doc]] as const) {
        report(file.file, {
          reason: `${file.source} and ${them.source} both want the URL ${doc.url}`,
          ruleId: 'url-clash',
          severity: 'error',
          place: keyPlace(file, 'permalink')
        })
      }
    } else owners.set(doc.outputPath, doc)
    if (statics.has(doc.outputPath)) {
      report(doc.file, {reason: `${doc.source} would overwrite the file ${doc.outputPath} at URL ${doc.url}`, ruleId: 'url-clash', severity: 'error', place: {line: 1, column: 1}})
    }
  }
}

/**
 * A file's text, unless its stamp (mtime and size) is the one the cache has:
 * then the cached text, or — when the cache keeps only stamps, as a build's
 * does — no text, and the cached resolution stands. A stamp taken less than
 * a few seconds after the file was written proves nothing (another write in
 * the same clock tick keeps it), so such an entry is `racy` and the file is
 * read and hashed again next time.
 */
async function readText(reader: SourceReader, source: string, texts: BuildCache['texts'], options: ResolveOptions): Promise<{text: string | undefined}> {
  const cached = texts.get(source)
  if (cached && options.trusted(source) && cached.text !== undefined) return {text: cached.text}
  const stamp = await reader.stamp(source)
  if (cached && cached.stamp === stamp && !cached.racy) return {text: cached.text}
  return {text: await readFresh(reader, source, texts, options.keepTexts, options.onRead)}
}

/** Read (line endings as `\n`) and hash a file; its entry keeps what was derived from it only while the text is the same. */
async function readFresh(reader: SourceReader, source: string, texts: BuildCache['texts'], keepText: boolean, onRead: () => void): Promise<string> {
  const stamp = await reader.stamp(source)
  const text = sourceText(await reader.read(source))
  onRead()
  const hash = hashOf(text)
  const cached = texts.get(source)
  const racy = isRecentStamp(stamp)
  if (cached && cached.hash === hash) {
    cached.stamp = stamp
    cached.racy = racy
    if (keepText) cached.text = text
    return text
  }
  texts.set(source, {stamp, hash, text: keepText ? text : undefined, racy, usesModels: COMPARE_FENCE.test(text), usesCitations: CITATION_HINT.test(text)})
  return text
}
