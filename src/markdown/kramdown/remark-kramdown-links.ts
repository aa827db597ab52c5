import {decodeNamedCharacterReference} from 'decode-named-character-reference'
import type {Extension as FromMarkdownExtension, Handle} from 'mdast-util-from-markdown'
import {labelEnd} from 'micromark-core-commonmark'
import {factoryLabel} from 'micromark-factory-label'
import {factoryWhitespace} from 'micromark-factory-whitespace'
import {decodeNumericCharacterReference} from 'micromark-util-decode-numeric-character-reference'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import type {Code, Construct, Effects, Extension, State, Token, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/**
 * The end of a link or image as kramdown reads it (its parser's
 * `parse_link`), where that differs from CommonMark:
 * - `[text](url)`: the URL is everything up to the `)` that balances the
 *   `(`, spaces included (`[Notes](Notes on Style)`,
 *   `[post]({{ site.baseurl }} {% post_url … %})` after Liquid), and kept
 *   as written: a backslash is no escape there (`a\_b`, `\(1\)` stay, and
 *   `\)` counts as a parenthesis). Character references are decoded, as
 *   kramdown's HTML output leaves them. A title follows a space, in `"…"`
 *   or `'…'`, also kept as written;
 * - `[text] [id]`: spaces or a line break may stand between the text and
 *   the reference (kramdown's `\s*?\[`); when `id` names no definition,
 *   the brackets are text, `[text]` included, as in kramdown.
 * Everything else (`(<url>)`, `[text][id]`, `[text][]`, `[text]`, and
 * a URL that starts with a quote or on the next line)
 * is CommonMark's label end, tried next. The tokens are CommonMark's, so
 * the mdast is the usual link, image or reference. Kramdown sites only.
 */
export function remarkKramdownLinks(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownLinks())
  ;(data.fromMarkdownExtensions ??= []).push(kramdownLinksFromMarkdown())
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    kramdownRawText: 'kramdownRawText'
  }
}

const codes = {space: 32, tab: 9, quotation: 34, apostrophe: 39, leftParen: 40, rightParen: 41, lessThan: 60, leftBracket: 91, rightBracket: 93, virtualSpace: -1, horizontalTab: -2} as const

function isLineEnding(code: Code): boolean {
  return code === -5 || code === -4 || code === -3
}

function isSpace(code: Code): boolean {
  return code === codes.space || code === codes.tab || code === codes.virtualSpace || code === codes.horizontalTab
}

/** The micromark extension: the kramdown label end at `]`, tried before CommonMark's (and GFM's footnote call check). */
export function kramdownLinks(): Extension {
  return {text: {[codes.rightBracket]: kramdownLabelEnd}}
}

/** The from-markdown half: a URL or title kept as written is text whose character references are decoded. */
export function kramdownLinksFromMarkdown(): FromMarkdownExtension {
  const enter: Handle = function (token) {
    this.config.enter.data!.call(this, token)
  }
  const exit: Handle = function (token) {
    const node = this.stack[this.stack.length - 1] as {value: string} | undefined
    const before = node?.value.length ?? 0
    this.config.exit.data!.call(this, token)
    if (node) node.value = node.value.slice(0, before) + decodeReferences(node.value.slice(before))
  }
  return {enter: {kramdownRawText: enter}, exit: {kramdownRawText: exit}}
}

/** `&amp;`, `&#38;`, `&#x26;` → `&`; anything that is no reference stays. */
function decodeReferences(value: string): string {
  return value.replace(/&(?:#(\d{1,7})|#[xX]([\da-fA-F]{1,6})|([A-Za-z][A-Za-z\d]{0,31}));/g, (whole, decimal: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (decimal !== undefined) return decodeNumericCharacterReference(decimal, 10)
    if (hex !== undefined) return decodeNumericCharacterReference(hex, 16)
    const decoded = decodeNamedCharacterReference(name ?? '')
    return decoded === false ? whole : decoded
  })
}

const kramdownLabelEnd: Construct = {
  name: 'kramdownLabelEnd',
  tokenize: tokenizeLabelEnd,
  // CommonMark's own resolvers turn the label start … end into a link or image.
  resolveTo: labelEnd.resolveTo,
  resolveAll: labelEnd.resolveAll
}

const resource: Construct = {tokenize: tokenizeResource, partial: true}

function tokenizeLabelEnd(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const starts = self._labelStarts
  let labelStart: Token | undefined
  if (starts) {
    // As CommonMark's label end does: label starts that failed to close are of no more use.
    while (starts.length > 0 && starts[starts.length - 1]!._balanced) starts.pop()
    labelStart = starts[starts.length - 1]
  }
  /** Whether the text names a definition (for `[text] []`), and whether a spaced `[id]` named none. */
  const reference = {defined: false, undefinedFound: false}
  const spacedReference: Construct = {partial: true, tokenize: (effects, ok, nok) => tokenizeSpacedReference.call(self, effects, ok, nok, reference)}
  return start

  function start(code: Code): State | undefined {
    if (!labelStart || labelStart._inactive) return nok(code)
    reference.defined = self.parser.defined.includes(normalizeIdentifier(self.sliceSerialize({start: labelStart.end, end: self.now()})))
    effects.enter('labelEnd')
    effects.enter('labelMarker')
    effects.consume(code)
    effects.exit('labelMarker')
    effects.exit('labelEnd')
    return after
  }

  function after(code: Code): State | undefined {
    if (code === codes.leftParen) return effects.attempt(resource, done, nok)(code)
    if (isSpace(code) || isLineEnding(code)) return effects.attempt(spacedReference, done, notReference)(code)
    return nok(code)
  }

  /** A spaced reference to no definition: the brackets are text (CommonMark would link `[text]` alone). */
  function notReference(code: Code): State | undefined {
    if (reference.undefinedFound && labelStart) labelStart._balanced = true
    return nok(code)
  }

  function done(code: Code): State | undefined {
    starts?.pop()
    return ok(code)
  }
}

/** `(url)`, `(url "title")`, with kramdown's URL: up to the balancing `)`, spaces and backslashes kept. */
function tokenizeResource(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let depth = 0
  let quote: Code = null
  let titleLength = 0
  /** Spaces, then a quote (a title) or the `)` that closes the URL: the URL ended before the spaces. */
  const destinationEnd: Construct = {
    partial: true,
    tokenize(effects, ok, nok) {
      return factoryWhitespace(effects, after)
      function after(code: Code): State | undefined {
        return code === codes.quotation || code === codes.apostrophe || (code === codes.rightParen && depth === 0) ? ok(code) : nok(code)
      }
    }
  }

  /** The closing quote, spaces, then `)`. */
  const titleEnd: Construct = {
    partial: true,
    tokenize(effects, ok, nok) {
      return mark
      function mark(code: Code): State | undefined {
        effects.enter('resourceTitleMarker')
        effects.consume(code)
        effects.exit('resourceTitleMarker')
        return factoryWhitespace(effects, after)
      }
      function after(code: Code): State | undefined {
        return code === codes.rightParen ? ok(code) : nok(code)
      }
    }
  }

  return open

  function open(code: Code): State | undefined {
    effects.enter('resource')
    effects.enter('resourceMarker')
    effects.consume(code)
    effects.exit('resourceMarker')
    return leading
  }

  function leading(code: Code): State | undefined {
    return factoryWhitespace(effects, destinationStart)(code)
  }

  // `(<url>)`, `()`, a quote and a line ending first are CommonMark's to read (kramdown reads them alike).
  function destinationStart(code: Code): State | undefined {
    if (code === null || isLineEnding(code) || code === codes.lessThan || code === codes.rightParen || code === codes.quotation || code === codes.apostrophe) return nok(code)
    effects.enter('resourceDestination')
    effects.enter('resourceDestinationRaw')
    effects.enter('resourceDestinationString')
    effects.enter('kramdownRawText')
    return destination(code)
  }

  // A line ending is part of the URL too, as in kramdown (only the end of the paragraph stops it).
  function destination(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === codes.rightParen && depth === 0) {
      endDestination()
      return close(code)
    }
    if (isSpace(code) || isLineEnding(code)) return effects.check(destinationEnd, spacesThenEnd, inner)(code)
    if (code === codes.leftParen) depth++
    if (code === codes.rightParen) depth--
    effects.consume(code)
    return destination
  }

  function inner(code: Code): State | undefined {
    effects.consume(code)
    return destination
  }

  function spacesThenEnd(code: Code): State | undefined {
    endDestination()
    return factoryWhitespace(effects, between)(code)
  }

  function endDestination(): void {
    effects.exit('kramdownRawText')
    effects.exit('resourceDestinationString')
    effects.exit('resourceDestinationRaw')
    effects.exit('resourceDestination')
  }

  function between(code: Code): State | undefined {
    if (code === codes.quotation || code === codes.apostrophe) return titleOpen(code)
    return close(code)
  }

  function titleOpen(code: Code): State | undefined {
    quote = code
    effects.enter('resourceTitle')
    effects.enter('resourceTitleMarker')
    effects.consume(code)
    effects.exit('resourceTitleMarker')
    effects.enter('resourceTitleString')
    effects.enter('kramdownRawText')
    return title
  }

  // kramdown's title, `(["'])(.+?)\1\s*?\)`: the first matching quote followed by spaces and `)` closes it.
  function title(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === quote && titleLength > 0) return effects.check(titleEnd, endTitle, titleChar)(code)
    return titleChar(code)
  }

  function titleChar(code: Code): State | undefined {
    titleLength++
    effects.consume(code)
    return title
  }

  function endTitle(code: Code): State | undefined {
    effects.exit('kramdownRawText')
    effects.exit('resourceTitleString')
    effects.enter('resourceTitleMarker')
    effects.consume(code)
    effects.exit('resourceTitleMarker')
    effects.exit('resourceTitle')
    return afterTitle
  }

  function afterTitle(code: Code): State | undefined {
    return factoryWhitespace(effects, close)(code)
  }

  function close(code: Code): State | undefined {
    if (code !== codes.rightParen) return nok(code)
    effects.enter('resourceMarker')
    effects.consume(code)
    effects.exit('resourceMarker')
    effects.exit('resource')
    return ok
  }
}

/** Spaces or a line break, then `[id]` naming a definition, or `[]` after text that names one. */
function tokenizeSpacedReference(this: TokenizeContext, effects: Effects, ok: State, nok: State, reference: {defined: boolean; undefinedFound: boolean}): State {
  const self = this
  return factoryWhitespace(effects, bracket)

  function bracket(code: Code): State | undefined {
    if (code !== codes.leftBracket) return nok(code)
    return effects.attempt(collapsed, collapsedAfter, full)(code)
  }

  function collapsedAfter(code: Code): State | undefined {
    if (reference.defined) return ok(code)
    reference.undefinedFound = true
    return nok(code)
  }

  function full(code: Code): State | undefined {
    return factoryLabel.call(self, effects, fullAfter, nok, 'reference', 'referenceMarker', 'referenceString')(code)
  }

  function fullAfter(code: Code): State | undefined {
    const label = self.sliceSerialize(self.events[self.events.length - 1]![1]).slice(1, -1)
    if (self.parser.defined.includes(normalizeIdentifier(label))) return ok(code)
    reference.undefinedFound = true
    return nok(code)
  }
}

const collapsed: Construct = {partial: true, tokenize: tokenizeCollapsed}

function tokenizeCollapsed(effects: Effects, ok: State, nok: State): State {
  return open

  function open(code: Code): State | undefined {
    effects.enter('reference')
    effects.enter('referenceMarker')
    effects.consume(code)
    effects.exit('referenceMarker')
    return closeBracket
  }

  function closeBracket(code: Code): State | undefined {
    if (code !== codes.rightBracket) return nok(code)
    effects.enter('referenceMarker')
    effects.consume(code)
    effects.exit('referenceMarker')
    effects.exit('reference')
    return ok
  }
}
