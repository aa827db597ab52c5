import {toHtml} from 'hast-util-to-html'
import {barChart} from '../../markdown/compare/chart.js'
import {fieldLabel, formatValue} from '../../markdown/compare/format.js'
import type {Model} from '../../markdown/compare/types.js'
import type {LiquidPage} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import {outputPathOf} from '../paths.js'
import {wrap} from '../wrap.js'
import type {Emitter} from './types.js'
import {escapeHtml} from '../../content/escape-html.js'

/**
 * A page per model of the site's model data, `/models/<id>/`: its data card
 * (each figure with its source) and every post that discusses it, newest
 * first, in the `model` layout; and `/models/`, every model's key figures
 * in one static section per family (the `models` layout). A site without
 * model data gets none.
 */
export const modelPages: Emitter = {
  name: 'model pages',
  emit(model, context) {
    if (model.models.length === 0) return []
    const layout = context.layouts.layouts.get('model') ? 'model' : undefined
    if (layout === undefined) return []
    const discussed = new Map<string, LiquidPage[]>()
    // Posts are newest first, so each model's list is too.
    for (const post of model.posts) {
      const view = model.views.get(post) as LiquidPage
      for (const id of model.discussed.get(post) ?? []) discussed.set(id, [...(discussed.get(id) ?? []), view])
    }
    const outputs: Output[] = []
    for (const entry of model.models) {
      const url = `/models/${entry.id}/`
      const path = outputPathOf(url)
      if (context.taken(path)) continue
      const facts = [
        ...(['family', 'organization', 'released', 'license', 'architecture'] as const).flatMap((field) => (entry[field] === undefined ? [] : [{label: fieldLabel(field), value: String(entry[field])}])),
        ...Object.entries(entry.figures).map(([field, figure]) => ({label: fieldLabel(field), value: formatValue(field, figure.value), source: figure.source, eval: figure.eval}))
      ]
      const chart = peerChart(entry, model.models)
      const page: LiquidPage = {title: entry.name, title_html: escapeHtml(entry.name), url, layout, listing: 'models', name: entry.name, model: {id: entry.id, aliases: entry.aliases, facts, chart}, posts: discussed.get(entry.id) ?? []}
      const scope = {page}
      outputs.push({path, key: context.keys.page(layout, scope), owner: context.generatedOwner, deferrable: true, make: () => wrap('', layout, scope, context.generatedOwner, context.layouts)})
    }
    const index = context.layouts.layouts.get('models') ? 'models' : undefined
    if (index !== undefined && !context.taken(outputPathOf('/models/'))) {
      const fields = ['parameters', 'active_parameters', 'training_tokens', 'context_length']
      const families = new Map<string, Array<{name: string; url: string; values: string[]}>>()
      for (const entry of model.models) {
        const family = entry.family ?? 'other'
        const values = fields.map((field) => (entry.figures[field] ? formatValue(field, entry.figures[field].value) : '—'))
        families.set(family, [...(families.get(family) ?? []), {name: entry.name, url: `/models/${entry.id}/`, values}])
      }
      const page: LiquidPage = {
        title: 'Models',
        title_html: 'Models',
        url: '/models/',
        layout: index,
        listing: 'models',
        columns: fields.map(fieldLabel),
        families: [...families].sort(([a], [b]) => a.localeCompare(b)).map(([name, models]) => ({name, models}))
      }
      const scope = {page}
      outputs.push({path: outputPathOf('/models/'), key: context.keys.page(index, scope), owner: context.generatedOwner, deferrable: true, make: () => wrap('', index, scope, context.generatedOwner, context.layouts)})
    }
    return outputs
  }
}

/** How much larger or smaller a model may be and still count as a peer of another, besides its own family. */
const PEER_RATIO = 2

/**
 * The chart on a model's page: the parameters of its family and of the
 * models of about its size (within a factor of two), the model itself in
 * bold, as a static SVG (the comparison blocks' bar chart). None when the
 * model has no parameter count or nothing to stand next to.
 */
export function peerChart(entry: Model, models: readonly Model[]): {svg: string; caption: string} | undefined {
  const own = entry.figures.parameters?.value
  if (own === undefined) return undefined
  const peers = models.filter((other) => {
    const size = other.figures.parameters?.value
    if (size === undefined) return false
    return other.id === entry.id || (entry.family !== undefined && other.family === entry.family) || (size <= own * PEER_RATIO && size >= own / PEER_RATIO)
  })
  if (peers.length < 2) return undefined
  const data = peers.map((other) => ({label: other.name, x: other.figures.parameters?.value as number, y: 0, highlight: other.id === entry.id}))
  const format = (value: number) => formatValue('parameters', value)
  const sorted = [...data].sort((a, b) => b.x - a.x || a.label.localeCompare(b.label))
  const title = `Parameters of ${entry.name}, its family and models of about its size`
  const svg = barChart({
    id: `model-${entry.id}-chart`,
    title,
    desc: `Bar chart of Parameters, largest first: ${sorted.map((datum) => `${datum.label}${datum.highlight ? ' (this model)' : ''}, ${format(datum.x)}`).join('; ')}.`,
    data,
    xLabel: fieldLabel('parameters'),
    formatX: format
  })
  return {svg: toHtml(svg), caption: `${title} (within a factor of ${PEER_RATIO}); ${entry.name} in bold.`}
}
