/**
 * The text of a reading-list line before its paper link, read into title,
 * authors and date, with the offset of each part so the line can be marked
 * up without changing a character. Three forms:
 *
 * - `Title by Authors (date), ` — the seed's reading lists;
 * - `Title, Authors (date), `;
 * - `Authors. Title. ` (and `Authors (date). Title. `).
 *
 * The authors must read as a list of names (`Wu, Wang, Xiao, et al.`,
 * `Luo, Hengzu, and Li`), so ordinary prose before a link is not taken for
 * a reference.
 */
export interface ReferenceParts {
  readonly title: Span
  readonly authors: Span
  readonly date: Span | undefined
}

/** `[start, end)` offsets into the text. */
export interface Span {
  readonly start: number
  readonly end: number
}

const particle = "(?:van|von|der|den|de|di|da|del|la|le|du|al|bin|ibn|dos|das|ter|zu)"
const word = "\\p{Lu}[\\p{L}\\p{M}'’.-]*"
const name = `(?:(?:${word}|${particle})\\s){0,3}${word}`
const separator = "(?:,\\s+and\\s+|\\s+and\\s+|,\\s+|\\s*&\\s*)"
const etAl = "(?:,?\\s+et\\s+al\\.?)"
const authorList = new RegExp(`^${name}(?:${separator}${name}){0,40}${etAl}?$`, 'u')
const date = /^(.*?)\s+\(([^()]*\d[^()]*)\)$/su

/** Whether `text` reads as a list of author names. */
export function isAuthorList(text: string): boolean {
  return text.length <= 600 && authorList.test(text.trim()) && text.trim() === text
}

/** Read `text` (everything on the line before the link) as a reference, or undefined when it is none. */
export function readReference(text: string): ReferenceParts | undefined {
  if (text.length > 1200) return undefined
  return byForm(text) ?? commaForm(text) ?? periodForm(text)
}

/** `Title by Authors (date), ` — the last ` by ` after which a list of names follows. */
function byForm(text: string): ReferenceParts | undefined {
  const head = /^(.*?),?\s+\(([^()]*\d[^()]*)\),\s*$/su.exec(text)
  const beforeDate = head ? (head[1] as string) : /^(.*?),\s*$/su.exec(text)?.[1]
  if (beforeDate === undefined) return undefined
  let at = beforeDate.lastIndexOf(' by ')
  while (at > 0) {
    const authors = beforeDate.slice(at + 4)
    if (isAuthorList(authors)) return parts(text, beforeDate, 0, at, at + 4, head ? (head[2] as string) : undefined)
    at = beforeDate.lastIndexOf(' by ', at - 1)
  }
  return undefined
}

/** `Title, Authors (date), ` — the first comma after which a list of names follows (a date is required). */
function commaForm(text: string): ReferenceParts | undefined {
  const head = /^(.*?),?\s+\(([^()]*\d[^()]*)\),\s*$/su.exec(text)
  if (!head) return undefined
  const beforeDate = head[1] as string
  for (let at = beforeDate.indexOf(', '); at > 0; at = beforeDate.indexOf(', ', at + 1)) {
    if (isAuthorList(beforeDate.slice(at + 2))) return parts(text, beforeDate, 0, at, at + 2, head[2] as string)
  }
  return undefined
}

/** `Authors. Title. ` or `Authors (date). Title. ` */
function periodForm(text: string): ReferenceParts | undefined {
  const match = /^(.+?)\.\s+(\S.*?)[.,]\s*$/su.exec(text)
  if (!match) return undefined
  let authorsText = match[1] as string
  let dateSpan: Span | undefined
  const dated = date.exec(authorsText)
  if (dated) {
    const dateStart = authorsText.lastIndexOf('(') + 1
    dateSpan = {start: dateStart, end: dateStart + (dated[2] as string).length}
    authorsText = dated[1] as string
  }
  if (!isAuthorList(authorsText)) return undefined
  const titleStart = text.indexOf(match[2] as string, (match[1] as string).length + 1)
  const title = {start: titleStart, end: titleStart + (match[2] as string).length}
  if (title.end - title.start < 3) return undefined
  return {authors: {start: 0, end: authorsText.length}, title, date: dateSpan}
}

function parts(text: string, beforeDate: string, titleStart: number, titleEnd: number, authorsStart: number, dateText: string | undefined): ReferenceParts | undefined {
  const title = {start: titleStart, end: titleEnd}
  if (text.slice(titleStart, titleEnd).trim().length < 3) return undefined
  const authors = {start: authorsStart, end: beforeDate.length}
  if (dateText === undefined) return {title, authors, date: undefined}
  const dateStart = text.lastIndexOf('(') + 1
  return {title, authors, date: {start: dateStart, end: dateStart + dateText.length}}
}
