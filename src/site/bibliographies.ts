import path from 'node:path'
import {VFile} from 'vfile'
import {keyPlace} from '../content/key-place.js'
import type {Post} from '../content/post.js'
import {sourceText} from '../content/source-text.js'
import {SourceReadError, type SourceReader} from '../io.js'
import {bibliographyCandidates, bibliographyNames, styleOf, type CitationLibrary, type CslItem} from '../markdown/citations/library.js'
import {report} from '../report.js'
import {hashOf} from './build-cache.js'

/** The bibliographies of a build: the library the workers cite from, a hash of it (the render key of posts that cite), and the files read. */
export interface Bibliographies {
  readonly library: CitationLibrary | undefined
  readonly hash: string
  readonly files: VFile[]
}

/**
 * Read every bibliography the site can cite from, once per build, on the
 * main thread: site.yml's `bibliography:` (one path or a list, relative to
 * the site folder; BibTeX `.bib` or CSL-JSON `.json`) and each post's own
 * front-matter `bibliography: refs.bib` (looked up in `assets/bibliography/`,
 * then the post's folder). A file that cannot be found is an error where it
 * is named; one that fails to parse is an error at its line in the file.
 * citation-js is loaded only when there is something to read.
 */
export async function readBibliographies(options: {
  readonly site: Readonly<Record<string, unknown>>
  readonly configFile: VFile
  /** The config file's path in the site folder, to find the line of a key in it. */
  readonly configPath: string | undefined
  readonly reader: SourceReader
  readonly docs: readonly Post[]
}): Promise<Bibliographies> {
  const {site, configFile, reader, docs} = options
  let configText: string | undefined
  const keyLine = async (key: string) => {
    if (configText === undefined && options.configPath !== undefined) configText = await reader.read(options.configPath).then((buffer) => sourceText(buffer), () => '')
    return lineOfKey(configText ?? '', key)
  }
  const files: VFile[] = []
  const wanted = new Map<string, Array<() => void>>()
  const defaults: string[] = []
  const siteLine = site.bibliography === undefined ? undefined : await keyLine('bibliography')
  for (const name of bibliographyNames(site.bibliography)) {
    const relative = path.posix.normalize(name.replace(/^\.?\//, ''))
    defaults.push(relative)
    wanted.set(relative, [
      ...(wanted.get(relative) ?? []),
      () => report(configFile, {reason: `bibliography ${name} not found in the site folder`, ruleId: 'bibliography', severity: 'error', place: siteLine})
    ])
  }
  const postWants: Array<{doc: Post; name: string; candidates: string[]}> = []
  for (const doc of docs) for (const name of bibliographyNames(doc.data.bibliography)) postWants.push({doc, name, candidates: bibliographyCandidates(name, doc.source)})
  const exists = new Map<string, boolean>()
  const existsOnce = async (relative: string) => exists.get(relative) ?? exists.set(relative, await reader.exists(relative)).get(relative) === true
  for (const want of postWants) {
    let found: string | undefined
    for (const candidate of want.candidates) if (!candidate.startsWith('../') && (await existsOnce(candidate))) {
      found = candidate
      break
    }
    if (found === undefined) {
      report(want.doc.file, {
        reason: `bibliography ${want.name} not found (looked in ${want.candidates.slice(0, 2).join(' and ')})`,
        ruleId: 'bibliography',
        severity: 'error',
        place: keyPlace(want.doc, 'bibliography')
      })
      continue
    }
    if (!wanted.has(found)) wanted.set(found, [])
  }
  const style = styleOf(site.csl)
  if (site.csl !== undefined && style === undefined) {
    report(configFile, {reason: `csl: ${JSON.stringify(String(site.csl)).slice(0, 60)} is no style Galley knows; use author-year (apa), numeric (vancouver) or harvard1; using author-year`, ruleId: 'config', severity: 'warning', place: await keyLine('csl')})
  }
  if (wanted.size === 0) return {library: undefined, hash: 'no bibliography', files}
  const {parseBibliography} = await import('../markdown/citations/parse-bibliography.js')
  const read: Array<[string, CslItem[]]> = []
  const texts: string[] = []
  for (const [relative, onMissing] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    if (!(await existsOnce(relative))) {
      for (const missing of onMissing) missing()
      continue
    }
    const file = new VFile({path: relative})
    files.push(file)
    let text: string
    try {
      text = sourceText(await reader.read(relative))
    } catch (error) {
      if (!(error instanceof SourceReadError)) throw error
      report(file, {reason: error.message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}, cause: error})
      continue
    }
    file.value = text
    const parsed = await parseBibliography(text, relative.toLowerCase().endsWith('.json') ? 'csl-json' : 'bibtex')
    if (!parsed.ok) {
      report(file, {reason: parsed.reason, ruleId: 'bibliography', severity: 'error', place: {line: parsed.line, column: parsed.column}})
      continue
    }
    read.push([relative, parsed.items])
    texts.push(relative, text)
  }
  const chosen = style ?? {style: 'apa', numeric: false}
  const library: CitationLibrary = {files: read, defaults, style: chosen.style, numeric: chosen.numeric}
  return {library, hash: hashOf(chosen.style, ...texts), files}
}

/** The line of a top-level key in the config file (`bibliography:`), for messages about its value. */
function lineOfKey(text: string, key: string): {line: number; column: number} {
  const index = text.split('\n').findIndex((line) => line.startsWith(`${key}:`))
  return {line: index === -1 ? 1 : index + 1, column: 1}
}
