import type {Properties} from 'hast'
import type {Data} from 'mdast'
import type {} from 'mdast-util-to-hast'

/**
 * kramdown's attribute lists, read and checked: the part between `{:` and
 * `}` of an inline attribute list (IAL, `{: .class #id key="value" ref}`) or
 * of an attribute list definition (ALD, `{:ref: .class}`). Shared by the
 * kramdown plugins; not a plugin itself.
 */
export interface AttributeList {
  /** `#id` or `id="…"`, the last one written. */
  readonly id: string | undefined
  /** `.name` and the words of `class="…"`, in order. */
  readonly classes: readonly string[]
  /** Every other `key="value"` (or `key='value'`), in order. */
  readonly attributes: ReadonlyArray<readonly [string, string]>
  /** Bare names: references to definitions (`toc` is kramdown's own). */
  readonly refs: readonly string[]
  /** What could not be read or is not a valid name, one sentence each. */
  readonly problems: readonly string[]
}

/** A whole line that is one block IAL: `{: .class}`, `{:.class}`, `{:toc}` (not `{::…}` or `{:/}`). */
export const blockIalLine = /^[ \t]{0,3}\{:(?![:/])((?:\\\}|[^}])+)\}[ \t]*$/
/** A whole line that is one attribute list definition: `{:name: .class #id}`. */
export const aldLine = /^[ \t]{0,3}\{:(\w[\w-]*):((?:\\\}|[^}])+)\}[ \t]*$/
/** A span IAL at the start of a text: `{: .btn}` right after a link, image or emphasis. */
export const spanIalStart = /^\{:(?![:/])((?:\\\}|[^}\n])+)\}/
/** Any span IAL inside a text (after plain text, where it attaches to nothing). */
export const spanIalAnywhere = /\{:(?![:/])(?:\\\}|[^}\n])+\}/g

/** Class names: word characters, `-`, `:` and `/` (Tailwind-style `md:w-1/2`); never quotes, `<`, `>` or `&`. */
const className = /^[\w-][\w:/-]*$/
/** Ids as kramdown reads them: a letter, then word characters, `-`, `:` or `.`. */
const idName = /^[A-Za-z][\w:.-]*$/
/** Attribute names: what HTML accepts without escaping. */
const keyName = /^[A-Za-z_][\w:.-]*$/

const token = /\s*(?:([^\s=.#"'][^\s="']*)=(?:"((?:\\.|[^"\\])*)"|'((?:\\.|[^'\\])*)')|\.([^\s.#]+)|#([^\s.#]+)|([^\s"'=]+))/y

/** Read the inside of `{:…}`. Nothing throws: what is not understood becomes a problem. */
export function parseAttributeList(text: string): AttributeList {
  let id: string | undefined
  const classes: string[] = []
  const attributes: Array<[string, string]> = []
  const refs: string[] = []
  const problems: string[] = []
  token.lastIndex = 0
  let offset = 0
  while (offset < text.length) {
    if (text.slice(offset).trim() === '') break
    token.lastIndex = offset
    const match = token.exec(text)
    if (!match) {
      const rest = text.slice(offset).trim()
      problems.push(`cannot read \`${rest}\` in an attribute list`)
      break
    }
    offset = token.lastIndex
    const [, key, double, single, dotted, hashed, bare] = match
    if (key !== undefined) {
      const value = (double ?? single ?? '').replace(/\\(.)/g, '$1')
      if (!keyName.test(key)) problems.push(`\`${key}\` is not a valid attribute name`)
      else if (key === 'class') for (const name of value.split(/\s+/).filter(Boolean)) addClass(name)
      else if (key === 'id') setId(value)
      else attributes.push([key, value])
    } else if (dotted !== undefined) addClass(dotted)
    else if (hashed !== undefined) setId(hashed)
    else if (bare !== undefined) {
      if (/^\w[\w-]*$/.test(bare)) refs.push(bare)
      else problems.push(`\`${bare}\` is not a class (\`.name\`), an id (\`#name\`), an attribute (\`key="value"\`) or a reference`)
    }
  }
  return {id, classes, attributes, refs, problems}

  function addClass(name: string): void {
    if (className.test(name)) classes.push(name)
    else problems.push(`\`${name}\` is not a valid class name`)
  }

  function setId(name: string): void {
    if (idName.test(name)) id = name
    else problems.push(`\`${name}\` is not a valid id`)
  }
}

/** `second` after `first`: classes added, id and attributes of `second` winning, references of both. */
export function mergeAttributeLists(first: AttributeList, second: AttributeList): AttributeList {
  return {
    id: second.id ?? first.id,
    classes: [...first.classes, ...second.classes],
    attributes: [...first.attributes, ...second.attributes],
    refs: [...first.refs, ...second.refs],
    problems: [...first.problems, ...second.problems]
  }
}

/**
 * Put the attributes on an mdast node as `data.hProperties`, which
 * remark-rehype copies onto the element it makes; classes add to the ones
 * already there, the id and other attributes replace theirs.
 */
export function applyAttributeList(node: {data?: Data | undefined}, list: AttributeList): void {
  if (list.id === undefined && list.classes.length === 0 && list.attributes.length === 0) return
  const data = (node.data ??= {})
  const properties: Properties = (data.hProperties ??= {})
  if (list.classes.length > 0) {
    const existing: unknown = properties.className
    const before = Array.isArray(existing) ? existing.map(String) : typeof existing === 'string' ? existing.split(/\s+/).filter(Boolean) : []
    properties.className = [...before, ...list.classes.filter((name) => !before.includes(name))]
  }
  if (list.id !== undefined) properties.id = list.id
  for (const [key, value] of list.attributes) properties[key] = value
}
