import {promises as fs} from 'node:fs'
import path from 'node:path'

/** What `galley check` says about images besides broken links: notes, never errors. */
export interface ImageNotes {
  /** Remote images pages show, not mirrored: URL → the first page (output-relative) showing it. */
  readonly remote: ReadonlyMap<string, string>
  /** Mirrored copies (under assets/remote/) no page shows, output-relative. */
  readonly unused: readonly string[]
}

/** An image URL in `src`/`srcset` of `<img>`/`<source>`, or a CSS `url()`. */
const imageAttribute = /<(?:img|source)\b[^>]*?\s(?:src|srcset)\s*=\s*("[^"]*"|'[^']*')/gi
const styleUrl = /url\(\s*(?:&quot;|['"])?((?:https?:)?\/\/[^'")\s&]+)/gi
/** A variant the build encodes beside its original: `x.800w.avif`. */
const variantName = /\.\d+w\.[a-z0-9]+$/i

/**
 * Read the built site at `out` for images that still load from third
 * parties (`galley images pull` would keep a copy) and for mirrored copies
 * no page uses any more (a post changed its image; the lock file and the
 * copy can go).
 */
export async function checkImages(out: string): Promise<ImageNotes> {
  const remote = new Map<string, string>()
  const used = new Set<string>()
  const mirrored: string[] = []
  for (const entry of await fs.readdir(out, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const relative = path.relative(out, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')
    if (relative.startsWith('assets/remote/') && !variantName.test(relative)) mirrored.push(relative)
    if (!/\.html?$/i.test(entry.name)) continue
    const html = await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8')
    const urls: string[] = []
    for (const match of html.matchAll(imageAttribute)) urls.push(...(match[1] ?? '').slice(1, -1).split(',').map((candidate) => candidate.trim().split(/\s+/)[0] ?? ''))
    for (const match of html.matchAll(styleUrl)) urls.push(match[1] ?? '')
    for (const url of urls) {
      if (/^(?:https?:)?\/\//i.test(url)) {
        if (!remote.has(url)) remote.set(url, relative)
      }
    }
    for (const match of html.matchAll(/assets\/remote\/[^"'\s)?#,]+/g)) used.add(match[0].replace(variantName, ''))
  }
  const unused = mirrored.filter((file) => !used.has(file.replace(/\.[a-z0-9]+$/i, '')) && !used.has(file)).sort()
  return {remote, unused}
}
