/**
 * The two writing helpers behind `galley new` and `galley init`: start a post
 * with the right name and front matter, and start a whole site. Nothing here
 * prints or reads the clock; `now` is injected and problems are thrown as
 * {@link ScaffoldError}s for the CLI to print.
 */
import {promises as fs, readFileSync} from 'node:fs'
import path from 'node:path'
import yaml from 'js-yaml'
import {defaults, loadConfig, packageRoot, type SiteConfig} from './config.js'
import {nowIn} from './content/dates.js'
import {slugify} from './content/permalink.js'
import {collapse, htmlToText} from './content/title.js'
import type {ZonedDate} from './content/zoned-date.js'
import {formatMessages} from './report.js'

/** A scaffolding command could not do what it was asked; `message` says why and names the file. */
export class ScaffoldError extends Error {
  override readonly name = 'ScaffoldError'
  /** The file or folder the problem is about, absolute, when there is one. */
  readonly path: string | undefined

  constructor(message: string, options: {readonly path?: string; readonly cause?: unknown} = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.path = options.path
  }
}

/** Options of {@link createPost}. */
export interface NewPostOptions {
  /** Site root, absolute. */
  readonly source: string
  /** The title as the author wants it shown; it may hold inline HTML such as `<br>`. */
  readonly title: string
  /** Write an undated file into the drafts folder instead of a dated post. Default `false`. */
  readonly draft?: boolean
  /** The instant the post is created, in ms since the epoch. */
  readonly now: number
}

/** What {@link createPost} wrote. */
export interface CreatedPost {
  /** Absolute path of the new file. */
  readonly path: string
  /** The same, relative to the site root, with `/` separators (`posts/2024-05-12-hello.md`). */
  readonly relative: string
}

/** Options of {@link initSite}. */
export interface InitSiteOptions {
  /** Folder of the new site; created (with its parents) when absent, refused when not empty. */
  readonly dir: string
  /** The instant the site is created, in ms since the epoch (dates the example post). */
  readonly now: number
  /** `title:` of site.yml. Default: Galley's default site title. */
  readonly title?: string
  /**
   * The folder of the Galley package the new site depends on (its package.json
   * gets `"galley": "file:<folder>"`). Default: the package running now, so the
   * site installs without the npm registry knowing Galley.
   */
  readonly galleyDir?: string
}

/** What {@link initSite} created. */
export interface InitializedSite {
  /** Paths relative to the site folder with `/` separators, in creation order; folders end with `/`. */
  readonly created: string[]
  /** The folder of the Galley package the site's package.json depends on. */
  readonly galley: string
}

/** Entries that may already be in a folder `galley init` fills (a fresh `git init`, Finder's litter). */
const ignorableEntries = new Set(['.git', '.DS_Store', 'Thumbs.db'])

/**
 * Create a post (or draft) file for `title`, named and dated in the site's
 * timezone (UTC when the site sets none), never in the machine's zone.
 *
 * Posts go to `posts/YYYY-MM-DD-slug.md`, drafts to `drafts/slug.md`; a site
 * that uses Jekyll's `_posts`/`_drafts` gets those folders. The folder is
 * created when missing. Front matter: `layout: post`, `title`, `author` (from
 * the site config, when set) and `date: YYYY-MM-DD HH:MM:SS +ZZZZ`.
 * @throws ScaffoldError when the site config cannot be read, the title has no
 *   letters or digits to make a file name from, or the file already exists.
 */
export async function createPost(options: NewPostOptions): Promise<CreatedPost> {
  const config = readConfig(options.source, options.now)
  const title = collapse(options.title)
  const slug = slugify(htmlToText(title))
  if (slug === '') {
    throw new ScaffoldError(`cannot make a file name from the title "${options.title}": it needs at least one letter or digit`)
  }
  const date = nowIn(options.now, {timezone: config.timezone})
  const draft = options.draft === true
  const folder = contentFolder(config, draft ? 'drafts' : 'posts')
  const name = draft ? `${slug}.md` : `${dayOf(date)}-${slug}.md`
  const relative = `${folder}/${name}`
  const text = frontMatter([
    ['layout', 'post'],
    ['title', title],
    ['author', authorName(config.site.author)],
    ['date', formatDate(date)]
  ]) + newPostBody(config.excerptSeparator)
  const absolute = path.join(config.source, folder, name)
  await fs.mkdir(path.dirname(absolute), {recursive: true})
  await writeNew(absolute, text, relative)
  return {path: absolute, relative}
}

/**
 * Create a new site in `dir`: `package.json` (scripts `build`, `serve`,
 * `check`; Galley as a devDependency by a `file:` reference to the running
 * package), `.gitignore`, `site.yml`, `posts/` with an example post,
 * an empty `layouts/` (the default theme fills in) and `assets/` holding the
 * example post's image. The result builds as it is.
 * @throws ScaffoldError when `dir` is a file or a folder that is not empty.
 */
export async function initSite(options: InitSiteOptions): Promise<InitializedSite> {
  const dir = path.resolve(options.dir)
  await ensureEmptyFolder(dir)
  const date = nowIn(options.now)
  const created: string[] = []
  const write = async (relative: string, text: string): Promise<void> => {
    const absolute = path.join(dir, ...relative.split('/'))
    await fs.mkdir(path.dirname(absolute), {recursive: true})
    await writeNew(absolute, text, relative)
    created.push(relative)
  }
  const folder = async (relative: string): Promise<void> => {
    await fs.mkdir(path.join(dir, relative), {recursive: true})
    created.push(relative + '/')
  }

  const title = collapse(options.title ?? '') || defaults.title
  const galley = path.resolve(options.galleyDir ?? packageRoot)
  await write('package.json', sitePackageJson(dir, title, galley))
  await write('.gitignore', gitignore)
  await write('.github/workflows/pages.yml', pagesWorkflow)
  await write('site.yml', siteYml(title))
  await write(`posts/${dayOf(date)}-${exampleSlug}.md`, frontMatter([
    ['layout', 'post'],
    ['title', exampleTitle],
    ['date', formatDate(date)],
    ['tags', ['galley', 'writing']]
  ]) + exampleBody)
  await folder('layouts')
  await folder('assets')
  await write(exampleImage, exampleSvg)
  return {created, galley}
}

/** The site's config, or a ScaffoldError carrying its problems. */
function readConfig(source: string, now: number): SiteConfig {
  const loaded = loadConfig({source, now})
  if (loaded.config) return loaded.config
  const problems = formatMessages([loaded.file], {warnings: false})
  throw new ScaffoldError(`cannot read the site in ${path.resolve(source)}:\n${problems.join('\n')}`, {path: path.resolve(source)})
}

/**
 * The folder new posts or drafts go to: the site's existing one (Galley's name
 * first), else the naming the site already follows — Jekyll's `_posts`/`_drafts`
 * when it has `_config.yml`, `_layouts` or only underscored content folders.
 */
function contentFolder(config: SiteConfig, kind: 'posts' | 'drafts'): string {
  const existing = config.dirs[kind]
  if (existing.includes(kind)) return kind
  if (existing.includes('_' + kind)) return '_' + kind
  const content = [...config.dirs.posts, ...config.dirs.drafts]
  const jekyllNames = content.length > 0
    ? content.every((dir) => dir.startsWith('_'))
    : config.configFile === '_config.yml' || config.dirs.layouts === '_layouts'
  return jekyllNames ? '_' + kind : kind
}

/** `author:` of the site config as a name: the string, or `author.name`; undefined when unset. */
function authorName(author: unknown): string | undefined {
  const name = typeof author === 'object' && author !== null ? (author as Record<string, unknown>).name : author
  return typeof name === 'string' && name.trim() !== '' ? name.trim() : undefined
}

/** A front-matter block; each value is written by js-yaml unless it is a date (kept as Jekyll writes it); undefined values are left out. */
function frontMatter(fields: ReadonlyArray<readonly [string, string | readonly string[] | FormattedDate | undefined]>): string {
  const lines = ['---']
  for (const [key, value] of fields) {
    if (value === undefined) continue
    lines.push(`${key}: ${value instanceof FormattedDate ? value.text : yaml.dump(value, {lineWidth: -1, flowLevel: 0}).trimEnd()}`)
  }
  return lines.join('\n') + '\n---\n'
}

/** A date already in front-matter form; written unquoted so it reads as Jekyll's. */
class FormattedDate {
  constructor(readonly text: string) {}
}

/** `2024-05-12 09:15:00 +0900`: the wall clock and offset of `date`. */
function formatDate(date: ZonedDate): FormattedDate {
  const wall = date.wall()
  return new FormattedDate(`${dayOf(date)} ${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)} ${date.offsetString('')}`)
}

/** `2024-05-12`: the date in `date`'s own offset. */
function dayOf(date: ZonedDate): string {
  const wall = date.wall()
  return `${String(wall.year).padStart(4, '0')}-${pad(wall.month)}-${pad(wall.day)}`
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/** A placeholder paragraph, then the excerpt separator the site uses (`<!--more-->` unless it sets a visible one). */
function newPostBody(separator: string): string {
  const marker = separator.trim() === '' ? '<!--more-->' : separator.trim()
  return `\nWrite the opening paragraph here. Everything above the line below is the excerpt shown on the home page.\n\n${marker}\n\n`
}

/** Write `text` to a new file; an existing file is never replaced. */
async function writeNew(absolute: string, text: string, shown: string): Promise<void> {
  try {
    await fs.writeFile(absolute, text, {flag: 'wx'})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new ScaffoldError(`${shown} already exists; not overwriting it (pick another title, or rename or remove the file)`, {path: absolute, cause: error})
    }
    throw new ScaffoldError(`cannot write ${shown}: ${(error as Error).message}`, {path: absolute, cause: error})
  }
}

/** Create `dir` when absent; refuse a file, or a folder holding anything but {@link ignorableEntries}. */
async function ensureEmptyFolder(dir: string): Promise<void> {
  let entries: string[]
  try {
    entries = await fs.readdir(dir)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') {
      await fs.mkdir(dir, {recursive: true})
      return
    }
    if (code === 'ENOTDIR') throw new ScaffoldError(`${dir} is a file, not a folder; pick a new folder for the site`, {path: dir, cause: error})
    throw new ScaffoldError(`cannot read ${dir}: ${(error as Error).message}`, {path: dir, cause: error})
  }
  const found = entries.filter((entry) => !ignorableEntries.has(entry)).sort()
  if (found.length > 0) {
    const listed = found.slice(0, 3).join(', ') + (found.length > 3 ? `, and ${found.length - 3} more` : '')
    throw new ScaffoldError(`${dir} is not empty (it holds ${listed}); galley init only fills a new or empty folder`, {path: dir})
  }
}

/** What a site's repository never commits: the output, installed packages, and the build cache (inside node_modules, or wherever cache_dir: puts it). */
const gitignore = `_site/
node_modules/
.galley-staging-*/
.galley-old-*/
`

/**
 * A GitHub Actions workflow that builds the site on every push to main and
 * publishes it with GitHub Pages' own actions (Settings → Pages → Source:
 * GitHub Actions). The build cache (node_modules/.cache/galley) is restored
 * after the install (npm ci empties node_modules) and saved at the end of the
 * job, so a push re-renders only what it changed. The base path comes from
 * configure-pages, so a project site (you.github.io/repo/) gets its links right.
 */
export const pagesWorkflow = `# Build this Galley site and publish it on GitHub Pages.
# In the repository's Settings → Pages, set "Source" to "GitHub Actions".
# Galley must install here: in package.json, point the galley devDependency at
# a git URL or at a tarball committed to the repository (npm pack), not at a
# folder on your machine.
name: Deploy to GitHub Pages

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v4
      - name: Set up Node
        uses: actions/setup-node@v4
        with:
          node-version: 20
      - name: Install
        run: if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
      - name: Keep the build cache
        uses: actions/cache@v4
        with:
          path: node_modules/.cache/galley
          key: galley-\${{ runner.os }}-\${{ github.sha }}
          restore-keys: |
            galley-\${{ runner.os }}-
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Build
        run: npx galley build --base-url "\${{ steps.pages.outputs.base_path }}"
      - name: Check links
        run: npx galley check --base-url "\${{ steps.pages.outputs.base_path }}"
      - name: Upload the site
        uses: actions/upload-pages-artifact@v3
        with:
          path: _site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
`

/**
 * The new site's package.json: private, ESM, scripts that call galley, and
 * Galley itself as a devDependency by a `file:` reference to `galleyDir`, so
 * `npm install` works without the registry; a blog in its own repository
 * can switch it to a git URL or a packed tarball.
 */
function sitePackageJson(dir: string, title: string, galleyDir: string): string {
  const galley = readPackage(galleyDir)
  const manifest = {
    name: packageName(path.basename(dir)),
    version: '0.0.0',
    private: true,
    description: htmlToText(title),
    type: 'module',
    scripts: {
      build: 'galley build',
      serve: 'galley serve',
      check: 'galley build --check',
      deploy: 'galley deploy --build --git origin'
    },
    engines: {node: galley.engines?.node ?? '>=20'},
    devDependencies: {[galley.name ?? 'galley']: `file:${galleyDir.split(path.sep).join('/')}`}
  }
  return JSON.stringify(manifest, null, 2) + '\n'
}

/** The fields of a package.json this module uses; empty when it cannot be read. */
function readPackage(dir: string): {name?: string; engines?: {node?: string}} {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {name?: string; engines?: {node?: string}}
  } catch {
    return {}
  }
}

/** A valid npm package name made from a folder name (`My Blog!` → `my-blog`). */
function packageName(folder: string): string {
  return folder.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-._]+|-+$/g, '').slice(0, 214) || 'my-blog'
}

function siteYml(title: string): string {
  return `# Settings of this Galley site. Layouts see every key here as site.<key>.
title: ${yaml.dump(title, {lineWidth: -1}).trimEnd()}
description: ''

# The address the site will be served from, without a trailing slash.
# Without it the build leaves out sitemap.xml, canonical links and og:image
# (and feed ids are relative), and warns about it. Uncomment and set it:
# url: https://example.com
# A path prefix when the site lives in a subfolder of that address (/blog);
# leave empty when it sits at the root.
baseurl: ''

# Your name, shown on posts (a post's own author: wins). It may also be a
# mapping, shown in a box under each post:
# author:
#   name: Your Name
#   bio: One line about you.
#   avatar: /assets/images/me.jpg
#   links: {Mastodon: https://example.social/@you}
author: ''

# The header's links; without nav: Archive, Tags, About (if you have an
# /about/ page) and the feed.
# nav:
#   - {title: Papers, url: /papers/}
# Search (a Pagefind index written with every build) and the generated sharing
# images of posts are on; false turns them off.
# search: false
# social_cards: false

# Post dates written without an offset are read in this zone (without it, in
# UTC); a date with one (+0900) keeps it. Use an IANA name.
# timezone: Europe/Berlin

# Where each post is published; this is the default.
# permalink: /:year/:month/:day/:title/
`
}

const exampleTitle = 'Welcome to Galley'
const exampleSlug = slugify(exampleTitle)
const exampleImage = 'assets/images/welcome.svg'

const exampleBody = `
This is the first post of your new site. Read it as a short guide to writing
with Galley, then change it into a post of your own or delete it.

<!--more-->

## Where posts live

Each post is a Markdown file in \`posts/\`. Its name starts with the date,
and the rest becomes the post's address: \`posts/2024-05-12-first-light.md\`
is published at \`/2024/05/12/first-light/\`. The quickest way to start one is

\`\`\`sh
galley new "First light"
galley new "Half an idea" --draft
\`\`\`

A draft goes to \`drafts/\`, without a date in its name, and stays out of
the site until you move it to \`posts/\` (\`galley build --drafts\` shows it).

## The front matter

The block between the two \`---\` lines at the top is YAML:

- \`layout\` picks the layout the post is shown in; \`post\` is the theme's.
- \`title\` is the heading. Quote it when it holds a colon or a \`#\`.
- \`date\` is when the post was written, with its UTC offset. Without an
  offset it is read in the site's \`timezone\` (set in \`site.yml\`).
- \`tags\` is a list; each tag gets a page listing its posts.

Other fields (\`description\`, \`author\`, \`image\`) are optional.

## The excerpt

The lines above \`<!--more-->\` are the excerpt: the home page shows them with
a link to the whole post. Without the marker, the first paragraph is used.

## Images and other files

Put images in \`assets/\` and refer to them relative to the post, so they
also show in your editor's preview:

![A sheet of paper with lines of text](../assets/images/welcome.svg)

Every file in \`assets/\` is copied into the built site as it is.

## Code

Fence code with three backticks and name the language to get colours:

\`\`\`js
export function wordCount(text) {
  return text.split(/\\s+/).filter(Boolean).length
}
\`\`\`

Raw HTML works too, for anything Markdown cannot say.
`

const exampleSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">
  <rect width="320" height="200" fill="#eef2f7"/>
  <rect x="100" y="24" width="120" height="152" rx="4" fill="#ffffff" stroke="#9aa7b8" stroke-width="2"/>
  <g stroke="#9aa7b8" stroke-width="4" stroke-linecap="round">
    <line x1="116" y1="52" x2="196" y2="52"/>
    <line x1="116" y1="72" x2="204" y2="72"/>
    <line x1="116" y1="92" x2="184" y2="92"/>
    <line x1="116" y1="112" x2="204" y2="112"/>
    <line x1="116" y1="132" x2="170" y2="132"/>
  </g>
</svg>
`
