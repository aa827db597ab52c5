import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Element, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {HtmlValidate} from 'html-validate'
import {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {fieldLabel} from '../src/markdown/compare/format.js'
import {parseModels, parseQuantity, type Model} from '../src/site/models.js'
import {makeSite, read, root, runCli} from './helpers.js'

/**
 * The sample blog's comparison post, built by the real CLI from this
 * repository: three figures, no script, valid HTML, well-formed SVG, and
 * tables that say what data/models.yml says.
 */
const postPath = '2024/05/20/spring-open-model-releases-by-the-numbers/index.html'
let page = ''
let out = ''
let models: readonly Model[] = []

beforeAll(async () => {
  out = path.join(await makeSite({}), '_site')
  const result = await runCli(['build', '--out', out, '--no-cache'])
  expect(result.code, result.stderr).toBe(0)
  expect(result.stderr).toBe('')
  page = await read(out, postPath)
  const text = readFileSync(path.join(root, 'data/models.yml'), 'utf8')
  const file = new VFile({path: 'data/models.yml', value: text})
  models = parseModels(text, file).data?.models ?? []
  expect(file.messages.map(String)).toEqual([])
}, 120_000)

const figures = () => selectAll('figure.galley-compare', fromHtml(page) as Root)

describe('the sample comparison post', () => {
  it('shows three figures, each a chart with a title and a description, a table and a caption', () => {
    expect(figures()).toHaveLength(3)
    for (const figure of figures()) {
      const svg = select('svg', figure)
      expect(svg?.properties.role).toBe('img')
      expect(toString(select('svg > title', figure) ?? {type: 'root', children: []})).not.toBe('')
      expect(toString(select('svg > desc', figure) ?? {type: 'root', children: []})).toMatch(/chart of/)
      expect(select('table', figure)).toBeDefined()
      expect(select('figcaption', figure)).toBeDefined()
    }
    expect(selectAll('svg', figures()[0] as Element).length).toBe(1)
  })

  it('holds no script (the layout’s JSON-LD is data, not a script) and passes html-validate', async () => {
    expect(page.replace(/<script type="application\/ld\+json">[^<]*<\/script>/g, '')).not.toMatch(/<script/i)
    // The same preset and exceptions as validate.test.ts.
    const validator = new HtmlValidate({extends: ['html-validate:recommended'], rules: {'no-inline-style': 'off', 'valid-id': ['error', {relaxed: true}]}})
    const report = await validator.validateString(page, postPath)
    expect(report.results.flatMap((result) => result.messages.map((message) => `${message.line}:${message.column}: ${message.message} (${message.ruleId})`))).toEqual([])
  })

  it('draws each chart as well-formed SVG (parsed by xmllint as XML)', () => {
    const charts = page.match(/<svg[\s\S]*?<\/svg>/g) ?? []
    expect(charts.length).toBeGreaterThanOrEqual(3)
    for (const chart of charts.filter((one) => one.includes('galley-chart'))) {
      const lint = spawnSync('xmllint', ['--noout', '-'], {input: chart, encoding: 'utf8'})
      if (lint.error) throw new Error(`cannot run xmllint (run scripts/test-setup.sh): ${lint.error.message}`)
      expect(lint.stderr).toBe('')
      expect(lint.status).toBe(0)
      expect(chart).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    }
  })

  it('has tables whose every figure, source and missing value is what data/models.yml says', () => {
    const byName = new Map(models.map((model) => [model.name, model]))
    const fieldOf = new Map(['parameters', 'active_parameters', 'training_tokens', 'context_length', 'vocab_size', 'scores.mmlu'].map((field) => [fieldLabel(field), field]))
    let checked = 0
    for (const figure of figures()) {
      const headers = selectAll('thead th', figure).map((cell) => toString(cell)).slice(1)
      const fields = headers.map((header) => fieldOf.get(header))
      expect(fields).not.toContain(undefined)
      const sources = selectAll('.galley-compare-sources a', figure).map((link) => String(link.properties.href))
      for (const row of selectAll('tbody tr', figure)) {
        const model = byName.get(toString(select('th', row) as Element))
        expect(model, toString(row)).toBeDefined()
        for (const [index, cell] of selectAll('td', row).entries()) {
          const figureData = model?.figures[fields[index] as string]
          const note = select('sup a', cell)
          const shown = toString({...cell, children: cell.children.flatMap((child) => (child.type === 'element' && child.tagName === 'strong' ? child.children : [child])).filter((child) => !(child.type === 'element' && (child.tagName === 'sup' || child.tagName === 'span')))})
          if (!figureData) {
            expect(shown).toBe('—')
            continue
          }
          expect(parseQuantity(shown), `${model?.id} ${fields[index]}`).toBe(figureData.value)
          expect(note ? sources[Number(toString(note)) - 1] : undefined).toBe(figureData.source)
          if (figureData.eval) expect(cell.properties.title).toBe(figureData.eval)
          checked++
        }
      }
    }
    expect(checked).toBeGreaterThan(30)
  })

  it('is the same bytes when built again', async () => {
    const again = path.join(await makeSite({}), '_site')
    expect((await runCli(['build', '--out', again, '--no-cache'])).code).toBe(0)
    expect(await read(again, postPath)).toBe(page)
  }, 120_000)
})
