// Shared by the tool adapters: paths, temp sites, and the two kinds of edit.
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const benchDir = path.join(root, 'bench')
export const heroImage = path.join(root, 'test/fixtures/sites/seed-mirror/assets/ahead_of_ai.png')

/** A new temp folder for one tool's site. */
export const tempSite = (prefix) => mkdtempSync(path.join(os.tmpdir(), `${prefix}-`))

/** Writes `text` at `dir/relative`, making its folders. */
export function put(dir, relative, text) {
  const file = path.join(dir, relative)
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, text)
}

/** Appends a sentence (numbered by `round`) to the file: the "one post edit". */
export function appendSentence(file, round) {
  writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n\nThis closing sentence was added by benchmark edit ${round + 1}.\n`)
}

const MARKER = /<!-- bench layout edit \d+ -->/
/**
 * The "one layout edit": a one-line HTML comment after `anchor` in an existing layout,
 * renumbered on every `round`, so the file's text and every post page's output change.
 */
export function editLayout(file, anchor, round) {
  const text = readFileSync(file, 'utf8')
  const marker = `<!-- bench layout edit ${round + 1} -->`
  const next = MARKER.test(text) ? text.replace(MARKER, marker) : text.replace(anchor, `${anchor}\n${marker}`)
  if (next === text) throw new Error(`${file}: no "${anchor}" to put the layout edit after`)
  writeFileSync(file, next)
}

/** The posts whose page (`outDir` + the post's /YYYY/MM/DD/slug/index.html) was not written. */
export const missingPages = (outDir, posts) => posts.filter((post) => !existsSync(path.join(outDir, post.url, 'index.html')))

/** Front matter lines for a flat object of strings and string lists (plain YAML scalars, as the seed writes them). */
export const frontMatter = (fields) =>
  `---\n${Object.entries(fields)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? `[${value.join(', ')}]` : value}`)
    .join('\n')}\n---\n`

/** `2024-05-12` at midnight in +09:00, the seed's `2024-05-12 00:00:00 +0900`, as RFC 3339. */
export const rfc3339 = (date) => `${date}T00:00:00+09:00`
