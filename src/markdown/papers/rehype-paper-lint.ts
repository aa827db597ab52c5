import type {Root} from 'hast'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import type {PaperMention} from './rehype-paper-references.js'

export interface PaperLintOptions {
  /** Check the post's paper links (on by default). */
  readonly enabled?: boolean
}

const emptyOptions: PaperLintOptions = {}

/**
 * Warn about paper links that cannot be right, from what
 * rehype-paper-references recorded on `file.data.papers`:
 *
 * - `paper-id-invalid`: an arXiv id that cannot exist (month 13, too many
 *   digits for its year);
 * - `paper-id-reused`: one paper id given for two different titles (a
 *   copy-paste slip in a reading list), naming both lines; a `pdf` link
 *   whose `abs` twin is linked with another title is the same slip.
 *
 * Titles are compared loosely (case, punctuation and spacing aside, and one
 * may be a shortening of the other), and only the titles of reading-list
 * lines: a link's text ("the original paper", "Smith et al.") names a paper
 * too loosely to compare. The same paper linked twice with the same title,
 * or as v1 and v2, is fine.
 */
export function rehypePaperLint(options: PaperLintOptions = emptyOptions) {
  const enabled = options.enabled ?? true
  return function transform(_tree: Root, file: VFile): void {
    const papers = file.data.papers
    if (!enabled || !papers) return
    const firstTitle = new Map<string, PaperMention>()
    const reported = new Set<string>()
    for (const mention of papers) {
      const place = mention.line === undefined ? undefined : {line: mention.line, column: mention.column ?? 1}
      if (mention.invalid) {
        report(file, {reason: `${mention.href} cannot be a paper: ${mention.invalid}`, ruleId: 'paper-id-invalid', severity: 'warning', place})
        continue
      }
      if (!isTitle(mention)) continue
      const first = firstTitle.get(mention.id)
      if (!first) {
        firstTitle.set(mention.id, mention)
        continue
      }
      const key = `${mention.id}\0${normal(mention.title ?? '')}`
      if (sameTitle(first.title ?? '', mention.title ?? '') || reported.has(key)) continue
      reported.add(key)
      const twin = first.form !== mention.form ? ` (the ${mention.form} link's ${first.form} twin)` : ''
      report(file, {
        reason: `${mention.id} is given for two different titles: “${first.title}” at line ${first.line ?? '?'} and “${mention.title}” at line ${mention.line ?? '?'}${twin}; one of the links is likely wrong`,
        ruleId: 'paper-id-reused',
        severity: 'warning',
        place
      })
    }
  }
}

/** Only reading-list lines give titles the lint trusts: a link's own text is too often a phrase ("the original paper"). */
function isTitle(mention: PaperMention): boolean {
  return mention.title !== undefined && mention.reference
}

function normal(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

function sameTitle(a: string, b: string): boolean {
  const x = normal(a)
  const y = normal(b)
  return x === y || x.startsWith(y + ' ') || y.startsWith(x + ' ') || x.includes(y) || y.includes(x)
}
