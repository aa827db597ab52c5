import {createHash} from 'node:crypto'
import type {Element, ElementContent, Properties, Root, Text} from 'hast'
import type {BundledLanguage, BundledTheme, createHighlighter, ThemedTokenWithVariants, ThemeRegistrationResolved, TokenStyles} from 'shiki'
import {visit} from './walk.js'
import type {VFile} from 'vfile'
import {report} from '../report.js'

/** The pair of shiki themes code follows: `light` by default, `dark` under `prefers-color-scheme: dark`. */
export interface CodeThemes {
  readonly light: BundledTheme
  readonly dark: BundledTheme
}

export interface CodeHighlighterOptions {
  /**
   * The bundled shiki themes to use.
   * Default: `{light: 'github-light', dark: 'github-dark'}`.
   */
  readonly themes?: CodeThemes
}

/**
 * Shiki behind a small interface, created lazily: nothing is imported or
 * compiled until the first block needs it, and each grammar is loaded the
 * first time a block in that language turns up. Uses shiki's JavaScript
 * regex engine (no WebAssembly, nothing fetched at run time).
 *
 * Output is class-based (`l-<hex>` / `d-<hex>` for the light and dark colour
 * of a token, `l-i`, `d-b`, … for font styles), never `style` attributes;
 * `stylesheet()` returns the CSS for every class it can emit.
 */
export interface CodeHighlighter {
  readonly themes: CodeThemes
  /**
   * The shiki language id for a fence language: `py` → `python`, `c++` →
   * `cpp`, `text`/`plaintext`/`none` → `text` (plain); `undefined` when shiki
   * has no such language.
   */
  language(name: string): Promise<string | undefined>
  /** `code` highlighted as `language` (an id from `language()`): a `pre.shiki > code` element, without positions. */
  highlight(code: string, language: string): Promise<Element>
  /** CSS for every class `highlight` can emit (colours and font styles of both themes, dark ones under the media query). */
  stylesheet(): Promise<string>
}

export interface HighlightCodeOptions {
  /**
   * Highlighted blocks by content hash (sha1 of language, themes and code),
   * holding elements without positions; hits are cloned. Pass one Map to every
   * processor of a build and keep it across rebuilds so unchanged blocks cost
   * nothing.
   * Default: a fresh Map per attacher.
   */
  readonly cache?: Map<string, Element>
  /**
   * The highlighter to use; share one across processors so grammars are
   * loaded once per process.
   * Default: one `createCodeHighlighter()` per attacher, created on first use.
   */
  readonly highlighter?: CodeHighlighter
}

const defaultThemes: CodeThemes = Object.freeze({light: 'github-light', dark: 'github-dark'})
const emptyOptions: HighlightCodeOptions = Object.freeze({})
const emptyHighlighterOptions: CodeHighlighterOptions = Object.freeze({})

/** Fence languages that mean “no highlighting”: rendered plain, without a warning. */
const plainNames = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'none', 'nohighlight'])

/** Names shiki does not know that authors write anyway; shiki's own aliases (`py`, `sh`, `yml`, `c++`, `console`…) apply too. */
const extraAliases: Readonly<Record<string, string>> = {python3: 'python', py3: 'python'}

/** Classes of blocks that are math, not code: left for KaTeX (` ```math `, remark-math), or TeX it could not render. */
const mathClasses = new Set(['language-math', 'math-display', 'math-inline', 'math-error'])

/** Shiki's font style bits (`FontStyle` in vscode-textmate, a const enum we cannot import). */
const italic = 1
const bold = 2
const underline = 4
const strikethrough = 8

/**
 * Highlight fenced code (`pre > code.language-xxx`, as remark-rehype writes
 * it, or the same written as raw HTML) at build time with shiki, in two
 * themes that follow the reader's light/dark preference.
 *
 * A block without a language, or with `text`/`plaintext`/`none`, is rendered
 * plain in the same frame. An unknown language is rendered plain and reported
 * as a warning (`code-language`). Blocks whose `code` holds markup rather than
 * just text (raw HTML written by the author), and math blocks (left for
 * KaTeX), are not touched. The new `pre` and `code` keep the positions of the
 * ones they replace, and the `code` keeps its `language-xxx` class.
 */
export function rehypeHighlightCode(options: HighlightCodeOptions = emptyOptions) {
  const cache = options.cache ?? new Map<string, Element>()
  let highlighter = options.highlighter
  return async function transform(tree: Root, file: VFile): Promise<void> {
    const blocks: Array<{pre: Element; code: Element}> = []
    visit(tree, 'element', (node: Element) => {
      if (node.tagName !== 'pre') return
      const code = onlyCodeChild(node)
      if (code && code.children.every((child) => child.type === 'text') && !classesOf(code).some((name) => mathClasses.has(name))) {
        blocks.push({pre: node, code})
      }
    })
    if (blocks.length === 0) return
    highlighter ??= createCodeHighlighter()
    for (const {pre, code} of blocks) {
      const written = fenceLanguage(code)
      const value = code.children.map((child) => (child.type === 'text' ? child.value : '')).join('').replace(/\r?\n$/, '')
      let highlighted: Element
      try {
        let language = await highlighter.language(written)
        if (language === undefined) {
          report(file, {reason: `unknown code language "${written}": shown as plain text`, ruleId: 'code-language', severity: 'warning', place: pre.position})
          language = 'text'
        }
        highlighted = await cached(cache, highlighter, value, language)
      } catch (error) {
        report(file, {
          reason: `could not highlight code as "${written}": ${error instanceof Error ? error.message : String(error)}; left as written`,
          ruleId: 'code-language',
          severity: 'warning',
          place: pre.position,
          cause: error
        })
        continue
      }
      replace(pre, code, highlighted)
    }
  }
}

/** One highlighter per pair of themes for the whole process: shiki is meant to be a singleton (each instance compiles its grammars again). */
const highlighters = new Map<string, CodeHighlighter>()

/**
 * The shiki highlighter, lazily: see `CodeHighlighter`. One per process and
 * pair of themes, whoever asks (every build of a preview session, every
 * worker's renderer), so grammars are compiled once.
 */
export function createCodeHighlighter(options: CodeHighlighterOptions = emptyHighlighterOptions): CodeHighlighter {
  const themes = options.themes ?? defaultThemes
  const key = `${themes.light}\0${themes.dark}`
  let highlighter = highlighters.get(key)
  if (!highlighter) highlighters.set(key, (highlighter = newHighlighter(options)))
  return highlighter
}

function newHighlighter(options: CodeHighlighterOptions): CodeHighlighter {
  const themes = options.themes ?? defaultThemes
  let loading: Promise<Loaded> | undefined
  const languages = new Map<string, Promise<void>>()

  function load(): Promise<Loaded> {
    loading ??= start(themes)
    return loading
  }

  return {
    themes,
    async language(name) {
      const wanted = name.trim().toLowerCase()
      if (plainNames.has(wanted)) return 'text'
      const {aliases} = await load()
      return aliases.get(extraAliases[wanted] ?? wanted)
    },
    async highlight(code, language) {
      const loaded = await load()
      if (language !== 'text') {
        let pending = languages.get(language)
        if (!pending) {
          pending = loaded.shiki.loadLanguage(language as BundledLanguage)
          languages.set(language, pending)
        }
        await pending
      }
      // No time limit: shiki's default (500 ms a line) leaves the rest of a line untokenised when the machine is
      // busy (a cold grammar, another build on the other core), so the same code came out differently.
      const lines = loaded.shiki.codeToTokensWithThemes(code, {lang: language as BundledLanguage, themes: {light: themes.light, dark: themes.dark}, tokenizeTimeLimit: 0})
      return render(lines, loaded.light, loaded.dark)
    },
    async stylesheet() {
      const {light, dark} = await load()
      return stylesheetOf(themes, light, dark)
    }
  }
}

/** CSS for the classes of highlighted code in `themes` (default github-light/github-dark), for `/assets/css/code.css`. */
export async function codeStylesheet(options: CodeHighlighterOptions = emptyHighlighterOptions): Promise<string> {
  return createCodeHighlighter(options).stylesheet()
}

/** What a theme contributes: its default colours and every colour its rules can give a token (lower case). */
interface Palette {
  readonly fg: string
  readonly bg: string
  readonly colors: ReadonlySet<string>
}

interface Loaded {
  readonly shiki: Awaited<ReturnType<typeof createHighlighter>>
  /** Every fence name shiki knows (ids and aliases) → its id. */
  readonly aliases: ReadonlyMap<string, string>
  readonly light: Palette
  readonly dark: Palette
}

/** How many shiki highlighters this thread has started (see {@link startedHighlighters}). */
let started = 0

/**
 * How many shiki highlighters this thread has started: one per pair of
 * themes for its whole life, however many builds, config reloads and
 * processors ask for one (a test of the preview checks it stays at one).
 */
export function startedHighlighters(): number {
  return started
}

async function start(themes: CodeThemes): Promise<Loaded> {
  started++
  const [{createHighlighter, bundledLanguagesInfo}, {createJavaScriptRegexEngine}] = await Promise.all([import('shiki'), import('shiki/engine/javascript')])
  const shiki = await createHighlighter({themes: [themes.light, themes.dark], langs: [], engine: createJavaScriptRegexEngine()})
  const aliases = new Map<string, string>()
  for (const info of bundledLanguagesInfo) {
    aliases.set(info.id, info.id)
    for (const alias of info.aliases ?? []) aliases.set(alias, info.id)
  }
  return {shiki, aliases, light: paletteOf(shiki.getTheme(themes.light)), dark: paletteOf(shiki.getTheme(themes.dark))}
}

function paletteOf(theme: ThemeRegistrationResolved): Palette {
  const fg = theme.fg.toLowerCase()
  const colors = new Set([fg])
  for (const rule of theme.settings) {
    const color = rule.settings?.foreground
    if (color && /^#[\da-f]+$/i.test(color)) colors.add(color.toLowerCase())
  }
  return {fg, bg: theme.bg.toLowerCase(), colors}
}

/** Look `code` up by hash; on a miss highlight and store it. Always returns a clone the caller may change. */
async function cached(cache: Map<string, Element>, highlighter: CodeHighlighter, code: string, language: string): Promise<Element> {
  const key = createHash('sha1').update(`${language}\0${highlighter.themes.light}\0${highlighter.themes.dark}\0${code}`).digest('hex')
  let hit = cache.get(key)
  if (!hit) {
    hit = await highlighter.highlight(code, language)
    cache.set(key, hit)
  }
  return structuredClone(hit)
}

/**
 * Turn `pre` into the highlighted block in place (so its parent and position
 * stay), keeping the author's attributes on `pre` and `code`.
 */
function replace(pre: Element, code: Element, highlighted: Element): void {
  const newCode = onlyCodeChild(highlighted)
  pre.properties = {...pre.properties, ...highlighted.properties, className: [...classesOf(pre), ...classesOf(highlighted)]}
  if (newCode) {
    newCode.properties = {...code.properties}
    if (code.position) newCode.position = code.position
  }
  pre.children = highlighted.children
}

/** Shiki tokens → `pre.shiki > code > span.line…`, one line per `span.line`, lines joined by newlines. */
function render(lines: ThemedTokenWithVariants[][], light: Palette, dark: Palette): Element {
  const children: ElementContent[] = []
  for (const [index, line] of lines.entries()) {
    if (index > 0) children.push({type: 'text', value: '\n'})
    const parts: ElementContent[] = []
    for (const token of line) {
      const className = tokenClasses(token.variants['light'], token.variants['dark'], light, dark)
      const last = parts.at(-1)
      if (className.length === 0) {
        if (last?.type === 'text') last.value += token.content
        else parts.push({type: 'text', value: token.content})
      } else if (last?.type === 'element' && sameClasses(classesOf(last), className)) {
        const text = last.children[0] as Text
        text.value += token.content
      } else {
        parts.push({type: 'element', tagName: 'span', properties: {className}, children: [{type: 'text', value: token.content}]})
      }
    }
    children.push({type: 'element', tagName: 'span', properties: {className: ['line']}, children: parts})
  }
  const properties: Properties = {className: ['shiki'], tabIndex: 0}
  return {type: 'element', tagName: 'pre', properties, children: [{type: 'element', tagName: 'code', properties: {}, children}]}
}

/**
 * Classes for one token. A span with a light colour class always gets a dark
 * one too, so the dark rules (later, same specificity) replace every light
 * colour without resets; a colour the theme's rules do not list falls back to
 * the default colour.
 */
function tokenClasses(light: TokenStyles | undefined, dark: TokenStyles | undefined, lightPalette: Palette, darkPalette: Palette): string[] {
  const lightColor = knownColor(light?.color, lightPalette)
  const darkColor = knownColor(dark?.color, darkPalette)
  const classes: string[] = []
  if (lightColor !== lightPalette.fg) classes.push('l-' + lightColor.slice(1))
  if (classes.length > 0 || darkColor !== darkPalette.fg) classes.push('d-' + darkColor.slice(1))
  classes.push(...fontClasses('l', light?.fontStyle ?? 0), ...fontClasses('d', dark?.fontStyle ?? 0))
  return classes
}

function knownColor(color: string | undefined, palette: Palette): string {
  const lower = color?.toLowerCase()
  return lower && palette.colors.has(lower) ? lower : palette.fg
}

function fontClasses(prefix: 'l' | 'd', style: number): string[] {
  if (style <= 0) return []
  const classes: string[] = []
  if (style & italic) classes.push(prefix + '-i')
  if (style & bold) classes.push(prefix + '-b')
  const decoration = (style & underline ? 'u' : '') + (style & strikethrough ? 's' : '')
  if (decoration) classes.push(prefix + '-' + decoration)
  return classes
}

function stylesheetOf(themes: CodeThemes, light: Palette, dark: Palette): string {
  const rules = (prefix: 'l' | 'd', palette: Palette): string[] => [
    `.shiki { color: ${palette.fg}; background-color: ${palette.bg}; }`,
    ...[...palette.colors].sort().map((color) => `.shiki .${prefix}-${color.slice(1)} { color: ${color}; }`),
    `.shiki .${prefix}-i { font-style: italic; }`,
    `.shiki .${prefix}-b { font-weight: bold; }`,
    `.shiki .${prefix}-u { text-decoration-line: underline; }`,
    `.shiki .${prefix}-s { text-decoration-line: line-through; }`,
    `.shiki .${prefix}-us { text-decoration-line: underline line-through; }`
  ]
  return [
    `/* Code highlighting: generated by Galley from the shiki themes ${themes.light} (light) and ${themes.dark} (dark). */`,
    ...rules('l', light),
    '',
    '@media (prefers-color-scheme: dark) {',
    '  /* Undo the light font styles, then apply the dark colours and styles (same specificity, later wins). */',
    '  .shiki .l-i { font-style: normal; }',
    '  .shiki .l-b { font-weight: normal; }',
    '  .shiki .l-u, .shiki .l-s, .shiki .l-us { text-decoration-line: none; }',
    ...rules('d', dark).map((rule) => '  ' + rule),
    '}',
    ''
  ].join('\n')
}

/** The fence language written on a `code` element (`language-py` → `py`), or '' for none. */
function fenceLanguage(code: Element): string {
  for (const name of classesOf(code)) if (name.startsWith('language-')) return name.slice('language-'.length)
  return ''
}

/** The `code` element when it is the only child of `pre` (whitespace aside). */
function onlyCodeChild(pre: Element): Element | undefined {
  let found: Element | undefined
  for (const child of pre.children) {
    if (child.type === 'text' && child.value.trim() === '') continue
    if (child.type !== 'element' || child.tagName !== 'code' || found) return undefined
    found = child
  }
  return found
}

function classesOf(node: Element): string[] {
  const value: unknown = node.properties.className
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : []
}

function sameClasses(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index])
}
