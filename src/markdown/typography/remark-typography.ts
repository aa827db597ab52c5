import type {Heading, Nodes, Paragraph, Root, TableCell} from 'mdast'
import {retext} from 'retext'
import retextSmartypants from 'retext-smartypants'
import type {VFile} from 'vfile'
import {sourceMayHold} from '../source-check.js'

export interface TypographyOptions {
  /**
   * The four quote characters, as kramdown's `smart_quotes` lists them:
   * opening single, closing single, opening double, closing double.
   * Default: `‘ ’ “ ”`.
   */
  readonly quotes?: readonly [string, string, string, string]
}

const emptyOptions: TypographyOptions = Object.freeze({})

/**
 * Typography as kramdown does it: straight quotes become curly (`'` → ‘ ’,
 * `"` → “ ”, apostrophes ’), `---` an em dash, `--` an en dash, `...` an
 * ellipsis, `<<` `>>` guillemets. Quotes need context (opening or closing,
 * apostrophe or quote), so they are retext-smartypants' (the unified
 * collective's SmartyPants), used as remark-smartypants does; the symbols are
 * kramdown's own fixed table (below). The text of each paragraph,
 * heading or table cell is read as one string, so a quote opened before a
 * link or emphasis closes after it; inline code, math and a link whose text
 * is its URL stand in that string as letters of the same length (they are
 * context, never changed), and code blocks, raw HTML (attributes included)
 * and URLs are not text at all. Quotes are replaced in the whole string
 * (one character for one, so the text can be cut back into its nodes), then
 * the symbols in each text node. Run after the math plugins, so TeX is
 * no longer text. Skips a post without a quote, `--` or `...`, and a block
 * without one.
 */
export function remarkTypography(options: TypographyOptions = emptyOptions) {
  const [openSingle, closeSingle, openDouble, closeDouble] = options.quotes ?? ['‘', '’', '“', '”']
  const quotes = retext()
    .use(retextSmartypants, {
      quotes: true,
      openingQuotes: {single: openSingle, double: openDouble},
      closingQuotes: {single: closeSingle, double: closeDouble},
      backticks: false,
      dashes: false,
      ellipses: false
    })
    .freeze()
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, TYPOGRAPHIC)) return
    const blocks: Array<Paragraph | Heading | TableCell> = []
    walkBlocks(tree, (node) => blocks.push(node))
    smartenAll(blocks, quotes)
  }
}

/** Each paragraph, heading and table cell, in order (not what is inside them). */
function walkBlocks(node: Nodes, visitor: (node: Paragraph | Heading | TableCell) => void): void {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') visitor(node)
  else if ('children' in node) for (const child of node.children) walkBlocks(child, visitor)
}

/** What typography changes: a straight quote, two dashes, three dots, `<<`, `>>`. */
const TYPOGRAPHIC = /['"]|--|\.\.\.|<<|>>/

/**
 * kramdown's typographic symbols (its `TYPOGRAPHIC_SYMS`, a fixed table of
 * literal replacements, tried in this order): each run of three dots is one
 * ellipsis (`......` is two, as in kramdown; SmartyPants would make one).
 */
const SYMBOLS = /---|--|\.\.\.|<<|>>/g
const SYMBOL_CHARACTERS: Readonly<Record<string, string>> = {'---': '—', '--': '–', '...': '…', '<<': '«', '>>': '»'}

interface Processor {
  processSync(text: string): unknown
}

interface Piece {
  readonly node: {value: string}
  /** Changed (text) or context only (code, math, a URL). */
  readonly text: boolean
}

/**
 * Every block of the post in one retext run (one run per block costs more
 * than the work itself): each block's text, a space in front, blocks apart
 * by a blank line, which retext reads as a paragraph break, so quotes pair
 * within a block only. Blocks without a quote just get the symbols.
 */
function smartenAll(blocks: ReadonlyArray<Paragraph | Heading | TableCell>, quotes: Processor): void {
  const quoted: Piece[][] = []
  for (const block of blocks) {
    const pieces: Piece[] = []
    collect(block, pieces)
    if (!pieces.some((piece) => piece.text && TYPOGRAPHIC.test(piece.node.value))) continue
    if (pieces.some((piece) => piece.text && /['"]/.test(piece.node.value))) quoted.push(pieces)
    else for (const piece of pieces) if (piece.text) piece.node.value = symbols(piece.node.value)
  }
  if (quoted.length === 0) return
  const joined = quoted.map((pieces) => ' ' + pieces.map((piece) => (piece.text ? piece.node.value : 'A'.repeat(piece.node.value.length))).join('')).join(BLOCK_BREAK)
  const curly = String(quotes.processSync(joined))
  let offset = 0
  for (const pieces of quoted) {
    offset += 1
    for (const piece of pieces) {
      const end = offset + piece.node.value.length
      if (piece.text) piece.node.value = symbols(curly.slice(offset, end))
      offset = end
    }
    offset += BLOCK_BREAK.length
  }
}

const BLOCK_BREAK = '\n\n'

function symbols(value: string): string {
  return value.replace(SYMBOLS, (symbol) => SYMBOL_CHARACTERS[symbol] ?? symbol)
}

/** The literals of a block in reading order; a nested block (a table cell's paragraph, say) is left to its own visit. */
function collect(node: Nodes, pieces: Piece[]): void {
  if (node.type === 'text') pieces.push({node, text: true})
  else if (node.type === 'inlineCode' || node.type === 'inlineMath') pieces.push({node, text: false})
  else if (node.type === 'link' && isBareUrl(node)) for (const child of node.children) collectAsContext(child, pieces)
  else if ('children' in node) for (const child of node.children) collect(child, pieces)
}

function collectAsContext(node: Nodes, pieces: Piece[]): void {
  if ('value' in node && node.type !== 'html') pieces.push({node, text: false})
  else if ('children' in node) for (const child of node.children) collectAsContext(child, pieces)
}

/** An autolink (`<https://…>`, or a bare URL GFM linked): its text is the URL, which must keep every character. */
function isBareUrl(node: Extract<Nodes, {type: 'link'}>): boolean {
  const only = node.children.length === 1 ? node.children[0] : undefined
  if (only?.type !== 'text') return false
  const text = only.value
  return text === node.url || node.url === 'mailto:' + text || node.url === 'http://' + text || node.url.endsWith(text)
}
