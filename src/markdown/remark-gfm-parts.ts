import {gfmAutolinkLiteralFromMarkdown} from 'mdast-util-gfm-autolink-literal'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmAutolinkLiteral} from 'micromark-extension-gfm-autolink-literal'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import type {Processor} from 'unified'

export interface GfmPartsOptions {
  /**
   * Parse GFM tables. Tables are the costliest GFM construct to try (every
   * line of every paragraph is tried as a table head); leave them out only
   * for text that cannot hold one (see `mayHoldTable`). Default `true`.
   */
  readonly tables?: boolean
  /**
   * Make links of bare `https://…`, `www.…` and e-mail addresses (GFM's
   * literal autolinks). kramdown has none (Jekyll's GFM input only keeps
   * `<https://…>`), so kramdown sites turn them off. Default `true`.
   */
  readonly literalAutolinks?: boolean
  /**
   * A single `~a~` is strikethrough too, as on GitHub. kramdown strikes
   * only `~~a~~`, so kramdown sites turn it off. Default `true`.
   */
  readonly singleTilde?: boolean
}

const emptyOptions: GfmPartsOptions = Object.freeze({})

/**
 * GitHub Flavored Markdown — literal autolinks, footnotes, strikethrough,
 * tables, task lists — as remark-gfm adds it (same extensions, same order),
 * with tables as a switch. For parsing only (nothing here serialises markdown).
 */
export function remarkGfmParts(this: Processor, options: GfmPartsOptions = emptyOptions): void {
  const tables = options.tables ?? true
  const autolinks = options.literalAutolinks ?? true
  const data = this.data()
  const micromark = (data.micromarkExtensions ??= [])
  const fromMarkdown = (data.fromMarkdownExtensions ??= [])
  micromark.push(...(autolinks ? [gfmAutolinkLiteral()] : []), gfmFootnote(), gfmStrikethrough({singleTilde: options.singleTilde ?? true}), ...(tables ? [gfmTable()] : []), gfmTaskListItem())
  fromMarkdown.push(...(autolinks ? [gfmAutolinkLiteralFromMarkdown()] : []), gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), ...(tables ? [gfmTableFromMarkdown()] : []), gfmTaskListItemFromMarkdown())
}

/**
 * Whether `markdown` may hold a GFM table. Any pipe: maybe (GFM decides).
 * Without a pipe, a table can only have one column, and its delimiter row
 * must then hold a colon (`:-`, `-:`, `:-:`; a bare `---` under a line is a
 * heading underline or a rule). False means no table can be parsed from it,
 * so tables may be left out.
 */
export function mayHoldTable(markdown: string): boolean {
  return markdown.includes('|') || /^[ \t>]*(?::-+:?|-+:)[ \t]*$/m.test(markdown)
}
