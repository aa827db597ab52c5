import type {Nodes} from 'mdast'
import type {Point} from 'unist'

/**
 * Move every position in `tree`, parsed from a piece of the file on its
 * own, to where the piece is in the file: `base` is the place of the
 * piece's first character (columns move on the piece's first line only).
 * With no base the positions are dropped, so nothing points at the wrong
 * place. For the kramdown plugins that re-read part of a post.
 */
export function shiftPositions(tree: Nodes, base: Point | undefined): void {
  const move = (point: Point): Point =>
    ({
      line: point.line + (base as Point).line - 1,
      column: point.line === 1 ? point.column + (base as Point).column - 1 : point.column,
      offset: point.offset === undefined || base?.offset === undefined ? undefined : point.offset + base.offset
    }) as Point
  const visit = (node: Nodes) => {
    if (node.position) {
      if (base) node.position = {start: move(node.position.start), end: move(node.position.end)}
      else delete node.position
    }
    if ('children' in node) for (const child of node.children) visit(child)
  }
  visit(tree)
}
