import {existsSync, readFileSync, statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import yaml from 'js-yaml'
import {VFile} from 'vfile'
import {location} from 'vfile-location'
import {optionFile, report} from './report.js'
import {isValidTimeZone} from './content/dates.js'
import {keyLinesOf} from './content/front-matter.js'
import {sourceText} from './content/source-text.js'
import {expandPermalink} from './content/permalink.js'
import {readCollections, type Collection} from './content/collection-settings.js'
import {ZonedDate} from './content/zoned-date.js'
import {SourceReadError} from './io.js'
import {readNav, type NavLink} from './site/nav.js'
import {authorProfile} from './site/author.js'

/** Options given on the command line (or by a test); they override site.yml. */
export interface ConfigOverrides {
  readonly source: string
  /** `--out`: resolved against the current folder (not the source), as any CLI path. */
  readonly out?: string | undefined
  readonly baseUrl?: string | undefined
  readonly drafts?: boolean | undefined
  readonly future?: boolean | undefined
  /** The build's "now" in ms since the epoch; injected so builds are reproducible. */
  readonly now: number
  /** Where the default theme lives (a folder holding layouts/ and assets/). Defaults to this package. */
  readonly themeDir?: string | undefined
  /** Threads that render bodies (`--workers`); default: one per core. */
  readonly workers?: number | undefined
  /** `false` for `--no-cache`: nothing is read from or written to the persistent cache. */
  readonly cache?: boolean | undefined
}

/** Source folders of a site, relative to its root; `undefined` when absent. */
export interface SiteDirs {
  readonly posts: readonly string[]
  readonly drafts: readonly string[]
  readonly layouts: string | undefined
  readonly includes: string | undefined
  /** `data/` or Jekyll's `_data/`: YAML/JSON files read into `site.data`. */
  readonly data: string | undefined
}

/** Embed kinds that become static markup; `false` in site.yml keeps the original markup and script. */
export interface EmbedSwitches {
  readonly substack: boolean
  readonly youtube: boolean
  readonly twitter: boolean
  readonly gist: boolean
}

/** The markdown-related settings of site.yml, resolved. */
export interface MarkdownSettings {
  /**
   * `toc:` — `true` inserts a table of contents in every post, `false` in
   * none, `'auto'` (the default, except on kramdown sites, where it is
   * `false`) in posts with at least four section headings (h2/h3). A post's
   * own `toc:` wins.
   */
  readonly toc: boolean | 'auto'
  /**
   * `figures:` — `'auto'` (the default, except on kramdown sites, where it is
   * `'off'`) turns standalone images with a caption into `<figure>`s,
   * numbers labelled figures, tables and equations and resolves `@fig-…`
   * cross-references; `'off'` leaves the markup as written. A post's own
   * `figures:` wins.
   */
  readonly figures: 'auto' | 'off'
  /** `external_links: {target: _blank}`. */
  readonly externalTarget: string | undefined
  /** `embeds: {substack: false, …}`. */
  readonly embeds: EmbedSwitches
  /** `math: {single_dollar: true}` turns on `$x$` inline math (off: `$100,000` stays text). */
  readonly singleDollarMath: boolean
  /**
   * Read kramdown's syntax on top of CommonMark/GFM (attribute lists, `{:toc}`,
   * `{::nomarkdown}`, `markdown="1"`): on for a Jekyll site (its config file is
   * `_config.yml` and names no other `markdown:` engine) or when the site file
   * says `markdown: kramdown`; off otherwise.
   */
  readonly kramdown: boolean
  /** `kramdown: {parse_block_html: true}`: every HTML block reads as if marked `markdown="1"` (kramdown sites only). */
  readonly kramdownParseBlockHtml: boolean
  /** `kramdown: {toc_levels: 1..4}` (or `[2, 3]`): the heading depths a `{:toc}` lists; default 1 to 6. */
  readonly kramdownTocLevels: readonly number[]
  /**
   * Curly quotes, dashes and ellipses made from `'`, `"`, `--`, `---`, `...`
   * (`typography: true|false`; default: on for kramdown sites, as kramdown
   * does it, off otherwise). Undefined when off; else the four quotes
   * (`kramdown: {smart_quotes: lsquo,rsquo,ldquo,rdquo}`, kramdown's option).
   */
  readonly typography: readonly [string, string, string, string] | undefined
  /**
   * Typeset math at build time (`math: false`, or kramdown's `math_engine:
   * null` on a kramdown site, leave TeX as text for a script of the site's own).
   */
  readonly math: boolean
  /** Draw ```mermaid blocks as SVG at build time (`mermaid: false` keeps them as code). */
  readonly mermaid: boolean
  /**
   * `sidenotes:` — copy each footnote beside its reference for the margin
   * (default on, but off for kramdown sites: a Jekyll theme's stylesheet does
   * not know `.sidenote`, so the copy would show inline, as Jekyll never did).
   */
  readonly sidenotes: boolean
  /** `images:` — mirrored remote images and responsive local ones. */
  readonly images: ImageSettings
}

/**
 * How Liquid treats templates (`liquid:` in the site file, Jekyll's keys).
 * A Jekyll site (`_config.yml`) gets Jekyll's defaults: `error_mode: warn`
 * (a malformed `{{ … }}` is a warning and renders as Ruby Liquid's lax
 * parser reads it), `strict_filters: false` (an unknown filter is a warning
 * and passes its value through) and `strict_variables: false`. Other sites
 * keep Galley's own strictness: `error_mode: strict`, `strict_filters: true`.
 */
export interface LiquidSettings {
  readonly errorMode: 'strict' | 'warn' | 'lax'
  readonly strictFilters: boolean
  readonly strictVariables: boolean
}

/** `images: {remote: mirror, responsive: true, widths: [...], formats: [...], sizes: ...}` in site.yml, resolved. */
export interface ImageSettings {
  /** `mirror` (default): show the copies `galley images pull` recorded instead of remote URLs; `keep`: leave the URLs. */
  readonly remote: 'mirror' | 'keep'
  /** Encode local raster images at several widths and formats, with `srcset`/`sizes` (default on, but for Jekyll sites). */
  readonly responsive: boolean
  /** Widths to make, ascending (only those below an image's own width, plus the own width up to the largest). */
  readonly widths: readonly number[]
  /** Modern formats offered in `<picture>` before the original's (default avif, webp). */
  readonly formats: ReadonlyArray<'avif' | 'webp'>
  /** The `sizes` attribute: how wide the image is shown (default: the theme's text column). */
  readonly sizes: string
}

/** The whole configuration of one build, resolved and frozen. */
export interface SiteConfig {
  /** Absolute site root. */
  readonly source: string
  /** Absolute output folder. */
  readonly out: string
  /**
   * Whether `out` is the conventional `<source>/_site`, chosen by nobody: like
   * Jekyll, a build may replace it even when another tool wrote it.
   */
  readonly outIsDefault: boolean
  /** Absolute folder of the default theme (holds layouts/, layouts/includes/, assets/). */
  readonly themeDir: string
  /** `site.yml` or `_config.yml` relative to the source, when one was read. */
  readonly configFile: string | undefined
  readonly drafts: boolean
  readonly future: boolean
  readonly now: number
  /** Threads that render bodies; 1 renders on the main thread. Never part of a cache key: output is the same either way. */
  readonly workers: number
  /** Whether `workers` was asked for (`--workers`): then threads are used even for a batch too small to gain from them. */
  readonly workersForced: boolean
  /**
   * The persistent cache folder (`cache_dir:`, default `node_modules/.cache/galley` in the site), or
   * undefined with `--no-cache`.
   */
  readonly cacheDir: string | undefined
  /** `''` or a path like `/blog` (leading slash, no trailing slash). */
  readonly baseurl: string
  /** `''` or an origin like `https://example.com` (no trailing slash). */
  readonly url: string
  /** IANA zone name, when the site sets one. */
  readonly timezone: string | undefined
  /**
   * Whether a date with a written offset keeps it when `timezone` is set: true
   * for Galley sites (the author's offset wins), false for Jekyll sites (a
   * `_config.yml`), which convert it to `timezone` as Jekyll does.
   */
  readonly keepWrittenOffset: boolean
  readonly permalink: string
  readonly excerptSeparator: string
  /** Names and globs (relative to the source) that are never read. */
  readonly exclude: readonly string[]
  /**
   * Paths inside the output (`keep_files`, as in Jekyll; default `.git`,
   * `.svn`, `CNAME`) that the user keeps there: each one, and everything under
   * it, survives every build.
   */
  readonly keepFiles: readonly string[]
  readonly dirs: SiteDirs
  /** Jekyll's `collections:` (but `posts`), each read from `_<label>/`, sorted by label. */
  readonly collections: readonly Collection[]
  readonly markdown: MarkdownSettings
  readonly liquid: LiquidSettings
  /** Pages Galley generates: `tag_pages`, `category_pages`, `archive` (each on unless `false`). */
  readonly listings: {readonly tags: boolean; readonly categories: boolean; readonly archive: boolean}
  /** `paginate: N` posts per index page (0: one index with every post), at `paginate_path` (default `/page/:num/`). */
  readonly paginate: {readonly perPage: number; readonly path: string}
  /**
   * `warnings: {image-alt: off, missing-asset: error}`: what to do with the
   * warnings of a rule (by ruleId). Rules not named keep their severity.
   */
  readonly warnings: Readonly<Record<string, WarningLevel>>
  /** `nav:` links of the header; undefined when site.yml names none (the theme's default links are used). */
  readonly nav: readonly NavLink[] | undefined
  /** `search: false` turns off the Pagefind index, the search page and the header search box. */
  readonly search: boolean
  /** `social_cards: false` turns off the generated sharing images of posts. */
  readonly socialCards: boolean
  /** Everything the site file said, with defaults, as layouts see it under `site.*`. */
  readonly site: Readonly<Record<string, unknown>>
}

/** What `warnings:` in site.yml does to a rule's warnings: drop them, keep them, or make them errors. */
export type WarningLevel = 'off' | 'warning' | 'error'

/** Defaults, in one place. Keys are the site.yml spellings. */
export const defaults = Object.freeze({
  title: 'My Galley blog',
  description: '',
  url: '',
  baseurl: '',
  author: '',
  lang: 'en',
  permalink: '/:year/:month/:day/:title/',
  excerpt_separator: '<!--more-->'
})

/** What `keep_files` is when site.yml does not say. */
export const defaultKeepFiles: readonly string[] = Object.freeze(['.git', '.svn', 'CNAME'])

/** Never read as content: Jekyll's default excludes plus this tool's own files. */
const alwaysExcluded = [
  'node_modules',
  'vendor',
  'Gemfile',
  'Gemfile.lock',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'site.yml',
  '_config.yml'
]

export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface LoadedConfig {
  readonly config: SiteConfig | undefined
  /** The config file (or a stand-in) carrying any messages about it. */
  readonly file: VFile
}

/**
 * Merge defaults ← site.yml (or _config.yml) ← overrides into one frozen
 * config. Problems become messages on the returned file; `config` is
 * undefined when the site cannot be built at all.
 */
export function loadConfig(overrides: ConfigOverrides): LoadedConfig {
  const source = path.resolve(overrides.source)
  const configName = ['site.yml', '_config.yml'].find((name) => existsSync(path.join(source, name)))
  const file = new VFile({path: configName ?? 'site.yml', cwd: source})
  // Problems with the folder itself are about what was typed: they name the option, not a file in it.
  if (!existsSync(source)) {
    const option = optionFile('--source')
    report(option, {reason: `the source folder ${source} does not exist`, ruleId: 'config', severity: 'error'})
    return {config: undefined, file: option}
  }
  if (!statSync(source).isDirectory()) {
    const option = optionFile('--source')
    report(option, {reason: `${source} is a file, not a site folder (give the folder that holds site.yml and posts/)`, ruleId: 'config', severity: 'error'})
    return {config: undefined, file: option}
  }

  let data: Record<string, unknown> = {}
  if (configName) {
    let text: string
    try {
      text = sourceText(readFileSync(path.join(source, configName)))
    } catch (error) {
      report(file, {reason: new SourceReadError(configName, 'file', error).message, ruleId: 'read', severity: 'error', place: {line: 1, column: 1}, cause: error})
      return {config: undefined, file}
    }
    file.value = text
    try {
      const loaded: unknown = yaml.load(text, {schema: yaml.CORE_SCHEMA, filename: configName})
      if (loaded !== undefined && loaded !== null) {
        if (typeof loaded !== 'object' || Array.isArray(loaded)) {
          report(file, {reason: `${configName} must be a mapping of keys to values`, ruleId: 'config', severity: 'error', place: {line: 1, column: 1}})
          return {config: undefined, file}
        }
        data = loaded as Record<string, unknown>
      }
    } catch (error) {
      const mark = (error as {mark?: {position: number}}).mark
      report(file, {
        reason: `invalid YAML: ${(error as {reason?: string}).reason ?? String(error)}`,
        ruleId: 'yaml',
        severity: 'error',
        place: mark ? location(text).toPoint(mark.position) : {line: 1, column: 1},
        cause: error
      })
      return {config: undefined, file}
    }
  }

  const site: Record<string, unknown> = {...defaults, ...data}
  if (overrides.baseUrl !== undefined) site.baseurl = overrides.baseUrl
  const baseurl = normalizeBaseUrl(String(site.baseurl ?? ''))
  const url = siteUrlOf(file, site.url)
  site.baseurl = baseurl
  site.url = url

  const timezone = typeof site.timezone === 'string' && site.timezone !== '' ? site.timezone : undefined
  if (timezone && !isValidTimeZone(timezone)) {
    report(file, {reason: `unknown timezone "${timezone}" (use an IANA name such as Europe/Berlin)`, ruleId: 'config', severity: 'error', place: {line: keyLinesOf(String(file.value ?? '')).timezone ?? 1, column: 1}})
    return {config: undefined, file}
  }

  // `--out` is relative to the current folder, as in every CLI; `destination:` to the site, as in Jekyll.
  const out = overrides.out !== undefined ? path.resolve(overrides.out) : path.resolve(source, String(site.destination ?? '_site'))
  if (out === source || isInside(source, out)) {
    const option = overrides.out === undefined ? file : optionFile('--out')
    report(option, {reason: `the output folder ${out} must not be the source folder or contain it`, ruleId: 'config', severity: 'error', place: overrides.out === undefined ? {line: keyLinesOf(String(file.value ?? '')).destination ?? 1, column: 1} : undefined})
    return {config: undefined, file: option}
  }

  // The site's permalink pattern is checked here, once, so a typo is an error on its line, not one on every post.
  const pattern = String(site.permalink)
  if (pattern.includes(':')) {
    const tried = expandPermalink({pattern, date: new ZonedDate(Date.UTC(2024, 0, 2), 0), title: 'title', slug: 'title', categories: []})
    if (!tried.ok && tried.reason.includes('unknown placeholder')) {
      report(file, {reason: tried.reason, ruleId: 'permalink', severity: 'error', place: {line: keyLinesOf(String(file.value ?? '')).permalink ?? 1, column: 1}})
      return {config: undefined, file}
    }
  }

  const exclude = [...alwaysExcluded, ...toStringList(site.exclude)]
  const relOut = path.relative(source, out)
  if (!relOut.startsWith('..')) exclude.push(relOut.split(path.sep).join('/'))
  const cacheDir = overrides.cache === false ? undefined : path.resolve(source, typeof site.cache_dir === 'string' && site.cache_dir !== '' ? site.cache_dir : 'node_modules/.cache/galley')
  const relCache = cacheDir === undefined ? '..' : path.relative(source, cacheDir)
  if (!relCache.startsWith('..') && relCache !== '') exclude.push(relCache.split(path.sep).join('/'))

  const declared = readCollections(site.collections, site.collections_dir, String(site.permalink))
  for (const problem of declared.problems) report(file, {reason: problem, ruleId: 'config', severity: 'warning', place: {line: keyLinesOf(String(file.value ?? '')).collections ?? 1, column: 1}})

  const nav = readNav(site.nav)
  for (const problem of nav.problems) report(file, {reason: problem, ruleId: 'config', severity: 'warning', place: {line: keyLinesOf(String(file.value ?? '')).nav ?? 1, column: 1}})
  // What the theme shows of the author (box under posts, footer): a string or a mapping, read once, URLs checked.
  site.author_profile = authorProfile(site.author)

  const config: SiteConfig = {
    source,
    out,
    outIsDefault: overrides.out === undefined && site.destination === undefined,
    themeDir: path.resolve(overrides.themeDir ?? packageRoot),
    configFile: configName,
    drafts: overrides.drafts ?? false,
    future: overrides.future ?? site.future === true,
    now: overrides.now,
    workers: Math.max(1, Math.floor(overrides.workers ?? availableParallelism())),
    workersForced: overrides.workers !== undefined,
    cacheDir,
    baseurl,
    url,
    timezone,
    keepWrittenOffset: configName !== '_config.yml',
    permalink: postsPermalink(site),
    excerptSeparator: String(site.excerpt_separator),
    exclude: Object.freeze(exclude),
    keepFiles: Object.freeze(keepFilesOf(file, site.keep_files)),
    dirs: Object.freeze(findDirs(source)),
    collections: Object.freeze(declared.collections),
    markdown: Object.freeze(markdownSettings(site, configName)),
    liquid: Object.freeze(liquidSettings(file, site.liquid, configName === '_config.yml')),
    listings: Object.freeze({tags: site.tag_pages !== false, categories: site.category_pages !== false, archive: site.archive !== false}),
    paginate: Object.freeze({perPage: Math.max(0, Math.floor(Number(site.paginate) || 0)), path: paginatePath(site.paginate_path)}),
    warnings: Object.freeze(warningLevelsOf(file, site.warnings)),
    nav: nav.links && Object.freeze(nav.links),
    search: site.search !== false,
    socialCards: site.social_cards !== false,
    site: Object.freeze(site)
  }
  return {config: Object.freeze(config), file}
}

/**
 * Warn, once, on the config file when the site has no `url:` (unset or
 * empty): without it a build leaves out sitemap.xml (and its robots.txt
 * line), canonical links and og:image, and feed ids are relative. The warning
 * sits on the `url:` line when there is one (rule `site-url`, which
 * `warnings: {site-url: off}` silences). A url that is set but invalid already
 * has its own warning and gets no second one.
 */
export function reportMissingUrl(loaded: LoadedConfig): void {
  const config = loaded.config
  if (!config || config.url !== '') return
  const line = keyLinesOf(String(loaded.file.value ?? '')).url
  if (loaded.file.messages.some((message) => message.reason.startsWith('url must be an absolute'))) return
  const name = config.configFile ?? 'site.yml'
  report(loaded.file, {
    reason: `no url set${line === undefined ? ` in ${name}` : ''}: sitemap.xml, canonical links and og:image tags are left out and feed ids are relative; set url: https://your.domain (the address the site is served from)`,
    ruleId: 'site-url',
    severity: 'warning',
    place: {line: line ?? 1, column: 1}
  })
}

/**
 * The config as cached work depends on it: everything but the build's time,
 * the worker count and where the output goes, none of which changes what a
 * document renders to (the time is keyed separately where it is printed).
 */
export function cacheKeyOf(config: SiteConfig): string {
  const {now: _now, workers: _workers, workersForced: _forced, out: _out, outIsDefault: _default, cacheDir: _cacheDir, ...rest} = config
  return JSON.stringify(rest)
}

/**
 * `url:` without its trailing slash, or `''` when unset. Anything but an
 * absolute http(s) URL (`not a url`, `javascript:…`) is a warning at its line
 * and counts as unset, so it never reaches canonical links, feeds or sharing tags.
 */
function siteUrlOf(file: VFile, value: unknown): string {
  if (value === undefined || value === null || value === '') return ''
  const text = String(value).trim().replace(/\/+$/, '')
  if (isHttpUrl(text)) return text
  report(file, {
    reason: `url must be an absolute http(s) URL such as https://example.com; ${JSON.stringify(String(value).slice(0, 80))} is ignored`,
    ruleId: 'config',
    severity: 'warning',
    place: {line: keyLinesOf(String(file.value ?? '')).url ?? 1, column: 1}
  })
  return ''
}

/** An absolute http(s) URL with a host, and none of the characters that would need escaping in HTML or XML. */
function isHttpUrl(text: string): boolean {
  if (!/^https?:\/\/[^\s"'<>\\`]+$/i.test(text)) return false
  try {
    const parsed = new URL(text)
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== ''
  } catch {
    return false
  }
}

/**
 * `keep_files:` as clean output-relative POSIX paths. An entry that could
 * reach outside the output (absolute, or with a `..` segment) is a warning
 * at the key's line and is left out.
 */
function keepFilesOf(file: VFile, value: unknown): string[] {
  if (value === undefined || value === null) return [...defaultKeepFiles]
  const kept: string[] = []
  for (const entry of toStringList(value)) {
    const clean = entry.replace(/\\/g, '/').replace(/\/+$/, '').replace(/^(?:\.\/)+/, '')
    if (clean === '' || clean.startsWith('/') || /^[a-z]:/i.test(clean) || clean.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
      report(file, {
        reason: `keep_files entry ${JSON.stringify(entry)} must be a path inside the output folder (no leading /, no ..); it is ignored`,
        ruleId: 'config',
        severity: 'warning',
        place: {line: keyLinesOf(String(file.value ?? '')).keep_files ?? 1, column: 1}
      })
      continue
    }
    kept.push(clean)
  }
  return kept
}

/**
 * `warnings:` as rule id → level. `false` counts as `off`, `true` as
 * `warning`; a value that is not a mapping, or a level that is none of
 * `off`, `warning`, `error`, is a warning at the key's line and left out.
 */
function warningLevelsOf(file: VFile, value: unknown): Record<string, WarningLevel> {
  if (value === undefined || value === null) return {}
  const place = {line: keyLinesOf(String(file.value ?? '')).warnings ?? 1, column: 1}
  if (!isRecord(value)) {
    report(file, {reason: 'warnings must be a mapping of rule ids to off, warning or error (warnings: {image-alt: off}); it is ignored', ruleId: 'config', severity: 'warning', place})
    return {}
  }
  const levels: Record<string, WarningLevel> = {}
  for (const [rule, level] of Object.entries(value)) {
    const text = level === false ? 'off' : level === true ? 'warning' : String(level).trim().toLowerCase()
    if (text === 'off' || text === 'warning' || text === 'error') levels[rule] = text
    else report(file, {reason: `warnings: ${rule}: ${JSON.stringify(level)} must be off, warning or error; it is ignored`, ruleId: 'config', severity: 'warning', place})
  }
  return levels
}

/** Jekyll's `collections: {posts: {permalink: …}}` wins over the site's `permalink:` for posts, as in Jekyll. */
function postsPermalink(site: Record<string, unknown>): string {
  const collections = isRecord(site.collections) ? site.collections : {}
  const posts = isRecord(collections.posts) ? collections.posts : {}
  return typeof posts.permalink === 'string' && posts.permalink.trim() !== '' ? posts.permalink.trim() : String(site.permalink)
}

/** `liquid: {error_mode, strict_filters, strict_variables}` over the defaults of a Jekyll site or a Galley one. */
function liquidSettings(file: VFile, value: unknown, jekyll: boolean): LiquidSettings {
  const given = isRecord(value) ? value : {}
  const mode = typeof given.error_mode === 'string' ? given.error_mode.trim().toLowerCase() : undefined
  let errorMode: LiquidSettings['errorMode'] = jekyll ? 'warn' : 'strict'
  if (mode === 'strict' || mode === 'warn' || mode === 'lax') errorMode = mode
  else if (mode !== undefined) {
    report(file, {
      reason: `liquid: error_mode: ${JSON.stringify(given.error_mode)} must be strict, warn or lax; using ${errorMode}`,
      ruleId: 'config',
      severity: 'warning',
      place: {line: keyLinesOf(String(file.value ?? '')).liquid ?? 1, column: 1}
    })
  }
  return {
    errorMode,
    strictFilters: typeof given.strict_filters === 'boolean' ? given.strict_filters : !jekyll,
    strictVariables: given.strict_variables === true
  }
}

/** Jekyll writes `/page:num/`; Galley's default is `/page/:num/`. Always a folder URL. */
function paginatePath(value: unknown): string {
  const raw = typeof value === 'string' && value.includes(':num') ? value : '/page/:num/'
  return ('/' + raw.replace(/^\/+/, '')).replace(/\/?$/, '/')
}

function markdownSettings(site: Record<string, unknown>, configName: string | undefined): MarkdownSettings {
  const embeds = isRecord(site.embeds) ? site.embeds : {}
  const external = isRecord(site.external_links) ? site.external_links : {}
  const math = isRecord(site.math) ? site.math : {}
  const kramdown = isRecord(site.kramdown) ? site.kramdown : {}
  return {
    toc: site.toc === true ? true : site.toc === false || (site.toc === undefined && usesKramdown(site.markdown, configName)) ? false : 'auto',
    figures: figuresSetting(site.figures, usesKramdown(site.markdown, configName)),
    externalTarget: typeof external.target === 'string' && external.target !== '' ? external.target : undefined,
    embeds: {
      substack: embeds.substack !== false,
      youtube: embeds.youtube !== false,
      twitter: embeds.twitter !== false,
      gist: embeds.gist !== false
    },
    singleDollarMath: math.single_dollar === true,
    kramdown: usesKramdown(site.markdown, configName),
    kramdownParseBlockHtml: kramdown.parse_block_html === true,
    kramdownTocLevels: tocLevels(kramdown.toc_levels),
    typography: typography(site.typography, kramdown.smart_quotes, usesKramdown(site.markdown, configName)),
    math: site.math !== false && !(usesKramdown(site.markdown, configName) && 'math_engine' in kramdown && (kramdown.math_engine === null || /^(nil|null|none|false)$/i.test(String(kramdown.math_engine)))),
    mermaid: site.mermaid !== false,
    sidenotes: site.sidenotes === true || (site.sidenotes !== false && !usesKramdown(site.markdown, configName)),
    images: imageSettings(site.images, configName)
  }
}

/** `typography:` on or off (default: on for kramdown sites), with kramdown's `smart_quotes` entity names or code points. */
function typography(enabled: unknown, smartQuotes: unknown, kramdown: boolean): [string, string, string, string] | undefined {
  if (enabled === false || (enabled !== true && !kramdown)) return undefined
  const fallback: [string, string, string, string] = ['‘', '’', '“', '”']
  const names = typeof smartQuotes === 'string' ? smartQuotes.split(',').map((name) => name.trim()) : Array.isArray(smartQuotes) ? smartQuotes.map(String) : []
  if (names.length !== 4) return fallback
  const chars = names.map(quoteCharacter)
  return chars.every((char) => char !== undefined) ? (chars as [string, string, string, string]) : fallback
}

const QUOTE_ENTITIES: Readonly<Record<string, string>> = {lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', apos: "'", quot: '"', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', sbquo: '‚', bdquo: '„'}

function quoteCharacter(name: string): string | undefined {
  if (/^\d{2,5}$/.test(name)) return String.fromCodePoint(Number(name))
  return QUOTE_ENTITIES[name]
}

/** `figures: auto|true` or `off|false`; absent: off for kramdown (Jekyll) sites, whose markup stays as Jekyll makes it, auto elsewhere. */
function figuresSetting(value: unknown, kramdown: boolean): 'auto' | 'off' {
  if (value === false || value === 'off' || value === 'false') return 'off'
  if (value === true || value === 'auto' || value === 'true') return 'auto'
  return kramdown ? 'off' : 'auto'
}

/** The theme's text column (`--measure` in assets/css/style.css) is what a content image is shown at, at most. */
const defaultSizes = '(min-width: 42rem) 42rem, 100vw'

/**
 * `images:` resolved. Responsive images are on by default, except for a
 * Jekyll site (`_config.yml`), whose pages keep the markup Jekyll gave them
 * (and whose first build would otherwise encode every image of years of
 * posts) until it says `images: {responsive: true}`.
 */
function imageSettings(value: unknown, configName: string | undefined): ImageSettings {
  const images = isRecord(value) ? value : {}
  const widths = Array.isArray(images.widths) ? [...new Set(images.widths.map(Number).filter((width) => Number.isInteger(width) && width >= 16 && width <= 8192))].sort((a, b) => a - b) : []
  const formats = Array.isArray(images.formats) ? images.formats.map((format) => String(format).toLowerCase()).filter((format): format is 'avif' | 'webp' => format === 'avif' || format === 'webp') : undefined
  return Object.freeze<ImageSettings>({
    remote: images.remote === 'keep' || images.remote === false ? 'keep' : 'mirror',
    responsive: typeof images.responsive === 'boolean' ? images.responsive : configName !== '_config.yml',
    widths: Object.freeze(widths.length > 0 ? widths : [480, 800, 1200, 1600]),
    formats: Object.freeze(formats ? [...new Set(formats)] : (['avif', 'webp'] as const)),
    sizes: typeof images.sizes === 'string' && images.sizes.trim() !== '' ? images.sizes.trim() : defaultSizes
  })
}

/** `markdown: kramdown` anywhere, or Jekyll's default engine for a `_config.yml` that names none. */
function usesKramdown(engine: unknown, configName: string | undefined): boolean {
  if (typeof engine === 'string' && engine.trim() !== '') return engine.trim().toLowerCase() === 'kramdown'
  return configName === '_config.yml'
}

/** kramdown's `toc_levels`: a range `2..4`, a list `[2, 3]` or one number; anything else is 1 to 6. */
function tocLevels(value: unknown): number[] {
  const all = [1, 2, 3, 4, 5, 6]
  const range = typeof value === 'string' ? /^\s*([1-6])\s*\.\.\s*([1-6])\s*$/.exec(value) : null
  if (range) return all.filter((level) => level >= Number(range[1]) && level <= Number(range[2]))
  const listed = (Array.isArray(value) ? value : [value]).map(Number).filter((level) => all.includes(level))
  return listed.length > 0 ? [...new Set(listed)].sort() : all
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `/blog/` → `/blog`, `blog` → `/blog`, `/` → `''`. */
export function normalizeBaseUrl(value: string): string {
  const trimmed = value.trim().replace(/^\/+|\/+$/g, '')
  return trimmed === '' ? '' : '/' + trimmed
}

function findDirs(source: string): SiteDirs {
  const has = (name: string) => existsSync(path.join(source, name))
  const first = (...names: string[]) => names.find(has)
  return {
    posts: ['posts', '_posts'].filter(has),
    drafts: ['drafts', '_drafts'].filter(has),
    layouts: first('layouts', '_layouts'),
    includes: first('layouts/includes', '_includes'),
    data: first('data', '_data')
  }
}

function toStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === 'string') return [value]
  return []
}

/** Whether `child` is strictly inside `parent`. */
export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child)
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
}

