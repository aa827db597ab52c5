import {htmlFlow} from 'micromark-core-commonmark'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

/** kramdown's HTML_SPAN_ELEMENTS (and `script`, as its LAZY_END_HTML_* leave it out): a lazy line starting with one of these goes on with the paragraph. */
const spanElements: ReadonlySet<string> = new Set(
  'a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt rtc ruby samp select small span strong sub sup tt u var script'.split(' ')
)

/**
 * CommonMark's HTML blocks, but a lazy line (one that continues a paragraph
 * inside a list item or quote without its indent or `>`) that starts with a
 * span element's tag (`<br />`, `<img …>`) is the paragraph's, as kramdown
 * reads it (its paragraphs end only at LAZY_END_HTML_START/_STOP, the tags
 * of other elements). micromark lets such a tag start an HTML block on a
 * lazy line, which ends the list item there: `5. text` / `<br />` / `more`
 * / `6. next` lost item 6. Everywhere else this is micromark's own
 * construct. Kramdown sites only.
 */
export function kramdownLazyHtml(): Extension {
  return {flow: {60: [lazyHtmlFlow]}, disable: {null: ['htmlFlow']}}
}

/** The remark attacher, for the kramdown preset. */
export function remarkKramdownLazyHtml(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(kramdownLazyHtml())
}

const spanTag: Construct = {tokenize: tokenizeSpanTag, partial: true}

const lazyHtmlFlow: Construct = {
  name: 'kramdownLazyHtmlFlow',
  concrete: true,
  ...(htmlFlow.resolveTo ? {resolveTo: htmlFlow.resolveTo} : {}),
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const own = htmlFlow.tokenize.call(this, effects, ok, nok)
    if (!(this.interrupt && this.parser.lazy[this.now().line])) return own
    return effects.check(spanTag, nok, own)
  }
}

/** `<name` or `</name` of a span element. */
function tokenizeSpanTag(effects: Effects, ok: State, nok: State): State {
  let name = ''
  return (code: Code) => {
    if (code !== 60) return nok(code)
    effects.enter('kramdownLazyHtmlCheck' as never)
    effects.consume(code)
    return slash
  }
  function slash(code: Code): State | undefined {
    if (code === 47) {
      effects.consume(code)
      return letters
    }
    return letters(code)
  }
  function letters(code: Code): State | undefined {
    if (code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (name !== '' && code >= 48 && code <= 57))) {
      name += String.fromCharCode(code).toLowerCase()
      effects.consume(code)
      return letters
    }
    effects.exit('kramdownLazyHtmlCheck' as never)
    return spanElements.has(name) ? ok(code) : nok(code)
  }
}
