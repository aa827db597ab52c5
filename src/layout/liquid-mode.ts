import {Output, ParseError, Parser, type Liquid, type TopLevelToken} from 'liquidjs'
import type {LiquidSettings} from '../config.js'
import {pluginOfTag} from './plugin-tags.js'
import {laxMarkup, strictlyValid} from './liquid-lax.js'
import type {TokenPlace} from './tags.js'

/** What the parser needs of the build: where to report a warning. */
export interface ErrorModeOptions {
  readonly settings: LiquidSettings
  readonly warn: (token: TokenPlace, reason: string, ruleId: string) => void
}

interface TokenLike extends TokenPlace {
  readonly input: string
  readonly begin: number
  readonly end: number
  readonly name?: string
  readonly contentRange?: [number, number]
  getText(): string
}

/**
 * Make `liquid`'s parser read templates the way the site's `liquid:` settings
 * say, as Jekyll's Ruby Liquid does:
 * - `error_mode: warn` (Jekyll's default): an output the strict parser
 *   refuses (`{{<figure src="a.png">}}`, `{{ x | default "y" }}`) is a
 *   warning at its place (rule `liquid-syntax`) and renders as the lax
 *   parser reads it; `lax` does the same without the warning; `strict`
 *   keeps it an error.
 * - `strict_filters: false` (Jekyll's default): an unknown filter in an
 *   output is a warning (rule `liquid-filter`) and passes its value through,
 *   as Ruby Liquid does.
 * - A tag no one registered stays an error, naming the Jekyll plugin (gem)
 *   it probably comes from.
 * The engine itself must be created with `strictFilters` equal to the
 * setting; this only adds the warnings and the lax fallback.
 */
export function applyErrorMode(liquid: Liquid, options: ErrorModeOptions): void {
  modes.set(liquid, options)
  installOnce()
}

/** The settings of each engine that has them; engines without keep liquidjs's own parsing. */
const modes = new WeakMap<Liquid, ErrorModeOptions>()

type ParseToken = Parser['parseToken']

/**
 * liquidjs makes a new Parser for every parse, so the hook sits on its
 * prototype, once per process; it changes nothing for an engine that
 * `applyErrorMode` was not called on.
 */
let installed = false
function installOnce(): void {
  if (installed) return
  installed = true
  const original: ParseToken = Parser.prototype.parseToken
  Parser.prototype.parseToken = function parseToken(this: Parser, token, remain) {
    const liquid = (this as unknown as {liquid: Liquid}).liquid
    const options = modes.get(liquid)
    return options ? parseInMode(liquid, options, token, remain, (one, rest) => original.call(this, one, rest)) : original.call(this, token, remain)
  }
}

function parseInMode(liquid: Liquid, options: ErrorModeOptions, token: TopLevelToken, remain: TopLevelToken[], parseToken: ParseToken): ReturnType<ParseToken> {
  const {settings, warn} = options
  const place = token as unknown as TokenLike
  if (token.kind === TokenKindTag && place.name !== undefined && !(place.name in liquid.tags)) {
    throw new ParseError(new Error(unknownTagReason(place.name)), token)
  }
  if (token.kind !== TokenKindOutput) return parseToken(token, remain)
  let output: Output | undefined
  let refusal: string | undefined
  if (settings.errorMode !== 'strict' && !strictlyValid(markupOf(place))) refusal = 'Jekyll\'s strict parser refuses it'
  else {
    try {
      output = parseToken(token, remain) as Output
    } catch (error) {
      if (settings.errorMode === 'strict' || /undefined filter/.test(String((error as Error).message))) throw error
      refusal = ((error as {originalError?: Error}).originalError?.message ?? (error as Error).message).replace(/, line:\d+, col:\d+$/, '')
    }
  }
  if (output === undefined) {
    output = laxOutput(liquid, place)
    if (settings.errorMode === 'warn') {
      warn(place, `malformed Liquid output ${excerpt(place.getText())} (${refusal}); rendered as Jekyll's lax parser reads it: {{ ${laxMarkup(markupOf(place))} }}`, 'liquid-syntax')
    }
  }
  if (!settings.strictFilters) {
    for (const filter of output.value.filters) {
      if (!(filter.name in liquid.filters)) warn((filter as unknown as {token: TokenPlace}).token, `unknown filter "${filter.name}": its value passes through unchanged (as Jekyll does without strict_filters)`, 'liquid-filter')
    }
  }
  return output
}

// liquidjs's TokenKind values (a const enum in its types).
const TokenKindTag = 4
const TokenKindOutput = 8

/** The output parsed from its lax reading; it keeps the original token, so render errors point at the original place. */
function laxOutput(liquid: Liquid, token: TokenLike): Output {
  const source = `{{ ${laxMarkup(markupOf(token))} }}`
  const shim = Object.create(Object.getPrototypeOf(token) as object) as TokenLike
  Object.assign(shim, token, {input: source, begin: 0, end: source.length, contentRange: [2, source.length - 2]})
  let output: Output
  try {
    output = new Output(shim as unknown as ConstructorParameters<typeof Output>[0], liquid)
  } catch {
    // A lax reading liquidjs still refuses (an undefined filter on a strict site): nothing is output.
    const empty = '{{ nil }}'
    Object.assign(shim, {input: empty, begin: 0, end: empty.length, contentRange: [2, empty.length - 2]})
    output = new Output(shim as unknown as ConstructorParameters<typeof Output>[0], liquid)
  }
  ;(output as {token: unknown}).token = token
  return output
}

function markupOf(token: TokenLike): string {
  const [start, end] = token.contentRange ?? [token.begin + 2, token.end - 2]
  return token.input.slice(start, end).replace(/^-/, '').replace(/-$/, '')
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ')
  return oneLine.length > 60 ? oneLine.slice(0, 57) + '…' : oneLine
}

/** `unknown tag "x"`, with the plugin that provides it when it is a common one. */
export function unknownTagReason(name: string): string {
  const plugin = pluginOfTag(name)
  return plugin
    ? `unknown tag "${name}": it comes from the Jekyll plugin ${plugin}, which Galley does not provide; remove the tag or write its output by hand`
    : `unknown tag "${name}": no Liquid, Jekyll or Galley tag has this name (a misspelling, or a tag from a Jekyll plugin Galley does not know)`
}
