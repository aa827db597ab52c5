import path from 'node:path'
import type {Element, Root} from 'hast'
import {visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'
import './data.js'
import {isDocumentRelative, rewriteUrls, safeDecode, splitUrl, urlPropertiesOf} from './url-attributes.js'

export interface LocalAssetsOptions {
  /**
   * Every file of the site that a reference may point at: source-relative
   * POSIX path → its URL in the built site, without baseurl (`assets/a.png` →
   * `/assets/a.png`, `posts/2024-01-02-x.md` → `/2024/01/02/x/`).
   * Default: empty (every relative reference is reported).
   */
  readonly files?: ReadonlyMap<string, string>
}

const emptyOptions: LocalAssetsOptions = {}

/**
 * Resolve references written relative to the post file (`../assets/x.png`,
 * `img/diagram.svg`, `2024-01-02-other.md`) to the URL the target has in the
 * built site; record local files in `file.data.assets`. A reference that
 * matches no file is left as written and reported as a warning.
 *
 * The file's folder comes from `file.path` (relative to the site root).
 * References relative to the site root (`assets/x.png` in a post) are
 * accepted too, as Jekyll sites often write them so.
 */
export function rehypeLocalAssets(options: LocalAssetsOptions = emptyOptions) {
  const files = options.files ?? new Map<string, string>()
  return function transform(tree: Root, file: VFile): void {
    const folder = path.posix.dirname(toPosix(file.path || 'index.md'))
    const assets = new Set(file.data.assets ?? [])
    visit(tree, 'element', (node: Element) => {
      for (const name of urlPropertiesOf(node)) {
        rewriteUrls(node, name, (url) => {
          if (!isDocumentRelative(url)) return undefined
          const {path: target, suffix} = splitUrl(url)
          if (target === '') return undefined
          const found = resolveReference(files, folder, target)
          if (found) {
            assets.add(found.source)
            return found.url + suffix
          }
          report(file, {
            reason: `\`${url}\` matches no file (looked in ${folder}/ and the site root)${suggest(files, folder, target)}`,
            ruleId: 'missing-asset',
            severity: 'warning',
            place: node.position
          })
          return undefined
        })
      }
    })
    file.data.assets = [...assets].sort()
  }
}

/** Resolve a relative reference against the post's folder, then the site root. */
export function resolveReference(files: ReadonlyMap<string, string>, folder: string, reference: string): {source: string; url: string} | undefined {
  const decoded = safeDecode(reference)
  for (const base of [folder, '.']) {
    const candidate = path.posix.normalize(path.posix.join(base, decoded))
    if (candidate.startsWith('..')) continue
    const url = files.get(candidate) ?? files.get(candidate.replace(/\/$/, '') + '/index.html') ?? files.get(candidate.replace(/\/$/, '') + '/index.md')
    if (url !== undefined) return {source: candidate, url}
  }
  return undefined
}

/** A hint for the usual mistakes: a bare domain, or the right file in another case. */
function suggest(files: ReadonlyMap<string, string>, folder: string, reference: string): string {
  if (/^(www\.)?[a-z\d-]+(\.[a-z\d-]+)*\.[a-z]{2,}(\/|$)/i.test(reference) && !/\.(md|markdown|html?|png|jpe?g|gif|svg|webp|pdf)$/i.test(reference)) {
    return `; did you mean the external address \`https://${reference}\`?`
  }
  const wanted = path.posix.normalize(path.posix.join(folder, reference)).toLowerCase()
  const rootWanted = path.posix.normalize(reference).toLowerCase()
  for (const source of files.keys()) {
    const lower = source.toLowerCase()
    if (lower === wanted || lower === rootWanted) return `; did you mean \`${source}\` (letter case differs)?`
  }
  return ''
}

function toPosix(value: string): string {
  return value.split(path.sep).join('/')
}
