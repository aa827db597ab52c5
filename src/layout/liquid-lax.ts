/**
 * Ruby Liquid's lax reading of an output's markup (`{{ … }}`), the one Jekyll
 * falls back to in its default `error_mode: warn` when the strict parser
 * refuses the markup: the first fragment is the value, then each `|` starts a
 * filter whose name is its first word and whose arguments are the fragments
 * after a `:` or `,`; everything else is ignored. So `{{<figure src="a">}}`
 * (a Hugo shortcode) reads the variable `figure`, `{{ 1 + 2 }}` is `1`, and
 * `{{ x | default "y" }}` is `x | default`.
 *
 * The result is written back as markup liquidjs parses (`laxMarkup`), so the
 * engine renders it as Ruby would. The regular expressions are Liquid 5's
 * (lib/liquid.rb, variable.rb, expression.rb, variable_lookup.rb).
 */

const quotedString = String.raw`"[^"]*"|'[^']*'`
const quotedFragment = String.raw`(?:${quotedString}|(?:[^\s,|'"]|${quotedString})+)`
const markupWithQuotedFragment = new RegExp(String.raw`(${quotedFragment})([\s\S]*)`)
const filterMarkup = /\|\s*([\s\S]*)/
const filterParser = new RegExp(String.raw`(?:\s+|${quotedFragment}|,)+`, 'g')
const filterArgs = new RegExp(String.raw`(?::|,)\s*((?:\w+\s*:\s*)?${quotedFragment})`, 'g')
const keywordArgument = new RegExp(String.raw`^([\w-]+)\s*:\s*(${quotedFragment})$`)
const variableParser = /\[[^\]]+\]|[\w-]+\??/g

/** Ruby's literal words and what liquidjs calls them. */
const literals: Readonly<Record<string, string>> = {nil: 'nil', null: 'nil', '': 'nil', true: 'true', false: 'false', blank: 'blank', empty: 'empty'}

/**
 * The markup of `{{ … }}` (without the braces) as liquidjs markup that means
 * what Ruby Liquid's lax parser makes of it.
 */
export function laxMarkup(markup: string): string {
  const match = markupWithQuotedFragment.exec(markup)
  if (!match) return 'nil'
  const [, name = '', rest = ''] = match
  let out = expression(name)
  const filters = filterMarkup.exec(rest)
  if (filters) {
    for (const chunk of (filters[1] ?? '').match(filterParser) ?? []) {
      const filterName = /\w+/.exec(chunk)?.[0]
      if (!filterName) continue
      const args = [...chunk.matchAll(filterArgs)].map((found) => argument(found[1] ?? ''))
      out += ` | ${filterName}${args.length > 0 ? ': ' + args.join(', ') : ''}`
    }
  }
  return out
}

function argument(text: string): string {
  const keyword = keywordArgument.exec(text)
  return keyword ? `${keyword[1]}: ${expression(keyword[2] ?? '')}` : expression(text)
}

/** Ruby's Expression.parse, written as liquidjs markup. */
function expression(raw: string): string {
  const text = raw.trim()
  if (text.length >= 2 && ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'")))) return stringLiteral(text.slice(1, -1))
  if (/^-?\d+$/.test(text)) return String(Number.parseInt(text, 10))
  const range = /^\(\s*(\S+?)\s*\.\.\s*(\S+)\s*\)$/.exec(text)
  if (range) return `(${expression(range[1] ?? '')}..${expression(range[2] ?? '')})`
  if (/^-?\d[\d.]+$/.test(text)) {
    const float = /^-?\d+(?:\.\d+)?/.exec(text)?.[0] ?? '0'
    return float
  }
  const literal = literals[text]
  if (literal !== undefined) return literal
  return lookup(text)
}

/** Ruby's VariableLookup.parse: the name, then `.key` and `[expr]` lookups. */
function lookup(text: string): string {
  const parts = text.match(variableParser) ?? []
  const [first, ...rest] = parts
  if (first === undefined) return 'nil'
  let out = first.startsWith('[') ? `[${expression(first.slice(1, -1))}]` : identifier(first)
  if (out === undefined) return 'nil'
  for (const part of rest) {
    if (part.startsWith('[')) out += `[${expression(part.slice(1, -1))}]`
    else out += `[${stringLiteral(part.replace(/\?$/, ''))}]`
  }
  return out
}

function identifier(word: string): string | undefined {
  const name = word.replace(/\?$/, '')
  return /^[A-Za-z_][\w-]*$/.test(name) ? name : `[${stringLiteral(name)}]`
}

/** A liquidjs string literal holding `text` exactly (liquidjs reads backslash escapes inside quotes). */
function stringLiteral(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

type Kind = 'comparison' | 'string' | 'number' | 'id' | 'dotdot' | 'pipe' | 'dot' | 'colon' | 'comma' | 'open_square' | 'close_square' | 'open_round' | 'close_round' | 'question' | 'dash' | 'end'

const specials: Readonly<Record<string, Kind>> = {'|': 'pipe', '.': 'dot', ':': 'colon', ',': 'comma', '[': 'open_square', ']': 'close_square', '(': 'open_round', ')': 'close_round', '?': 'question', '-': 'dash'}

/** Ruby Liquid's lexer (lexer.rb); undefined for a character it refuses. */
function lex(markup: string): Kind[] | undefined {
  const kinds: Kind[] = []
  const patterns: ReadonlyArray<readonly [RegExp, Kind]> = [
    [/^(?:==|!=|<>|<=?|>=?|contains(?=\s))/, 'comparison'],
    [/^(?:'[^']*'|"[^"]*")/, 'string'],
    [/^-?\d+(?:\.\d+)?/, 'number'],
    [/^[a-zA-Z_][\w-]*\??/, 'id'],
    [/^\.\./, 'dotdot']
  ]
  let rest = markup
  for (;;) {
    rest = rest.replace(/^\s+/, '')
    if (rest === '') break
    const found = patterns.find(([pattern]) => pattern.test(rest))
    if (found) {
      kinds.push(found[1])
      rest = rest.slice((found[0].exec(rest)?.[0] ?? ' ').length)
      continue
    }
    const special = specials[rest[0] ?? '']
    if (!special) return undefined
    kinds.push(special)
    rest = rest.slice(1)
  }
  kinds.push('end')
  return kinds
}

/**
 * Whether Ruby Liquid's strict parser accepts the markup of an output
 * (variable.rb `strict_parse`, parser.rb): one expression, then filters
 * `| name` with optional `: arg, key: arg`. liquidjs accepts more (`{{ a == b }}`,
 * `{{ x y }}`); Jekyll's warn mode reads those laxly, so Galley does too.
 */
export function strictlyValid(markup: string): boolean {
  const kinds = lex(markup)
  if (!kinds) return false
  let p = 0
  const look = (kind: Kind, ahead = 0) => kinds[p + ahead] === kind
  const consume = (kind: Kind) => {
    if (!look(kind)) throw new Error(kind)
    p++
  }
  const lookups = () => {
    for (;;) {
      if (look('open_square')) {
        p++
        expression()
        consume('close_square')
      } else if (look('dot')) {
        p++
        consume('id')
      } else return
    }
  }
  const expression = (): void => {
    const kind = kinds[p]
    if (kind === 'id') {
      p++
      lookups()
    } else if (kind === 'open_square') {
      p++
      expression()
      consume('close_square')
      lookups()
    } else if (kind === 'string' || kind === 'number') p++
    else if (kind === 'open_round') {
      p++
      expression()
      consume('dotdot')
      expression()
      consume('close_round')
    } else throw new Error('expression')
  }
  const argument = () => {
    if (look('id') && look('colon', 1)) p += 2
    expression()
  }
  try {
    if (look('end')) return true
    expression()
    while (look('pipe')) {
      p++
      consume('id')
      if (look('colon')) {
        p++
        argument()
        while (look('comma')) {
          p++
          argument()
        }
      }
    }
    consume('end')
    return true
  } catch {
    return false
  }
}
