import type {Html, Nodes, Parent, Root, RootContent, Text} from 'mdast'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {sourceMayHold} from '../source-check.js'

/** Elements that have no end tag: their start tag opens nothing. */
const voidElements: ReadonlySet<string> = new Set('area base br col command embed hr img input keygen link meta param source track wbr'.split(' '))

/** Start and end tags, and the comments, scripts and styles whose insides hold no tags. */
const tags = /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea)\b[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([A-Za-z][\w:.-]*)(?:\s(?:"[^"]*"|'[^']*'|[^'">])*?)?(\/?)>/gi

/** kramdown's HTML_TAG_RE, the whole of an inline HTML node: attribute values unquoted only when they are word characters. */
const kramdownStartTag = /^<[A-Za-z_:][\w:.-]*\s*(?:\s+[A-Za-z_:][\w:.-]*(?:\s*=\s*(?:[\p{L}\p{N}_]+|"[^"]*"|'[^']*'))?)*\s*\/?>$/u

/**
 * Tags that kramdown shows as text, on kramdown sites:
 * - a start tag kramdown cannot read as one (`<a href=https://x.org>`,
 *   `<img src=/a.png>`: an unquoted value with more than word characters),
 *   written inside a line or in a raw HTML block: CommonMark and browsers
 *   take it, kramdown shows it as written (no message: kramdown gives none
 *   either);
 * - an end tag that closes no element (`</a>` after an image, `</span>` left
 * over from an edit) is text on kramdown sites: kramdown shows it as written
 * (`&lt;/a&gt;`), with a warning, where an HTML parser would drop it
 * unseen.
 * - a self-closing start tag of an element that is not void, written
 *   inside a line (`<a href="#x" />`), is the empty element, as kramdown
 *   writes it (`<a href="#x"></a>`): a browser ignores the `/` and the
 *   element would take the rest of the paragraph.
 * Tags are followed through the post in order, raw HTML blocks and
 * inline HTML alike: an end tag is stray when no element of its name is
 * open. Each one is shown as text, with a warning (`kramdown-html`) at its
 * place. Tags inside comments, scripts and styles are not tags. Run after
 * the plugins that re-read HTML content (`markdown="1"`), so the end tags
 * they split off meet their start tags. No options.
 */
export function remarkKramdownTagsAsText() {
  return function transform(tree: Root, file: VFile): void {
    if (!sourceMayHold(file, '<')) return
    const source = file.value === undefined ? undefined : String(file.value)
    let toPoint: ((offset: number) => Point | undefined) | undefined
    const open: string[] = []

    /** The place of `index` in the node's value, when the value is the file's text as written. */
    const placeOf = (node: Html, index: number): Point | undefined => {
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      if (source === undefined || start === undefined || end === undefined || source.slice(start, end) !== node.value) return node.position?.start
      return (toPoint ??= location(source).toPoint)(start + index)
    }
    const warn = (tag: string, place: Point | undefined) => {
      const message = file.message(`\`${tag}\` closes no element: shown as text, as kramdown (Jekyll) shows it (remove it, or write \`&lt;\` for a literal \`<\`)`, {place, ruleId: 'kramdown-html', source: 'galley'})
      message.fatal = false
    }

    /** Follow the tags of an HTML node; the offsets of its stray end tags and of the start tags kramdown cannot read. */
    const follow = (node: Html): Array<{index: number; text: string; unreadable?: boolean}> => {
      const stray: Array<{index: number; text: string; unreadable?: boolean}> = []
      tags.lastIndex = 0
      let match: RegExpExecArray | null
      while ((match = tags.exec(node.value))) {
        const name = match[3]?.toLowerCase()
        if (name === undefined) continue
        if (match[2] !== '/') {
          // A start tag kramdown cannot read is text to it in raw HTML too (and opens nothing).
          if (!kramdownStartTag.test(match[0])) stray.push({index: match.index, text: match[0], unreadable: true})
          else if (match[4] !== '/' && !voidElements.has(name)) open.push(name)
          continue
        }
        const at = open.lastIndexOf(name)
        if (at === -1) stray.push({index: match.index, text: match[0]})
        else open.length = at
      }
      return stray
    }

    const visit = (parent: Parent) => {
      const children = parent.children as RootContent[]
      for (let index = 0; index < children.length; index++) {
        const child = children[index] as RootContent
        if (child.type === 'code' || child.type === 'inlineCode') continue
        if (child.type !== 'html') {
          if ('children' in child) visit(child)
          continue
        }
        if (isPhrasing(parent) && /^<[A-Za-z]/.test(child.value) && !kramdownStartTag.test(child.value)) {
          const text: Text = {type: 'text', value: child.value}
          if (child.position) text.position = child.position
          children[index] = text
          continue
        }
        // `<a href="#x" />` closes itself in kramdown; an HTML parser would open an `a` that takes the rest of the paragraph.
        if (isPhrasing(parent)) child.value = closedSelfClosing(child.value)
        const stray = follow(child)
        if (stray.length === 0) continue
        for (const {index: at, text, unreadable} of stray) if (!unreadable) warn(text, placeOf(child, at))
        if (parent.type !== 'root' && isPhrasing(parent) && stray.length === 1 && (stray[0] as {text: string}).text === child.value) {
          // Inline: the tag becomes a text node.
          const text: Text = {type: 'text', value: child.value}
          if (child.position) text.position = child.position
          children[index] = text
          continue
        }
        let value = ''
        let last = 0
        for (const {index: at, text} of stray) {
          value += child.value.slice(last, at) + '&lt;' + text.slice(1, -1) + '&gt;'
          last = at + text.length
        }
        child.value = value + child.value.slice(last)
      }
    }
    visit(tree as Nodes as Parent)
  }
}

/** `<x … />` of an element that is not void as `<x …></x>`; anything else as it is. */
function closedSelfClosing(value: string): string {
  const match = /^<([A-Za-z][\w:.-]*)([\s\S]*?)\s*\/>$/.exec(value)
  if (!match || voidElements.has((match[1] as string).toLowerCase())) return value
  return `<${match[1]}${match[2]}></${match[1]}>`
}

function isPhrasing(parent: Parent): boolean {
  return !['root', 'blockquote', 'list', 'listItem', 'footnoteDefinition'].includes(parent.type)
}
