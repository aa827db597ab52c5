import type {Element, Root as HastRoot, Text as HastText} from 'hast'
import type {Nodes as MdastNodes, Parent as MdastParent} from 'mdast'

/**
 * A tree walk for our own plugins, with unist-util-visit's contract for the
 * two tests they use (`'element'` and any mdast/hast `type`): the visitor
 * gets `(node, index, parent)` in preorder; returning `SKIP` skips the
 * node's children, `EXIT` stops the walk, and returning a number continues
 * with the sibling at that index (after the visitor replaced or removed
 * nodes).
 *
 * Why not unist-util-visit itself: for every node it visits it builds a
 * closure and renames it with `Object.defineProperty` (a debugging aid),
 * which was ~5 % of a build's time across a dozen plugins walking every post.
 */
export const CONTINUE = undefined
export const SKIP = 'skip'
export const EXIT = false

export type Action = typeof CONTINUE | typeof SKIP | typeof EXIT | number | void

interface AnyParent {
  readonly type: string
  children: AnyNode[]
}
interface AnyNode {
  readonly type: string
  children?: AnyNode[]
}

type Visitor<T, P> = (node: T, index: number | undefined, parent: P | undefined) => Action

/** Visit every hast element. */
export function visit(tree: HastRoot | Element, test: 'element', visitor: Visitor<Element, HastRoot | Element>): void
/** Visit every hast text node. */
export function visit(tree: HastRoot | Element, test: 'text', visitor: Visitor<HastText, HastRoot | Element>): void
/** Visit every mdast node of `type`. */
export function visit<T extends MdastNodes['type']>(tree: MdastNodes, test: T, visitor: Visitor<Extract<MdastNodes, {type: T}>, MdastParent>): void
export function visit(tree: unknown, test: string, visitor: Visitor<never, never>): void {
  visitNode(tree as AnyNode, undefined, undefined, test, visitor as unknown as AnyVisitor)
}

type AnyVisitor = (node: AnyNode, index: number | undefined, parent: AnyParent | undefined) => Action

/**
 * Visit `node`, then (unless told to skip) its children as they are after the
 * visit — the children of `node` itself, even if the visitor put another node
 * in its place, as unist-util-visit does. Returns the visitor's action.
 */
function visitNode(node: AnyNode, index: number | undefined, parent: AnyParent | undefined, test: string, visitor: AnyVisitor): Action {
  const action = node.type === test ? visitor(node, index, parent) : CONTINUE
  if (action === EXIT) return EXIT
  const children = node.children
  if (children && action !== SKIP) {
    let offset = 0
    while (offset < children.length) {
      const result = visitNode(children[offset] as AnyNode, offset, node as AnyParent, test, visitor)
      if (result === EXIT) return EXIT
      offset = typeof result === 'number' ? result : offset + 1
    }
  }
  return action
}
