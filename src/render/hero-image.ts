import path from 'node:path'
import type {VFile} from 'vfile'
import {resolveReference} from '../markdown/rehype-local-assets.js'
import {isSafeUrl} from '../content/safe-url.js'
import {report} from '../report.js'

interface HeroSource {
  readonly source: string
  readonly matter: Readonly<Record<string, unknown>>
  readonly keyLines: Readonly<Record<string, number>>
}

/**
 * Resolve front-matter `image` like a body reference (beside the post, then
 * the site root); warn at its line when no file matches. Absolute http(s)
 * URLs pass; other schemes (dropped from the front matter already) give none.
 */
export function heroImage(doc: HeroSource, files: ReadonlyMap<string, string>, file: VFile): string | undefined {
  const image = doc.matter.image
  if (typeof image !== 'string' || image === '' || !isSafeUrl(image)) return undefined
  if (/^[a-z][a-z\d+.-]*:|^\/\//i.test(image)) return image
  if (image.startsWith('/')) {
    if (!files.has(image.slice(1).split(/[?#]/)[0] ?? '')) warnMissing(doc, image, file)
    return image
  }
  const found = resolveReference(files, path.posix.dirname(doc.source), image)
  if (found) return found.url
  warnMissing(doc, image, file)
  return image
}

function warnMissing(doc: HeroSource, image: string, file: VFile): void {
  report(file, {
    reason: `image \`${image}\` matches no file (looked beside ${doc.source} and in the site root)`,
    ruleId: 'missing-asset',
    severity: 'warning',
    place: {line: doc.keyLines.image ?? 1, column: 1}
  })
}
