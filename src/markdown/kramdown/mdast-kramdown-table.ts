import type {Table, TableCell, TableRow} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import {alignments, footerLine, separatorLine, tableLayout, type LineKind, type RowPlace} from './kramdown-table-layout.js'

declare module 'mdast' {
  interface TableRowData {
    /** Where kramdown puts the row: `<thead>`, `<tbody>` or `<tfoot>`, and which one (a table may have several bodies). */
    kramdownSection?: RowPlace
  }
}

/** What a table collects while its tokens are compiled. */
interface Pending {
  readonly kinds: LineKind[]
  /** The row node of each line; separator lines are taken out of the table. */
  readonly lines: Array<TableRow | undefined>
  readonly separators: Map<number, string>
  /** Whether the table's first line starts with `|`: then each row's first cell is dropped when blank. */
  leadingPipe: boolean | undefined
  /** Cells with nothing but spaces in the source. */
  readonly blank: WeakSet<TableCell>
  /** The current row's cells, one per stretch between dividers (`undefined`: nothing there, so no token). */
  segments: Array<TableCell | undefined>
}

const pendingTables = new WeakMap<Table, Pending>()

/**
 * The mdast of kramdown's tables (micromark-kramdown-table.ts): an mdast
 * `table` of `tableRow`s of `tableCell`s, as GFM's, so the plugins that
 * treat table cells (math, typography, attribute lists) treat these too;
 * separator lines leave no row. As in kramdown, a blank first cell of a row
 * is dropped when the table's first line starts with `|`, and a blank last
 * cell always; `align` comes from the first separator after the head rows,
 * cut or padded to the widest row. Each row's `data.kramdownSection` says
 * where kramdown puts it (see hast-kramdown-table.ts).
 */
export function kramdownTableFromMarkdown(): Extension {
  return {
    enter: {kramdownTable: enterTable, kramdownTableRow: enterRow, kramdownTableCell: enterCell, kramdownTableDivider: enterDivider},
    exit: {kramdownTable: exitTable, kramdownTableRow: exitRow, kramdownTableCell: exitCell}
  }
}

function enterTable(this: CompileContext, token: Token): undefined {
  const node: Table = {type: 'table', align: [], children: []}
  pendingTables.set(node, {kinds: [], lines: [], separators: new Map(), leadingPipe: undefined, blank: new WeakSet(), segments: []})
  this.enter(node, token)
}

function enterRow(this: CompileContext, token: Token): undefined {
  const table = this.stack[this.stack.length - 1] as Table
  const pending = pendingTables.get(table)
  if (pending) pending.segments = [undefined]
  this.enter({type: 'tableRow', children: []}, token)
}

function enterCell(this: CompileContext, token: Token): undefined {
  const cell: TableCell = {type: 'tableCell', children: []}
  const pending = pendingTables.get(this.stack[this.stack.length - 2] as Table)
  if (pending) pending.segments[pending.segments.length - 1] = cell
  this.enter(cell, token)
}

function enterDivider(this: CompileContext): undefined {
  pendingTables.get(this.stack[this.stack.length - 2] as Table)?.segments.push(undefined)
}

function exitCell(this: CompileContext, token: Token): undefined {
  const cell = this.stack[this.stack.length - 1] as TableCell
  const table = this.stack[this.stack.length - 3] as Table
  if (this.sliceSerialize(token).trim() === '') pendingTables.get(table)?.blank.add(cell)
  this.exit(token)
}

function exitRow(this: CompileContext, token: Token): undefined {
  const row = this.stack[this.stack.length - 1] as TableRow
  const table = this.stack[this.stack.length - 2] as Table
  this.exit(token)
  const pending = pendingTables.get(table)
  if (!pending) return
  const line = this.sliceSerialize(token).replace(/[ \t]+$/, '')
  pending.leadingPipe ??= /^[ \t]*\|/.test(line)
  const kind: LineKind = separatorLine.test(line) ? 'separator' : footerLine.test(line) ? 'footer' : 'row'
  pending.kinds.push(kind)
  if (kind !== 'row') {
    table.children.pop()
    pending.lines.push(undefined)
    pending.separators.set(pending.kinds.length - 1, line)
    return
  }
  const cells = pending.segments
  const blank = (cell: TableCell | undefined) => !cell || pending.blank.has(cell)
  if (pending.leadingPipe && cells.length > 0 && blank(cells[0])) cells.shift()
  if (cells.length > 0 && blank(cells[cells.length - 1])) cells.pop()
  row.children = cells.map((cell) => cell ?? {type: 'tableCell', children: []})
  pending.lines.push(row)
}

function exitTable(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Table
  this.exit(token)
  const pending = pendingTables.get(node)
  if (!pending) return
  pendingTables.delete(node)
  const layout = tableLayout(pending.kinds)
  let next = 0
  for (const row of pending.lines) {
    if (!row) continue
    const place = layout.rows[next++]
    if (place) row.data = {...row.data, kramdownSection: place}
  }
  const columns = Math.max(0, ...node.children.map((row) => row.children.length))
  const align = layout.alignmentLine === undefined ? [] : alignments(pending.separators.get(layout.alignmentLine) ?? '')
  node.align = Array.from({length: columns}, (_, index) => align[index] ?? null)
}
