import type {Element, ElementContent} from 'hast'
import yaml from 'js-yaml'
import type {Code, Paragraph, Root} from 'mdast'
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../../report.js'
import {sourceMayHold} from '../source-check.js'
import {closestIds} from '../closest.js'
import {COMPARE_FENCE} from './fence.js'
import {fieldLabel, formatValue, labels, sharedAxisLabel, textFields} from './format.js'
import {barChart, el, groupedBarChart, scatterChart, type Datum} from './chart.js'
import type {Figure, Model} from './types.js'

export {fieldLabel, formatValue}

/** Options: the site's validated model data (plain data, from RenderSettings). */
export interface RemarkCompareOptions {
  readonly models?: readonly Model[] | undefined
}


interface Block {
  readonly models?: unknown
  readonly columns?: unknown
  readonly chart?: unknown
  readonly caption?: unknown
  readonly title?: unknown
  readonly highlight?: unknown
}

/**
 * The comparison block: a fenced code block with the language `compare`
 * whose body is YAML (`models`, `columns`, optional `chart`, `caption`,
 * `title`, `highlight`) becomes, at build time, a `<figure>` holding an
 * inline SVG chart and an HTML table of the same numbers from the site's
 * model data, its sources as numbered notes, and the caption. Unknown ids,
 * fields, charts without data are errors at the block's line (at the id or
 * field itself when it can be found in the block).
 */
export function remarkCompare(options: RemarkCompareOptions = {}) {
  const models = new Map((options.models ?? []).map((model) => [model.id, model]))
  return (tree: Root, file: VFile) => {
    if (!sourceMayHold(file, COMPARE_FENCE)) return
    let count = 0
    visit(tree, 'code', (node: Code, index, parent) => {
      if (node.lang !== 'compare' || !parent || index === undefined) return
      count++
      const figure = compareFigure(node, file, models, `compare-${count}`)
      if (!figure) return
      // A paragraph whose hast is the figure (remark-rehype applies `hName`/`hChildren`; a code node would be wrapped in <pre>).
      const replacement: Paragraph = {type: 'paragraph', children: [], position: node.position, data: {hName: 'figure', hProperties: figure.properties, hChildren: figure.children}}
      parent.children.splice(index, 1, replacement)
    })
  }
}

/**
 * A problem with a block is an error (the figure would be wrong or empty), at
 * the line and column of `token` inside the block when it is given and found
 * there, else at the block's opening fence.
 */
function fail(file: VFile, node: Code, reason: string, token?: string): void {
  report(file, {reason, ruleId: 'compare', severity: 'error', place: placeInBlock(node, token)})
}

/** Where `token` (a model id, a field) first stands as a whole word in the block's body; the fence when it is not found. */
export function placeInBlock(node: Code, token: string | undefined): {line: number; column: number} | undefined {
  const start = node.position?.start
  if (!start || token === undefined || token === '') return start
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const lines = node.value.split('\n')
  for (const [index, line] of lines.entries()) {
    const match = new RegExp(`(?<![\\w.-])${escaped}(?![\\w-])`).exec(line.replace(/#.*$/, ''))
    // The body starts on the line after the fence; its lines keep the fence's indentation.
    if (match) return {line: start.line + 1 + index, column: start.column + match.index}
  }
  return start
}

function compareFigure(node: Code, file: VFile, models: ReadonlyMap<string, Model>, id: string): Element | undefined {
  let block: Block
  try {
    const loaded = yaml.load(node.value, {schema: yaml.CORE_SCHEMA})
    if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) throw new Error('expected a mapping of `models`, `columns`, `chart`…')
    block = loaded as Block
  } catch (error) {
    // js-yaml's mark is zero-based, in the block's body (which starts on the line after the fence).
    const mark = (error as {mark?: {line: number; column: number}}).mark
    const start = node.position?.start
    const place = mark && start ? {line: start.line + 1 + mark.line, column: start.column + mark.column} : start
    report(file, {reason: `cannot read this comparison block: ${(error as {reason?: string}).reason ?? (error as Error).message}`, ruleId: 'compare', severity: 'error', place})
    return undefined
  }
  const chosen = selectModels(block.models, models, (reason, token) => fail(file, node, reason, token))
  const highlight = new Set(strings(block.highlight))
  // An id to emphasise that the block does not show is a typo or a leftover: say which ids it could be.
  for (const id of highlight) {
    if (chosen.some((model) => model.id === id)) continue
    const closest = closestIds(id, chosen.map((model) => model.id))
    fail(file, node, `\`highlight\` names \`${id}\`, which this comparison does not show${closest.length > 0 ? ` (it shows: ${closest.join(', ')})` : ''}`, id)
  }
  const chart = typeof block.chart === 'object' && block.chart !== null ? (block.chart as Record<string, unknown>) : undefined
  const chartFields = chart ? [chart.x, chart.y, chart.metric, ...strings(chart.metrics)].filter((field): field is string => typeof field === 'string') : []
  const columns = strings(block.columns).length > 0 ? strings(block.columns) : [...new Set(chartFields)]
  const known = (field: string) => field === 'name' || textFields.has(field) || field in labels || (field.startsWith('scores.') && chosen.some((model) => field in model.figures))
  for (const field of new Set([...columns, ...chartFields])) if (!known(field)) fail(file, node, `unknown column \`${field}\` in this comparison (fields: ${Object.keys(labels).join(', ')}, or scores.<benchmark>)`, field)
  const shown = columns.filter(known)
  const title = typeof block.title === 'string' ? block.title : typeof block.caption === 'string' ? block.caption : `Comparison of ${chosen.map((model) => model.name).join(', ')}`
  const children: ElementContent[] = []
  const notes: string[] = []
  if (chart && chosen.length > 0) children.push(...chartOf(chart, chosen, highlight, {id, title}, (reason, token) => fail(file, node, reason, token), notes, known))
  const sources: string[] = []
  // In a box of its own that scrolls sideways when the table is wider than a phone's column.
  children.push(el('div', {className: ['galley-compare-scroll']}, [tableOf(chosen, shown.filter((field) => field !== 'name'), highlight, sources, id)]))
  if (sources.length > 0) {
    children.push(
      el(
        'ol',
        {className: ['galley-compare-sources']},
        sources.map((source, index) => el('li', {id: `${id}-source-${index + 1}`}, [el('a', {href: source}, [{type: 'text', value: source}])]))
      )
    )
  }
  for (const note of notes) children.push(el('p', {className: ['galley-compare-note']}, [{type: 'text', value: note}]))
  if (typeof block.caption === 'string') children.push(el('figcaption', {}, [{type: 'text', value: block.caption}]))
  // The ids it shows, for the model pages and the post's list of models (a post discusses what its figures show).
  return el('figure', {className: ['galley-compare'], id, dataModels: chosen.map((model) => model.id).join(' ') || undefined}, children)
}

/** The models a block names: a list of ids, or a filter (`family: llama`); an unknown id is an error that lists the closest known ones. */
function selectModels(written: unknown, models: ReadonlyMap<string, Model>, problem: (reason: string, token?: string) => void): Model[] {
  if (typeof written === 'object' && written !== null && !Array.isArray(written)) {
    const filter = Object.entries(written as Record<string, unknown>)
    const found = [...models.values()].filter((model) => filter.every(([key, value]) => (model as unknown as Record<string, unknown>)[key] === value))
    if (found.length === 0) problem(`no model matches ${filter.map(([key, value]) => `${key}: ${String(value)}`).join(', ')}`, 'models')
    return found
  }
  const chosen: Model[] = []
  for (const id of strings(written)) {
    const model = models.get(id)
    if (model) chosen.push(model)
    else {
      const closest = closestIds(id, [...models.keys()])
      problem(`unknown model \`${id}\`${closest.length > 0 ? ` (closest known: ${closest.join(', ')})` : ' (the site has no data/models.yml, or it has errors)'}`, id)
    }
  }
  if (strings(written).length === 0) problem('this comparison names no `models`', 'models')
  return chosen
}

function chartOf(
  chart: Record<string, unknown>,
  chosen: readonly Model[],
  highlight: ReadonlySet<string>,
  text: {id: string; title: string},
  problem: (reason: string, token?: string) => void,
  notes: string[],
  known: (field: string) => boolean
): Element[] {
  const valueOf = (model: Model, field: string) => model.figures[field]?.value
  const leftOut = (fields: readonly string[]) => {
    const missing = chosen.filter((model) => fields.some((field) => valueOf(model, field) === undefined)).map((model) => model.name)
    if (missing.length > 0) notes.push(`Not in the chart, for want of a value: ${missing.join(', ')}.`)
    mixedEvaluations(fields)
  }
  // Scores measured in different ways side by side in one chart: say so, naming each way and its models.
  const mixedEvaluations = (fields: readonly string[]) => {
    for (const field of fields.filter((one) => one.startsWith('scores.'))) {
      const ways = new Map<string, string[]>()
      for (const model of chosen) {
        const figure = model.figures[field]
        if (figure) ways.set(figure.eval ?? 'evaluation not stated', [...(ways.get(figure.eval ?? 'evaluation not stated') ?? []), model.name])
      }
      if (ways.size > 1) notes.push(`The ${fieldLabel(field)} scores in this chart were measured in different ways: ${[...ways].map(([way, names]) => `${way} (${names.join(', ')})`).join('; ')}.`)
    }
  }
  const id = `${text.id}-chart`
  if (chart.type === 'scatter' && typeof chart.x === 'string' && typeof chart.y === 'string') {
    const [xField, yField] = [chart.x, chart.y]
    if (!known(xField) || !known(yField)) return []
    const xLog = chart.x_scale === 'log'
    const data: Datum[] = chosen.flatMap((model) => {
      const x = valueOf(model, xField)
      const y = valueOf(model, yField)
      return x === undefined || y === undefined || (xLog && x <= 0) ? [] : [{label: model.name, x, y, group: chart.line_by === 'family' || chart.legend !== false ? model.family : undefined, highlight: highlight.has(model.id)}]
    })
    leftOut([xField, yField])
    if (data.length === 0) {
      problem(`the chart has no data: no model here has both \`${xField}\` and \`${yField}\``, 'chart')
      return []
    }
    const desc = `Scatter chart of ${fieldLabel(yField)} against ${fieldLabel(xField)}${xLog ? ' (log scale)' : ''}: ${data.map((datum) => `${datum.label}, ${formatValue(xField, datum.x)} and ${formatValue(yField, datum.y)}`).join('; ')}.`
    return [scatterChart({id, title: text.title, desc, data, xLabel: fieldLabel(xField), yLabel: fieldLabel(yField), xLog, formatX: (value) => formatValue(xField, value), formatY: (value) => formatValue(yField, value), lineByGroup: chart.line_by === 'family'})]
  }
  if (chart.type === 'bar' && typeof chart.metric === 'string') {
    const field = chart.metric
    if (!known(field)) return []
    const data: Datum[] = chosen.flatMap((model) => {
      const x = valueOf(model, field)
      return x === undefined ? [] : [{label: model.name, x, y: 0, highlight: highlight.has(model.id)}]
    })
    leftOut([field])
    if (data.length === 0) {
      problem(`the chart has no data: no model here has \`${field}\``, 'chart')
      return []
    }
    const desc = `Bar chart of ${fieldLabel(field)}, largest first: ${[...data].sort((a, b) => b.x - a.x).map((datum) => `${datum.label}, ${formatValue(field, datum.x)}`).join('; ')}.`
    return [barChart({id, title: text.title, desc, data, xLabel: fieldLabel(field), formatX: (value) => formatValue(field, value)})]
  }
  if (chart.type === 'grouped-bar' && strings(chart.metrics).length > 0) {
    const fields = strings(chart.metrics).filter(known)
    if (fields.length === 0) return []
    mixedEvaluations(fields)
    const groups = chosen.filter((model) => fields.some((field) => valueOf(model, field) !== undefined)).map((model) => ({label: model.name, values: fields.map((field) => valueOf(model, field))}))
    const none = chosen.filter((model) => fields.every((field) => valueOf(model, field) === undefined))
    if (none.length > 0) notes.push(`Not in the chart, for want of a value: ${none.map((model) => model.name).join(', ')}.`)
    const partial = chosen.filter((model) => fields.some((field) => valueOf(model, field) === undefined) && fields.some((field) => valueOf(model, field) !== undefined))
    if (partial.length > 0) notes.push(`Missing bars, for want of a value: ${partial.map((model) => `${model.name} (${fields.filter((field) => valueOf(model, field) === undefined).map(fieldLabel).join(', ')})`).join('; ')}.`)
    if (groups.length === 0) {
      problem(`the chart has no data: no model here has any of ${fields.map((field) => `\`${field}\``).join(', ')}`, 'chart')
      return []
    }
    const desc = `Grouped bar chart of ${fields.map(fieldLabel).join(' and ')}: ${groups.map((group) => `${group.label}, ${group.values.map((value, index) => (value === undefined ? `no ${fieldLabel(fields[index] as string)}` : formatValue(fields[index] as string, value))).join(' and ')}`).join('; ')}.`
    const format = (value: number) => formatValue(fields[0] as string, value)
    return [groupedBarChart({id, title: text.title, desc, groups, series: fields.map(fieldLabel), xLabel: sharedAxisLabel(fields), formatX: format, formatSeries: fields.map((field) => (value: number) => formatValue(field, value))})]
  }
  problem(`unknown chart \`${JSON.stringify(chart)}\` (use {type: scatter, x, y}, {type: bar, metric} or {type: grouped-bar, metrics: [...]})`, 'chart')
  return []
}

/** The table of the same numbers: right-aligned figures, the best score per column marked, sources as numbered notes, "—" for a missing value. */
function tableOf(chosen: readonly Model[], fields: readonly string[], highlight: ReadonlySet<string>, sources: string[], id: string): Element {
  const best = new Map<string, number>()
  for (const field of fields) {
    if (!field.startsWith('scores.')) continue
    const values = chosen.map((model) => model.figures[field]?.value).filter((value): value is number => value !== undefined)
    if (values.length > 1) best.set(field, Math.max(...values))
  }
  const head = el('thead', {}, [el('tr', {}, [el('th', {scope: 'col'}, [{type: 'text', value: 'Model'}]), ...fields.map((field) => el('th', {scope: 'col', className: textFields.has(field) ? undefined : ['galley-num']}, [{type: 'text', value: fieldLabel(field)}]))])])
  const rows = chosen.map((model) => {
    const cells = fields.map((field) => {
      if (textFields.has(field)) return el('td', {}, [{type: 'text', value: String((model as unknown as Record<string, unknown>)[field] ?? '—')}])
      const figure: Figure | undefined = model.figures[field]
      if (!figure) return el('td', {className: ['galley-num']}, [{type: 'text', value: '—'}])
      let content: ElementContent[] = [{type: 'text', value: formatValue(field, figure.value)}]
      if (best.get(field) === figure.value) content = [el('strong', {}, [...content, el('span', {className: ['visually-hidden']}, [{type: 'text', value: ' (best)'}])])]
      if (figure.source) {
        let index = sources.indexOf(figure.source)
        if (index < 0) index = sources.push(figure.source) - 1
        content.push(el('sup', {}, [el('a', {href: `#${id}-source-${index + 1}`, ariaLabel: `source ${index + 1}`}, [{type: 'text', value: String(index + 1)}])]))
      }
      return el('td', {className: ['galley-num'], title: figure.eval}, content)
    })
    const name: ElementContent[] = [{type: 'text', value: model.name}]
    return el('tr', {className: highlight.has(model.id) ? ['galley-highlight'] : undefined}, [el('th', {scope: 'row'}, highlight.has(model.id) ? [el('strong', {}, name)] : name), ...cells])
  })
  return el('table', {className: ['galley-compare-table']}, [head, el('tbody', {}, rows)])
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}
