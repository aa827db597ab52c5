import type {Element, ElementContent, RootContent} from 'hast'

/**
 * A copy of excerpt blocks without what only makes sense on the post's own
 * page: citation cards (their text would run into the description) and
 * footnote references go, and citation links (`#ref-…`) become their text,
 * so a listing or feed never links to an id it lacks.
 */
export function excerptSafe(nodes: readonly RootContent[]): RootContent[] {
  return nodes.flatMap((node) => clean(node as ElementContent)) as RootContent[]
}

function clean(node: ElementContent): ElementContent[] {
  if (node.type !== 'element') return [node]
  const classes = (node.properties.className as string[] | undefined) ?? []
  if (classes.includes('citation-card') || classes.includes('sidenote')) return []
  if (node.tagName === 'sup' && node.children.some((child) => child.type === 'element' && child.tagName === 'a' && isNoteRef(child))) return []
  const children = node.children.flatMap(clean)
  if (node.tagName === 'a' && node.properties.role === 'doc-biblioref') return children
  return [{...node, children}]
}

function isNoteRef(link: Element): boolean {
  return link.properties.dataFootnoteRef !== undefined || link.properties.role === 'doc-noteref'
}
