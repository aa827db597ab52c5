import type {Element, ElementContent, Properties} from 'hast'
import type {Table, TableRow} from 'mdast'
import type {State} from 'mdast-util-to-hast'
import {defaultHandlers} from 'remark-rehype'
import type {RowPlace} from './kramdown-table-layout.js'
import './mdast-kramdown-table.js'

/**
 * remark-rehype's handler for `table` on kramdown sites: a table read by
 * kramdown's rule (its rows carry `data.kramdownSection`) becomes kramdown's
 * markup: a `<thead>` (of `<th>`) only when the table has head rows, each
 * body its own `<tbody>`, the footer a `<tfoot>`; every row as wide as the
 * widest, an empty cell holding a no-break space, and the alignment as
 * `style="text-align: …"`. Any other table gets remark-rehype's own markup.
 */
export function kramdownTableHandler(state: State, node: Table): Element {
  if (!node.children.every((row) => row.data?.kramdownSection)) return defaultHandlers.table(state, node) as Element
  const columns = Math.max(node.align?.length ?? 0, ...node.children.map((row) => row.children.length))
  const sections: Element[] = []
  let open: {place: RowPlace; element: Element; rows: TableRow[]} | undefined
  const close = () => {
    if (!open) return
    const first = open.rows[0]
    const last = open.rows[open.rows.length - 1]
    if (first?.position && last?.position) open.element.position = {start: first.position.start, end: last.position.end}
    open.element.children = state.wrap(open.element.children, true)
    sections.push(open.element)
  }
  for (const row of node.children) {
    const place = row.data?.kramdownSection as RowPlace
    if (!open || open.place.group !== place.group) {
      close()
      open = {place, element: {type: 'element', tagName: place.section, properties: {}, children: []}, rows: []}
    }
    open.rows.push(row)
    open.element.children.push(rowElement(state, row, place.section === 'thead' ? 'th' : 'td', node.align ?? [], columns))
  }
  close()
  const result: Element = {type: 'element', tagName: 'table', properties: {}, children: state.wrap(sections, true)}
  state.patch(node, result)
  return state.applyData(node, result)
}

function rowElement(state: State, row: TableRow, tagName: 'th' | 'td', align: Table['align'] & {}, columns: number): Element {
  const cells: ElementContent[] = []
  for (let index = 0; index < columns; index++) {
    const cell = row.children[index]
    const alignment = align[index]
    const properties: Properties = alignment ? {style: `text-align: ${alignment}`} : {}
    let result: Element = {type: 'element', tagName, properties, children: []}
    if (cell) {
      result.children = state.all(cell)
      state.patch(cell, result)
      result = state.applyData(cell, result)
    }
    // kramdown writes a no-break space into an empty cell.
    if (result.children.length === 0) result.children = [{type: 'text', value: '\u00a0'}]
    cells.push(result)
  }
  const result: Element = {type: 'element', tagName: 'tr', properties: {}, children: state.wrap(cells, true)}
  state.patch(row, result)
  return state.applyData(row, result)
}
