import fc from 'fast-check'
import {Liquid} from 'liquidjs'
import {describe, expect, it} from 'vitest'
import type {LiquidSettings} from '../../src/config.js'
import {createLiquid} from '../../src/layout/liquid.js'
import {laxMarkup} from '../../src/layout/liquid-lax.js'

const jekyll: LiquidSettings = {errorMode: 'warn', strictFilters: false, strictVariables: false}

function engine(settings: LiquidSettings | undefined) {
  const warnings: string[] = []
  const liquid = createLiquid({
    includes: [],
    baseurl: '',
    url: '',
    markdownify: (text) => text,
    postUrls: new Map(),
    fileUrls: new Map(),
    settings,
    warn(token, reason, ruleId) {
      const [line, column] = token.getPosition()
      warnings.push(`${line}:${column}: ${reason} (${ruleId})`)
    }
  })
  return {liquid, warnings}
}

function render(settings: LiquidSettings | undefined, source: string, scope: Record<string, unknown> = {x: 'X'}) {
  const {liquid, warnings} = engine(settings)
  return {html: liquid.parseAndRenderSync(source, scope) as string, warnings}
}

/**
 * What Ruby Liquid 5.4 (Debian's ruby-liquid, the one Debian's Jekyll runs)
 * renders for each malformed output in `error_mode: warn`, with x = "X"
 * (checked with `Liquid::Template.parse(s, error_mode: :warn).render('x' => 'X')`).
 */
const rubyWarnMode: ReadonlyArray<readonly [string, string]> = [
  ['a {{<figure src="x.png" title="t" >}} b', 'a  b'],
  ['<!-- {{< tweet 123 >}} -->', '<!--  -->'],
  ['a {{ page.title | }} b', 'a  b'],
  ['a {{ foo bar }} b', 'a  b'],
  ['a {{ "x" | upcase: }} b', 'a X b'],
  ['a {{ a.b[ }} b', 'a  b'],
  ['{{ 1 + 2 }}', '1'],
  ['{{ x | default "y" }}', 'X'],
  ['{{ x | upcase | }}', 'X'],
  ['{{ x - y }}', 'X'],
  ['{{% foo %}}', ''],
  ['{{ x | append: "a" "b" }}', 'Xa']
]

describe('Liquid as Jekyll runs it (error_mode: warn)', () => {
  it.each(rubyWarnMode)('%s renders as Ruby Liquid does, with a warning at its place', (source, expected) => {
    const {html, warnings} = render(jekyll, source)
    expect(html).toBe(expected)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(new RegExp(`^1:${source.indexOf('{{') + 1}: malformed Liquid output .* \\(liquid-syntax\\)$`))
  })

  it('points at the line and column of a malformed output further down', () => {
    const {html, warnings} = render(jekyll, 'one\ntwo {{ x }}\n<!-- {{<figure src="a.png">}} -->\n')
    expect(html).toBe('one\ntwo X\n<!--  -->\n')
    expect(warnings).toEqual([expect.stringMatching(/^3:6: malformed Liquid output \{\{<figure src="a\.png">\}\} \(.*\); rendered as Jekyll's lax parser reads it: \{\{ figure \}\} \(liquid-syntax\)$/)])
  })

  it('reads the variable a shortcode names, as Ruby does', () => {
    expect(render(jekyll, '{{<figure src="a">}}', {figure: 'F'}).html).toBe('F')
  })

  it('lets an unknown filter pass its value through, with a warning (strict_filters off)', () => {
    const {html, warnings} = render(jekyll, 'a {{ x | nofilter | downcase }}')
    expect(html).toBe('a x')
    expect(warnings).toEqual([expect.stringMatching(/^1:10: unknown filter "nofilter": .* \(liquid-filter\)$/)])
  })

  it('keeps tags that cannot be read errors, as Ruby does in every mode', () => {
    const {liquid} = engine(jekyll)
    expect(() => liquid.parse('{% if %}x{% endif %}')).toThrow()
    expect(() => liquid.parse('a {{ x')).toThrow(/not closed/)
  })

  it('is silent in lax mode and strict in strict mode', () => {
    expect(render({...jekyll, errorMode: 'lax'}, '{{ 1 + 2 }}')).toEqual({html: '1', warnings: []})
    expect(() => render({...jekyll, errorMode: 'strict'}, '{{ 1 + 2 }}')).toThrow(/expected "\|" before filter/)
  })

  it('honours strict_filters and strict_variables', () => {
    expect(() => render({...jekyll, strictFilters: true}, '{{ x | nofilter }}')).toThrow(/undefined filter: nofilter/)
    expect(() => render({...jekyll, strictVariables: true}, '{{ missing }}')).toThrow(/undefined variable: missing/)
    expect(render(jekyll, '[{{ missing }}]').html).toBe('[]')
  })

  it('keeps a site that is not a Jekyll site as strict as before', () => {
    expect(() => render(undefined, '{{<figure src="a">}}')).toThrow(/expected "\|" before filter/)
    expect(() => render(undefined, '{{ x | nofilter }}')).toThrow(/undefined filter: nofilter/)
  })

  it('names the plugin an unknown tag probably comes from', () => {
    for (const settings of [jekyll, undefined]) {
      const {liquid} = engine(settings)
      expect(() => liquid.parse('x\n{% include_cached a.html %}')).toThrow(/unknown tag "include_cached": it comes from the Jekyll plugin jekyll-include-cache/)
      expect(() => liquid.parse('{% if true %}{% plantuml %}{% endif %}')).toThrow(/jekyll-plantuml/)
      expect(() => liquid.parse('{% frobnicate %}')).toThrow(/unknown tag "frobnicate": no Liquid, Jekyll or Galley tag has this name/)
    }
  })
})

describe('laxMarkup', () => {
  it('writes what Ruby reads', () => {
    expect(laxMarkup('<figure src="x.png" >')).toBe('figure')
    expect(laxMarkup(' x | append: "a" "b" ')).toBe('x | append: "a"')
    expect(laxMarkup(' site.data["a b"].c | slice: 1, 2 ')).toBe('site["data"]["a b"]["c"] | slice: 1, 2')
    expect(laxMarkup(' (1..3) | join: sep: "," ')).toBe('(1..3) | join: sep: ","')
    expect(laxMarkup('  ')).toBe('nil')
  })

  it('always yields markup liquidjs parses, whatever the input', () => {
    const liquid = new Liquid({strictFilters: false})
    const pieces = fc.constantFrom('x', ' ', '|', ':', ',', '"', "'", '<', '>', '=', '[', ']', '(', ')', '..', '.', '-', '1', '%', 'a', '\\', '\n', '{', '}')
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({maxLength: 3})), {maxLength: 20}), (parts) => {
        const markup = parts.join('').replace(/\}\}|\{\{|\{%|%\}/g, '')
        liquid.parse(`{{ ${laxMarkup(markup)} }}`)
      }),
      {numRuns: 2000}
    )
  })
})
