import type {Element, ElementContent} from 'hast'

/**
 * A small SVG chart builder for comparison blocks: scales, ticks, label
 * placement and the hast of a scatter or bar chart.
 *
 * Written here rather than taken from Observable Plot (the suggested
 * pick), after trying Plot 0.6.17 with linkedom 0.18.15 in Node: it does run
 * without a browser and gave the same bytes twice for one chart, but (1) it
 * has no placement of text labels that avoids overlaps (its `dodge`
 * transform moves dots along one axis), which is the hard part here and
 * would still be ours; (2) clip-path ids come from a module-level counter
 * (`plot-clip-${++nextClipId}`, src/style.js), so a chart's bytes would
 * depend on how many charts its worker drew before, breaking the render
 * cache and the build equivalence tests; (3) it writes inline <style> blocks
 * and 10 px text, both of which we would post-process away; (4) it costs 62
 * packages, 16 MB and about a second of import in every render worker, for
 * three chart types. These few hundred lines of plain functions load
 * nothing, are deterministic by construction (no ids but the figure's own,
 * coordinates rounded to 0.01) and are tested as such.
 */

/** One point or bar: the model's name as its label, and its values. */
export interface Datum {
  readonly label: string
  readonly x: number
  readonly y: number
  readonly group?: string | undefined
  readonly highlight?: boolean | undefined
}

/** A box on the chart (a label), for overlap checks. */
export interface Box {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

/** A scale from data to pixels, with its ticks. */
export interface Scale {
  (value: number): number
  readonly ticks: readonly number[]
}

/**
 * Every text of a chart is this size in the drawing's units. The drawing is
 * WIDTH units wide and scales to its column: at 390 px (a column of about
 * 358 px) 14 units are 11.4 px, the smallest the text may be.
 */
export const FONT = 14
/** How wide a character of the text is, at most, in units (labels are measured without a browser; 0.62 em covers wide fonts such as DejaVu Sans). */
const CHAR = FONT * 0.62
/** A label's box height and where its baseline sits in it (the text's ascent and descent fit inside). */
const LINE = FONT + 4
const BASELINE = FONT
/** The drawing's width in units. */
export const WIDTH = 440

/** Tick values for a linear axis over [min, max]: about `count` round steps (1, 2 or 5 × 10ⁿ). */
export function linearTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return []
  if (min === max) return [min]
  const raw = (max - min) / count
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= raw) ?? 10) * power
  const ticks: number[] = []
  // Each tick as a multiple of the step, written with the step's decimals (no 0.30000000000000004).
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  for (let index = Math.ceil(min / step - 1e-9); index * step <= max + step * 1e-9; index++) ticks.push(decimals > 20 ? index * step : Number((index * step).toFixed(decimals)) || 0)
  return ticks
}

/** Tick values for a log axis over [min, max] (both > 0): powers of ten, with 2 and 5 between when they are few. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return []
  const low = Math.floor(Math.log10(min))
  const high = Math.ceil(Math.log10(max))
  const factors = high - low <= 2 ? [1, 2, 5] : [1]
  const ticks: number[] = []
  for (let power = low; power <= high; power++) for (const factor of factors) ticks.push(Number((factor * 10 ** power).toPrecision(12)))
  return ticks.filter((tick) => tick >= min / 1.0001 && tick <= max * 1.0001)
}

/** A linear scale over the data (padded, and widened when all values are equal), onto [from, to] pixels. */
export function linearScale(values: readonly number[], from: number, to: number, options: {zero?: boolean; pad?: number} = {}): Scale {
  let min = Math.min(...values, ...(options.zero ? [0] : []))
  let max = Math.max(...values, ...(options.zero ? [0] : []))
  if (min === max) {
    // A tenth of the value either side; a value so small that its tenth underflows (a subnormal) gets ±1.
    let pad = min === 0 ? 1 : Math.abs(min) * 0.1
    if (!(min - pad < max + pad)) pad = 1
    min -= pad
    max += pad
  } else if (options.pad) {
    const pad = (max - min) * options.pad
    min -= pad
    max += pad
  }
  const ticks = linearTicks(min, max)
  const low = Math.min(min, ticks[0] ?? min)
  const high = Math.max(max, ticks[ticks.length - 1] ?? max)
  const span = high - low
  // A span that does not divide (values too close for doubles to tell apart) puts everything in the middle.
  const scale = ((value: number) => (span > 0 && Number.isFinite(span) ? round(from + ((value - low) / span) * (to - from)) : round((from + to) / 2))) as Scale
  return Object.assign(scale, {ticks})
}

/** A log scale over the data (positive values only), onto [from, to] pixels. */
export function logScale(values: readonly number[], from: number, to: number): Scale {
  const positive = values.filter((value) => value > 0)
  let low = Math.log10(Math.min(...positive))
  let high = Math.log10(Math.max(...positive))
  if (low === high) {
    low -= 0.5
    high += 0.5
  } else {
    const pad = (high - low) * 0.05
    low -= pad
    high += pad
  }
  const ticks = logTicks(10 ** low, 10 ** high)
  const scale = ((value: number) => round(from + ((Math.log10(value) - low) / (high - low)) * (to - from))) as Scale
  return Object.assign(scale, {ticks})
}

/** The width of a label in pixels, estimated from its length. */
export function labelWidth(text: string): number {
  return round(text.length * CHAR)
}

/** Whether two boxes overlap. */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

/** A label's box, and whether it sits away from its point (then a leader line joins them). */
export interface LabelBox extends Box {
  readonly leader: boolean
}

/** How far (in units) a mark reaches from its point: the largest marker's radius and stroke. */
export const MARK = 6

/**
 * Place a label by each point: to its right, else its left, nudged up or down
 * in steps until it overlaps no other label and no point; failing that, at the
 * nearest free place in the plot (a leader line then joins it to its point).
 * Returns each label's box (text baseline at `y + BASELINE`), in the order of
 * `points`. Only when the plot has no free place left at all (far more labels
 * than fit) does a label overlap another.
 */
export function placeLabels(points: ReadonlyArray<{x: number; y: number; label: string}>, bounds: Box): LabelBox[] {
  const placed: Box[] = []
  const marks = points.map((point) => ({x: point.x - MARK, y: point.y - MARK, width: 2 * MARK, height: 2 * MARK}))
  const free = (box: Box) =>
    box.x >= bounds.x && box.x + box.width <= bounds.x + bounds.width && box.y >= bounds.y && box.y + box.height <= bounds.y + bounds.height && !placed.some((other) => intersects(box, other)) && !marks.some((mark) => intersects(box, mark))
  const boxes: LabelBox[] = []
  for (const point of points) {
    const width = labelWidth(point.label)
    const height = LINE
    let chosen: LabelBox | undefined
    for (let step = 0; step < 12 && !chosen; step++) {
      const offset = (step % 2 === 0 ? 1 : -1) * Math.ceil(step / 2) * 4
      for (const x of [point.x + MARK + 3, point.x - MARK - 3 - width]) {
        const box = {x: round(x), y: round(point.y - height / 2 + offset), width, height, leader: false}
        if (free(box)) {
          chosen = box
          break
        }
      }
    }
    if (!chosen) {
      // Every place on a 4-unit grid, nearest to the point first (ties in a fixed order, so the output is stable).
      let best: {box: LabelBox; distance: number} | undefined
      for (let y = bounds.y; y + height <= bounds.y + bounds.height; y += 4) {
        for (let x = bounds.x; x + width <= bounds.x + bounds.width; x += 4) {
          const box = {x: round(x), y: round(y), width, height, leader: true}
          const distance = Math.hypot(Math.max(box.x - point.x, 0, point.x - (box.x + width)), Math.max(box.y - point.y, 0, point.y - (box.y + height)))
          if ((!best || distance < best.distance) && free(box)) best = {box, distance}
        }
      }
      chosen = best?.box
    }
    const box = chosen ?? {x: round(point.x + MARK + 3), y: round(point.y - height / 2), width, height, leader: false}
    placed.push(box)
    boxes.push(box)
  }
  return boxes
}

/** What every chart is given: its accessible name and description, and how to write values. */
export interface ChartText {
  readonly id: string
  readonly title: string
  readonly desc: string
}

export interface ScatterOptions extends ChartText {
  readonly data: readonly Datum[]
  readonly xLabel: string
  readonly yLabel: string
  readonly xLog: boolean
  readonly formatX: (value: number) => string
  readonly formatY: (value: number) => string
  /** Join the points of one group (sizes of one family) with a line. */
  readonly lineByGroup: boolean
}

/** A scatter chart: labelled points, axes with ticks and labels, a legend when groups differ. */
export function scatterChart(options: ScatterOptions): Element {
  const groups = [...new Set(options.data.map((datum) => datum.group ?? ''))]
  const legend = groups.length > 1 ? legendOf(groups.map((group) => group || 'other'), (index, x, y) => marker(index, x + 5, y + LINE / 2, false)) : undefined
  const height = 360 + (legend?.height ?? 0)
  const top = 12 + (legend?.height ?? 0)
  const bottom = 52
  const y = linearScale(options.data.map((datum) => datum.y), height - bottom, top, {pad: 0.08})
  // Room on the left for the widest tick label and the axis's own (turned) label.
  const margin = {top, right: 16, bottom, left: Math.max(...y.ticks.map((tick) => labelWidth(options.formatY(tick))), 16) + 14 + LINE + 4}
  const xs = options.data.map((datum) => datum.x)
  const x = options.xLog ? logScale(xs, margin.left, WIDTH - margin.right) : linearScale(xs, margin.left, WIDTH - margin.right, {pad: 0.05})
  const points = options.data.map((datum) => ({x: x(datum.x), y: y(datum.y), label: datum.label}))
  const bounds = {x: margin.left, y: margin.top, width: WIDTH - margin.left - margin.right, height: height - margin.top - margin.bottom}
  const boxes = placeLabels(points, bounds)
  const children: ElementContent[] = [...frame(options, WIDTH, height)]
  children.push(...axisX(x, options.formatX, options.xLabel, height - margin.bottom, margin.left, WIDTH - margin.right))
  children.push(...axisY(y, options.formatY, options.yLabel, margin.left, margin.top, height - margin.bottom))
  if (options.lineByGroup) {
    for (const group of groups) {
      const members = options.data.map((datum, index) => [datum, points[index]] as const).filter(([datum]) => (datum.group ?? '') === group)
      if (members.length < 2) continue
      const sorted = [...members].sort(([a], [b]) => a.x - b.x)
      children.push(el('polyline', {points: sorted.map(([, point]) => `${point?.x},${point?.y}`).join(' '), fill: 'none', stroke: 'currentColor', strokeOpacity: '0.5', className: ['galley-chart-line']}))
    }
  }
  for (const [index, datum] of options.data.entries()) {
    const point = points[index] as {x: number; y: number}
    const box = boxes[index] as LabelBox
    const shape = marker(groups.indexOf(datum.group ?? ''), point.x, point.y, datum.highlight === true)
    children.push(shape)
    if (box.leader) {
      // From the edge of the mark to the nearest point of the label's box.
      const to = {x: Math.min(Math.max(point.x, box.x), box.x + box.width), y: Math.min(Math.max(point.y, box.y), box.y + box.height)}
      const length = Math.hypot(to.x - point.x, to.y - point.y) || 1
      const from = {x: round(point.x + ((to.x - point.x) / length) * MARK), y: round(point.y + ((to.y - point.y) / length) * MARK)}
      children.push(el('line', {x1: from.x, y1: from.y, x2: round(to.x), y2: round(to.y), stroke: 'currentColor', strokeOpacity: '0.6', className: ['galley-chart-leader']}))
    }
    children.push(el('text', {x: box.x, y: round(box.y + BASELINE), fontSize: FONT, fill: 'currentColor', fontWeight: datum.highlight ? 'bold' : undefined}, [{type: 'text', value: datum.label}]))
  }
  if (legend) children.push(...legend.nodes)
  return svg(options, WIDTH, height, children)
}

export interface BarOptions extends ChartText {
  readonly data: readonly Datum[]
  readonly xLabel: string
  readonly formatX: (value: number) => string
}

/** A horizontal bar chart, longest first: the model's name left of its bar, the value at its end. */
export function barChart(options: BarOptions): Element {
  const data = [...options.data].sort((a, b) => b.x - a.x || a.label.localeCompare(b.label))
  const band = 28
  const labels = Math.max(...data.map((datum) => labelWidth(datum.label)), 40)
  const values = Math.max(...data.map((datum) => labelWidth(options.formatX(datum.x))), 24)
  const margin = {top: 12, right: values + 12, bottom: 52, left: labels + 12}
  const height = margin.top + margin.bottom + band * data.length
  const x = linearScale(data.map((datum) => datum.x), margin.left, WIDTH - margin.right, {zero: true})
  const children: ElementContent[] = [...frame(options, WIDTH, height)]
  children.push(...axisX(x, options.formatX, options.xLabel, height - margin.bottom, margin.left, WIDTH - margin.right))
  for (const [index, datum] of data.entries()) {
    const top = margin.top + index * band
    const start = x(Math.min(0, datum.x))
    const end = x(Math.max(0, datum.x))
    const middle = round(top + band / 2 + FONT * 0.35)
    children.push(el('text', {x: margin.left - 8, y: middle, textAnchor: 'end', fontSize: FONT, fill: 'currentColor', fontWeight: datum.highlight ? 'bold' : undefined}, [{type: 'text', value: datum.label}]))
    children.push(el('rect', {x: start, y: top + 4, width: Math.max(1, round(end - start)), height: band - 8, fill: 'currentColor', fillOpacity: datum.highlight ? '0.9' : '0.55'}))
    children.push(el('text', {x: end + 6, y: middle, fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: options.formatX(datum.x)}]))
  }
  return svg(options, WIDTH, height, children)
}

export interface GroupedBarOptions extends ChartText {
  /** One group per model: its name and one value per series (undefined when missing). */
  readonly groups: ReadonlyArray<{readonly label: string; readonly values: ReadonlyArray<number | undefined>}>
  readonly series: readonly string[]
  readonly xLabel: string
  /** How the axis writes its ticks. */
  readonly formatX: (value: number) => string
  /** How each series writes its values at the end of its bars. */
  readonly formatSeries: ReadonlyArray<(value: number) => string>
}

/** Horizontal bars grouped by model, one per series (told apart by opacity and a legend), on one shared axis. */
export function groupedBarChart(options: GroupedBarOptions): Element {
  const bar = LINE + 2
  const band = bar * options.series.length + 10
  const labels = Math.max(...options.groups.map((group) => labelWidth(group.label)), 40)
  const values = options.groups.flatMap((group) => group.values.filter((value): value is number => value !== undefined))
  const written = Math.max(...options.groups.flatMap((group) => group.values.map((value, index) => (value === undefined ? 0 : labelWidth((options.formatSeries[index] ?? options.formatX)(value))))), 24)
  const opacity = (index: number) => String(round(0.9 - (0.6 * index) / Math.max(1, options.series.length - 1)))
  const legend = legendOf(options.series, (index, x, y) => el('rect', {x, y: y + 3, width: 10, height: 10, fill: 'currentColor', fillOpacity: opacity(index)}))
  const margin = {top: 8 + legend.height, right: written + 12, bottom: 52, left: labels + 12}
  const height = margin.top + margin.bottom + band * options.groups.length
  const x = linearScale(values, margin.left, WIDTH - margin.right, {zero: true})
  const children: ElementContent[] = [...frame(options, WIDTH, height)]
  children.push(...axisX(x, options.formatX, options.xLabel, height - margin.bottom, margin.left, WIDTH - margin.right))
  children.push(...legend.nodes)
  for (const [row, group] of options.groups.entries()) {
    const top = margin.top + row * band
    children.push(el('text', {x: margin.left - 8, y: round(top + band / 2 + FONT * 0.35), textAnchor: 'end', fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: group.label}]))
    for (const [index, value] of group.values.entries()) {
      if (value === undefined) continue
      const y = top + 5 + index * bar
      const start = x(Math.min(0, value))
      const end = x(Math.max(0, value))
      children.push(el('rect', {x: start, y, width: Math.max(1, round(end - start)), height: bar - 2, fill: 'currentColor', fillOpacity: opacity(index)}))
      children.push(el('text', {x: end + 6, y: round(y + (bar - 2) / 2 + FONT * 0.35), fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: (options.formatSeries[index] ?? options.formatX)(value)}]))
    }
  }
  return svg(options, WIDTH, height, children)
}

function svg(options: ChartText, width: number, height: number, children: ElementContent[]): Element {
  return el(
    'svg',
    {xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', ariaLabelledBy: `${options.id}-title ${options.id}-desc`, className: ['galley-chart'], fontFamily: 'inherit'},
    children
  )
}

function frame(options: ChartText, _width: number, _height: number): Element[] {
  return [el('title', {id: `${options.id}-title`}, [{type: 'text', value: options.title}]), el('desc', {id: `${options.id}-desc`}, [{type: 'text', value: options.desc}])]
}

function axisX(scale: Scale, format: (value: number) => string, label: string, y: number, left: number, right: number): Element[] {
  const nodes: Element[] = [el('line', {x1: left, x2: right, y1: y, y2: y, stroke: 'currentColor'})]
  // A tick's label is left out when it would touch the last one written (dense log ticks on a narrow axis).
  let lastRight = -Infinity
  for (const tick of scale.ticks) {
    const x = scale(tick)
    nodes.push(el('line', {x1: x, x2: x, y1: y, y2: y + 5, stroke: 'currentColor'}))
    const text = format(tick)
    const half = labelWidth(text) / 2
    if (x - half < lastRight + 6) continue
    lastRight = x + half
    nodes.push(el('text', {x, y: y + 20, textAnchor: 'middle', fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: text}]))
  }
  nodes.push(el('text', {x: round((left + right) / 2), y: y + 42, textAnchor: 'middle', fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: label}]))
  return nodes
}

function axisY(scale: Scale, format: (value: number) => string, label: string, x: number, top: number, bottom: number): Element[] {
  const nodes: Element[] = [el('line', {x1: x, x2: x, y1: top, y2: bottom, stroke: 'currentColor'})]
  for (const tick of scale.ticks) {
    const y = scale(tick)
    nodes.push(el('line', {x1: x - 5, x2: x, y1: y, y2: y, stroke: 'currentColor'}))
    nodes.push(el('text', {x: x - 8, y: round(y + FONT * 0.35), textAnchor: 'end', fontSize: FONT, fill: 'currentColor'}, [{type: 'text', value: format(tick)}]))
  }
  const middle = round((top + bottom) / 2)
  nodes.push(el('text', {x: BASELINE, y: middle, textAnchor: 'middle', fontSize: FONT, fill: 'currentColor', transform: `rotate(-90 ${BASELINE} ${middle})`}, [{type: 'text', value: label}]))
  return nodes
}

/** A marker per group: circle, square, triangle, diamond, then again (shape, not colour, tells groups apart). */
function marker(group: number, x: number, y: number, highlight: boolean): Element {
  const r = highlight ? 5 : 4
  const style = {fill: highlight ? 'currentColor' : 'none', stroke: 'currentColor', strokeWidth: highlight ? 2 : 1.5}
  switch (group % 4) {
    case 1:
      return el('rect', {x: round(x - r), y: round(y - r), width: 2 * r, height: 2 * r, ...style})
    case 2:
      return el('path', {d: `M${x} ${round(y - r)}L${round(x + r)} ${round(y + r)}L${round(x - r)} ${round(y + r)}Z`, ...style})
    case 3:
      return el('path', {d: `M${x} ${round(y - r)}L${round(x + r)} ${y}L${x} ${round(y + r)}L${round(x - r)} ${y}Z`, ...style})
    default:
      return el('circle', {cx: x, cy: y, r, ...style})
  }
}

/**
 * A legend across the top: a swatch and a name per entry, left to right,
 * starting a new row when the next entry would pass the drawing's right edge.
 * Returns its nodes and the height it takes.
 */
function legendOf(names: readonly string[], swatch: (index: number, x: number, y: number) => Element): {nodes: Element[]; height: number} {
  const nodes: Element[] = []
  let x = 8
  let y = 6
  for (const [index, name] of names.entries()) {
    const width = 16 + labelWidth(name)
    if (x > 8 && x + width > WIDTH - 8) {
      x = 8
      y += LINE + 4
    }
    nodes.push(swatch(index, x, y))
    nodes.push(el('text', {x: x + 16, y: y + BASELINE, fontSize: FONT, fill: 'currentColor', className: ['galley-chart-legend']}, [{type: 'text', value: name}]))
    x += width + 16
  }
  return {nodes, height: y + LINE + 8}
}

/** A hast element with its undefined properties left out. */
export function el(tagName: string, properties: Record<string, string | number | string[] | undefined>, children: ElementContent[] = []): Element {
  const kept: Record<string, string | number | string[]> = {}
  for (const [key, value] of Object.entries(properties)) if (value !== undefined) kept[key] = value
  return {type: 'element', tagName, properties: kept, children}
}

/** Rounded to two decimals (short, stable coordinates). */
function round(value: number): number {
  return Math.round(value * 100) / 100 || 0
}
