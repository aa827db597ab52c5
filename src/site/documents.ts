import {VFile} from 'vfile'
import type {SiteConfig} from '../config.js'
import {readFrontMatter} from '../content/front-matter.js'
import {keyPlace, toPage, toPost, type Post} from '../content/post.js'
import type {SourceReader} from '../io.js'
import {report} from '../report.js'
import {hashOf, type BuildCache} from './build-cache.js'
import type {SiteFiles} from './scan.js'

export interface Resolved {
  readonly docs: Post[]
  readonly files: VFile[]
  /** Page candidates without front matter: static files after all. */
  readonly plain: string[]
}

/** Read every post, draft and page candidate and resolve it to a Post; problems stay on each file. */
export interface ResolveOptions {
  readonly texts: BuildCache['texts']
  /** A hash of the config: a document resolved under another config is resolved again. */
  readonly configKey: string
  /** Whether a cached text may be used without looking at the file again (the watcher says it did not change). */
  readonly trusted: (source: string) => boolean
}

export async function resolveDocuments(config: SiteConfig, scanned: SiteFiles, reader: SourceReader, options: ResolveOptions): Promise<Resolved> {
  const {texts} = options
  const docs: Post[] = []
  const files: VFile[] = []
  const plain: string[] = []
  const dateOptions = {timezone: config.timezone}
  const groups: Array<[readonly string[], 'post' | 'draft' | 'page']> = [
    [scanned.posts, 'post'],
    [scanned.drafts, 'draft'],
    [scanned.pageCandidates, 'page']
  ]
  for (const [sources, kind] of groups) {
    for (const source of sources) {
      const text = await readText(reader, source, texts, options.trusted(source))
      if (kind === 'page' && !/^---\s*\r?\n/.test(text)) {
        plain.push(source)
        continue
      }
      const entry = texts.get(source)
      if (entry?.resolved && entry.resolved.configKey === options.configKey) {
        // The same document again: its VFile is reused with its messages cleared (this run reports its own).
        const file = entry.resolved.doc.file
        file.messages.length = 0
        files.push(file)
        docs.push(entry.resolved.doc)
        continue
      }
      const file = new VFile({path: source, cwd: config.source, value: text})
      files.push(file)
      try {
        // Front matter parsed once per version of the file (a failure throws and is never kept).
        const matter = entry?.matter ?? readFrontMatter(file)
        if (entry) entry.matter = matter
        const doc =
          kind === 'page'
            ? toPage(file, source, matter, dateOptions)
            : toPost(file, source, matter, {...dateOptions, permalink: config.permalink, now: config.now, draft: kind === 'draft'})
        if (doc) docs.push(doc)
        // Kept only when resolving reported nothing: a reused document must report what it reported then.
        if (doc && entry && file.messages.length === 0) entry.resolved = {configKey: options.configKey, doc}
      } catch (error) {
        if (!file.messages.includes(error as never)) report(file, {reason: `cannot read this file: ${String(error)}`, ruleId: 'read', severity: 'error', cause: error})
      }
    }
  }
  return {docs, files, plain}
}

export function isVisible(doc: Post, config: SiteConfig): boolean {
  if (!doc.published) return false
  if (doc.kind === 'post' && !config.future && doc.date && doc.date.getTime() > config.now) return false
  return true
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

/** A file's text, from the cache while its stamp is unchanged (a preview rebuild reads only what changed). */
async function readText(reader: SourceReader, source: string, texts: BuildCache['texts'], trusted: boolean): Promise<string> {
  const cached = texts.get(source)
  if (cached && trusted) return cached.text
  const stamp = await reader.stamp(source)
  if (cached && cached.stamp === stamp) return cached.text
  const text = (await reader.read(source)).toString('utf8').replace(/^\uFEFF/, '')
  texts.set(source, {stamp, text, hash: hashOf(text)})
  return text
}
