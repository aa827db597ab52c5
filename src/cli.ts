#!/usr/bin/env node
import {spawn} from 'node:child_process'
import path from 'node:path'
import {parseArgs, type ParseArgsConfig} from 'node:util'
import type {SiteConfig} from './config.js'
import {count} from './plural.js'
import {escapeControls} from './report-text.js'
import type {formatMessages} from './report.js'

/**
 * The command line: the only module that reads process.argv, prints, or sets
 * the exit code. Exit 0 on success, 1 when the content has errors, 2 on usage
 * errors.
 *
 * Each command imports what it needs when it runs, so `galley --help` and
 * `galley --version` load nothing but this file.
 */

const usage = `Usage: galley <command> [options]

Commands:
  build     Build the site into its output folder (default _site/)
  serve     Preview the site on localhost, rebuilding and reloading on every save
  check     Report broken links, images, scripts, stylesheets and #fragments in a built site
  deploy    Commit the built site to a git branch (gh-pages) and push it
  new       Start a new post: galley new "Post title" [--draft]
  init      Create a new site folder: galley init DIR
  images    Mirror remote images into the site: galley images pull

Run "galley <command> --help" for a command's options, "galley --version" for the version.
`

const buildUsage = `Usage: galley build [options]

Build a folder of Jekyll-style posts into a static site.

Options:
  --source DIR       Site folder (default: .)
  --out DIR          Output folder, relative to the current folder (default:
                     destination: in site.yml, relative to the site, else <source>/_site)
  --base-url PATH    Serve the site under PATH, e.g. /blog (overrides baseurl in site.yml)
  --drafts           Include drafts from drafts/ or _drafts/
  --future           Include posts dated in the future
  --check            Check the built site for broken links right after building
  --no-cache         Neither use nor update the persistent cache
                     (node_modules/.cache/galley, or cache_dir: in site.yml)
  --workers N        Threads rendering posts (default: one per core; 1: none)
  --clean            Remove files in the output folder that Galley did not
                     write (default: keep each, with a warning)
  --wait             When another build is writing the same output folder,
                     wait for it to finish instead of stopping with a message
  --strict           Treat every warning as an error: the build fails (exit 1)
                     and writes nothing; for CI
  -q, --quiet        Print errors only (no warnings, no summary)
  --verbose          Also print every warning, how many each file has, and
                     how long each stage took
  -h, --help         Show this help

Exit status: 0 built, 1 the content has errors (nothing written), 2 usage error.

The site folder holds site.yml (or Jekyll's _config.yml), posts/ (or _posts/),
drafts/, layouts/ (or _layouts/), layouts/includes/ (or _includes/), assets/,
and any other page with front matter (about.md, index.html). Folders without
layouts use the default theme.

Every problem is printed as path:line:column: severity: message (rule); a
summary counts warnings per rule. In site.yml, warnings: {image-alt: off}
silences a rule, {missing-asset: error} makes its warnings fail the build.
Rules that warn: image-alt, missing-asset, missing-post, missing-file,
missing-include, site-url, unsafe-url, third-party-script, inline-script,
embed-substack, embed-youtube, code-language, kramdown-ial,
kramdown-extension, math, compare, models-source, feed, cache, config
(the README's Warnings section lists every rule).
The previous output is left untouched when the build has errors. On a
terminal, builds of more than 50 posts show a progress line on stderr.
`

const checkUsage = `Usage: galley check [options]

Read a built site and report every internal link, image, script, stylesheet
and #fragment that does not resolve inside it (or whose path has a doubled
slash), one per line as
page-path:line: href (reason).

Options:
  --source DIR       Site folder whose config gives the defaults (default: .)
  --out DIR          The built site to check (default: the site's output folder)
  --base-url PATH    The path the site is served under (default: the site's baseurl)
  --external         Also check external http(s) links (8 at a time, 10 s time-out each)
  -q, --quiet        Print broken links only
  -h, --help         Show this help

Exit status: 0 no broken links, 1 broken links (or the site cannot be read), 2 usage error.
`

const deployUsage = `Usage: galley deploy --git REMOTE [options]

Commit the built output to a branch of a git remote and push it, keeping the
branch's history (the branch is created, orphaned, when it does not exist).
Deploy refuses an output older than any of the site's sources (run galley
build first, or pass --build).

Options:
  --git REMOTE       The remote: a URL, host:path, or a local path
  --branch NAME      The branch to publish to (default: gh-pages)
  --source DIR       Site folder (default: .)
  --out DIR          The built site to publish (default: the site's output folder)
  --build            Build the site first (as galley build would), then deploy
                     it if the build succeeds
  -h, --help         Show this help

Exit status: 0 deployed (or nothing changed), 1 the output is stale, the build
failed or git failed, 2 usage error.
`

const serveUsage = `Usage: galley serve [options]

Build the site into memory, serve it on localhost, watch its files, rebuild
what a change touches and reload open pages (stylesheet edits are swapped in
without a reload). Drafts and future-dated posts are included. A build error
keeps the last good site on screen under an overlay listing the errors.
The output folder (_site) is not touched.

Options:
  --source DIR       Site folder (default: .)
  --port N           Port (default: 4000; 0 picks a free one)
  --host ADDR        Address to bind (default: 127.0.0.1)
  --base-url PATH    Serve under PATH, e.g. /blog (overrides baseurl in site.yml)
  --drafts           Include drafts (the default in preview)
  --future           Include future-dated posts (the default in preview)
  --open             Open the site in the default browser
  -h, --help         Show this help

Each rebuild prints its new warnings; open pages show a count badge listing
them. Stop it with Ctrl-C (exit 0); exit 1 when the site cannot be served
(bad config, port in use), 2 on a usage error.
`

const newUsage = `Usage: galley new "Post title" [options]

Create posts/YYYY-MM-DD-post-title.md (or drafts/post-title.md) with front
matter filled from site.yml (layout, title, author, date in the site's
offset) and print its path, relative to the current folder. An existing file
is never overwritten.

Options:
  --draft            Create it in drafts/ (built only with --drafts)
  --source DIR       Site folder (default: .)
  -h, --help         Show this help

Exit status: 0 created, 1 the file exists or the site cannot be read, 2 usage error.
`

const initUsage = `Usage: galley init DIR

Create a new site folder: package.json (scripts build, serve, check and
deploy, and this Galley as a devDependency by a file: reference to its
folder, so "npm install" works without the registry), .gitignore, a GitHub
Actions workflow (.github/workflows/pages.yml: build with the cache kept
between runs, deploy to GitHub Pages), site.yml, posts/ with an example post,
an empty layouts/ (the default theme is used until you add your own) and
assets/. DIR must not exist or be empty.

Exit status: 0 created, 1 DIR is a file or not empty, 2 usage error.

A blog kept in its own repository (built elsewhere, e.g. in CI) installs
Galley with: npm install --save-dev <path or git URL of galley>
`

const siteOptions = {
  source: {type: 'string'},
  out: {type: 'string'},
  'base-url': {type: 'string'},
  help: {type: 'boolean', short: 'h'}
} as const satisfies ParseArgsConfig['options']

const buildOptions = {
  ...siteOptions,
  drafts: {type: 'boolean'},
  future: {type: 'boolean'},
  check: {type: 'boolean'},
  'no-cache': {type: 'boolean'},
  workers: {type: 'string'},
  wait: {type: 'boolean'},
  clean: {type: 'boolean'},
  strict: {type: 'boolean'},
  quiet: {type: 'boolean', short: 'q'},
  verbose: {type: 'boolean'}
} as const satisfies ParseArgsConfig['options']

const checkOptions = {...siteOptions, external: {type: 'boolean'}, quiet: {type: 'boolean', short: 'q'}} as const satisfies ParseArgsConfig['options']

const deployOptions = {
  source: {type: 'string'},
  out: {type: 'string'},
  git: {type: 'string'},
  branch: {type: 'string'},
  build: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'}
} as const satisfies ParseArgsConfig['options']

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage)
    return command === undefined ? 2 : 0
  }
  if (command === '--version' || command === '-v' || command === 'version') {
    process.stdout.write(`galley ${(await import('./version.js')).version}\n`)
    return 0
  }
  if (command === 'build') return runBuild(rest)
  if (command === 'serve') return runServe(rest)
  if (command === 'check') return runCheck(rest)
  if (command === 'deploy') return runDeploy(rest)
  if (command === 'new') return runNew(rest)
  if (command === 'init') return runInit(rest)
  if (command === 'images') return (await import('./images/command.js')).runImagesCommand(rest)
  throw new UsageError(`unknown command "${command}"\n\n${usage}`)
}

async function runBuild(args: string[]): Promise<number> {
  const {values} = parse(args, buildOptions)
  if (values.help) {
    process.stdout.write(buildUsage)
    return 0
  }
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose cannot be used together')
  const workers = values.workers === undefined ? undefined : Number(values.workers)
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new UsageError(`--workers must be a whole number of at least 1, not "${values.workers}"`)
  const built = await buildAndReport({
    source: values.source ?? '.',
    out: values.out,
    baseUrl: values['base-url'],
    drafts: values.drafts,
    future: values.future,
    workers,
    cache: values['no-cache'] ? false : undefined,
    strict: values.strict === true,
    wait: values.wait === true,
    clean: values.clean === true,
    quiet: values.quiet === true,
    verbose: values.verbose === true
  })
  if (built.code !== 0 || !built.config) return built.code
  if (values.check) return checkBuilt(built.config, {quiet: values.quiet === true})
  return 0
}

interface BuildRequest {
  readonly source: string
  readonly out?: string | undefined
  readonly baseUrl?: string | undefined
  readonly drafts?: boolean | undefined
  readonly future?: boolean | undefined
  readonly workers?: number | undefined
  readonly cache?: false | undefined
  readonly strict?: boolean | undefined
  /** `--wait`: queue behind another build of the same output instead of stopping. */
  readonly wait?: boolean | undefined
  /** `--clean`: remove files in the output that Galley did not write. */
  readonly clean?: boolean | undefined
  readonly quiet?: boolean | undefined
  readonly verbose?: boolean | undefined
}

/**
 * Build and print what happened: errors always; warnings (the first
 * {@link WARNING_LINES}, or all with `verbose`), their count per rule and the
 * summary unless `quiet`; per-stage timings with `verbose`. Colour only on a
 * terminal and never with NO_COLOR.
 */
async function buildAndReport(request: BuildRequest): Promise<{code: number; config: SiteConfig | undefined}> {
  const started = performance.now()
  const [{buildSite}, {formatMessages, countWarnings}, {colorsFor, paintMessage}] = await Promise.all([import('./build.js'), import('./report.js'), import('./colors.js')])
  const err = colorsFor(process.stderr, process.env)
  const out = colorsFor(process.stdout, process.env)
  const progress = request.quiet ? undefined : progressLine(process.stderr)
  // Ctrl-C (SIGINT) and SIGTERM stop the build cleanly: its staging folder is
  // removed, a swap in progress is rolled back, the lock is released; the
  // output folder is the last complete build. Exit 130 / 143, as shells do.
  let stop: (() => void) | undefined
  const onSignal = (signal: NodeJS.Signals): void => {
    progress?.clear()
    try {
      stop?.()
    } finally {
      process.stderr.write(`galley: build stopped by ${signal}; nothing half-written was left, the output folder holds the last complete build\n`)
      process.exit(signal === 'SIGINT' ? 130 : 143)
    }
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const result = await buildSite(
    {
      source: request.source,
      out: request.out,
      baseUrl: request.baseUrl,
      drafts: request.drafts,
      future: request.future,
      workers: request.workers,
      cache: request.cache,
      now: buildTime()
    },
    {
      progress: progress?.update,
      strict: request.strict,
      wait: request.wait,
      clean: request.clean,
      onWait: (holder) => process.stderr.write(`galley: waiting for ${holder ? `build ${holder.pid} on ${holder.host}` : 'another build'} to finish writing the output folder\n`),
      onLocked: (cleanup) => {
        stop = cleanup
      }
    }
  )
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  progress?.clear()
  const paint = (line: string) => paintMessage(line, err)
  printMessages(formatMessages, result.files, {verbose: request.verbose === true, quiet: request.quiet === true, paint})
  if (!request.quiet) printWarningCounts(countWarnings(result.files))
  if (request.verbose) {
    for (const file of result.files) {
      const warnings = file.messages.filter((message) => message.fatal !== true).length
      if (warnings > 0) process.stderr.write(`${file.path}: ${count(warnings, 'warning')}\n`)
    }
  }
  const errors = result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === true).length, 0)
  const warnings = result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal !== true).length, 0)
  const ms = Math.round(performance.now() - started)
  if (!result.ok) {
    const where = result.config ? path.relative(process.cwd(), result.config.out) || '.' : 'the output folder'
    const strict = request.strict ? ' (--strict: warnings count as errors)' : ''
    process.stderr.write(err.red(`galley: build failed with ${count(errors, 'error')}${warnings ? ` and ${count(warnings, 'warning')}` : ''}${strict}; ${where} was left as it was`) + '\n')
    return {code: 1, config: result.config}
  }
  if (request.quiet) return {code: 0, config: result.config}
  const where = path.relative(process.cwd(), result.config?.out ?? '') || '.'
  const summary = `galley: built ${count(result.posts.length, 'post')} into ${where}/ (${count(result.written.length, 'file')}) in ${ms} ms`
  process.stdout.write(out.green(summary) + (warnings ? `, ${out.yellow(count(warnings, 'warning'))}` : '') + '\n')
  if (result.cache) process.stdout.write(out.dim(`galley: ${describeCache(result.cache)}`) + '\n')
  if (request.verbose && result.timings) process.stdout.write(`galley: timings: ${result.timings.map(([stage, stageMs]) => `${stage} ${stageMs} ms`).join(', ')}\n`)
  return {code: 0, config: result.config}
}

async function runServe(args: string[]): Promise<number> {
  const {values} = parse(args, {...siteOptions, port: {type: 'string'}, host: {type: 'string'}, drafts: {type: 'boolean'}, future: {type: 'boolean'}, open: {type: 'boolean'}})
  if (values.help) {
    process.stdout.write(serveUsage)
    return 0
  }
  const port = Number(values.port ?? 4000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${values.port}"`)
  const source = values.source ?? '.'
  const [{PreviewError, startPreview}, {colorsFor, paintMessage}] = await Promise.all([import('./serve/preview.js'), import('./colors.js')])
  const colors = {out: colorsFor(process.stdout, process.env), err: colorsFor(process.stderr, process.env)}
  let preview
  try {
    preview = await startPreview({
      overrides: {source, baseUrl: values['base-url'], drafts: true, future: true, out: values.out},
      port,
      host: values.host ?? '127.0.0.1',
      now: Date.now,
      progress: progressLine(process.stderr),
      log: (text, stream) => {
        const painted = text.split('\n').map((line) => paintMessage(line, colors[stream])).join('\n')
        ;(stream === 'out' ? process.stdout : process.stderr).write(painted + '\n')
      }
    })
  } catch (error) {
    if (!(error instanceof PreviewError)) throw error
    process.stderr.write(`galley: ${error.message}\n`)
    return 1
  }
  process.stdout.write(`galley: serving ${source} at ${preview.url}\n`)
  if (values.open) openBrowser(preview.url)
  const running = preview
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.stdout.write('galley: stopping\n')
      void running.close().then(resolve)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}

/** Builds with more posts and pages than this show a progress line (on a terminal). */
const PROGRESS_MIN_DOCUMENTS = 50

/**
 * One line on `stream`, rewritten in place, saying where a long build is
 * (`galley: rendering 120/300 posts and pages`); undefined, so nothing is
 * drawn, when `stream` is not a terminal or under CI. Shown only once the
 * build has more than {@link PROGRESS_MIN_DOCUMENTS} documents, redrawn at
 * most every 100 ms, and cleared before anything else is printed.
 */
function progressLine(stream: NodeJS.WriteStream): {update: import('./build.js').BuildProgress; clear: () => void} | undefined {
  if (!stream.isTTY || (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false')) return undefined
  let shown = false
  let large = false
  let drawn = 0
  let lastStage = ''
  const draw = (text: string): void => {
    const width = Math.max(20, (stream.columns || 80) - 1)
    stream.write(`\r\x1b[2K${text.slice(0, width)}`)
    shown = true
  }
  return {
    update(stage, done, total) {
      if (stage === 'render' && total > PROGRESS_MIN_DOCUMENTS) large = true
      if (!large) return
      const now = performance.now()
      if (stage === lastStage && now - drawn < 100 && done !== total) return
      lastStage = stage
      drawn = now
      if (stage === 'render') draw(`galley: rendering ${done}/${total} posts and pages`)
      else if (stage === 'write') draw(`galley: writing ${count(total, 'file')}`)
    },
    clear() {
      if (shown) stream.write('\r\x1b[2K')
      shown = false
    }
  }
}

/** Best effort: the platform's opener; a failure only means the user opens the URL by hand. */
function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open'
  const child = spawn(command, [url], {stdio: 'ignore', detached: true})
  child.on('error', () => process.stderr.write(`galley: could not open a browser; open ${url} yourself\n`))
  child.unref()
}

/** What the persistent cache saved, in one line. */
function describeCache(use: import('./build.js').CacheUse): string {
  const bodies = use.rendered + use.reusedBodies
  const outputs = use.made + use.keptOutputs
  const reused = `reused ${use.reusedBodies} of ${bodies} rendered post${bodies === 1 ? '' : 's'} and ${use.keptOutputs} of ${outputs} output file${outputs === 1 ? '' : 's'} from the cache`
  if (use.reusedBodies === 0 && use.keptOutputs === 0) return `cache: nothing to reuse yet; the next build reuses this one's work`
  return use.unchanged ? `${reused}; nothing changed, the output was left as it was` : reused
}

/**
 * The build's "now": SOURCE_DATE_EPOCH (seconds) when set, for reproducible
 * builds (the same sources give byte-identical output at any time), else the clock.
 */
function buildTime(): number {
  const epoch = process.env.SOURCE_DATE_EPOCH
  if (epoch === undefined || epoch === '') return Date.now()
  if (!/^\d+$/.test(epoch)) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds, not "${epoch}"`)
  return Number(epoch) * 1000
}

/** How many warning lines a build prints before it summarises the rest (every error is always printed). */
const WARNING_LINES = 40

/** Errors in full; warnings in full with --verbose, none with --quiet, else the first WARNING_LINES and a count of the rest. */
function printMessages(format: typeof formatMessages, files: Parameters<typeof formatMessages>[0], options: {verbose: boolean; quiet: boolean; paint: (line: string) => string}): void {
  const formatMessages = format
  const errors = new Set(formatMessages(files, {warnings: false}))
  const all = formatMessages(files)
  const warnings = options.quiet ? [] : all.filter((line) => !errors.has(line))
  const shown = new Set(options.verbose ? warnings : warnings.slice(0, WARNING_LINES))
  const lines = all.filter((line) => errors.has(line) || shown.has(line))
  if (lines.length > 0) process.stderr.write(lines.map(options.paint).join('\n') + '\n')
  const hidden = warnings.length - shown.size
  if (hidden > 0) process.stderr.write(`galley: ${hidden} more warning${hidden === 1 ? '' : 's'} not shown (galley build --verbose lists them all, with a count per file)\n`)
}

/**
 * `galley: warnings by rule: image-alt: 4200, missing-asset: 3`, and how to
 * silence the most frequent one (site.yml `warnings:`).
 */
function printWarningCounts(counts: ReadonlyArray<readonly [string, number]>): void {
  const first = counts[0]
  if (!first) return
  const listed = counts.map(([rule, count]) => `${rule}: ${count}`).join(', ')
  process.stderr.write(`galley: warnings by rule: ${listed} (to silence one, add to site.yml: warnings: {${first[0]}: off}; or make it fail the build: ${first[0]}: error)\n`)
}

async function runCheck(args: string[]): Promise<number> {
  const {values} = parse(args, checkOptions)
  if (values.help) {
    process.stdout.write(checkUsage)
    return 0
  }
  const config = await siteConfig(values.source, values.out, values['base-url'])
  if (!config) return 1
  return checkBuilt(config, {external: values.external, quiet: values.quiet === true})
}

async function checkBuilt(config: SiteConfig, options: {external?: boolean | undefined; quiet?: boolean | undefined}): Promise<number> {
  const {checkSite, formatBroken} = await import('./check.js')
  const result = await checkSite({out: config.out, baseurl: config.baseurl, siteUrl: config.url || undefined, external: options.external ?? false})
  const lines = formatBroken(result.broken)
  const where = path.relative(process.cwd(), config.out) || '.'
  if (!options.quiet) await printImageNotes(config.out)
  if (result.offline && !options.quiet) {
    const {code, unchecked, hosts} = result.offline
    process.stderr.write(`galley: the network looks unreachable (${code} for every one of ${hosts} hosts); ${unchecked} external link${unchecked === 1 ? ' was' : 's were'} not checked\n`)
  }
  if (lines.length > 0) {
    process.stderr.write(lines.join('\n') + '\n')
    process.stderr.write(`galley: ${lines.length} broken link${lines.length === 1 ? '' : 's'} in ${where}/ (${count(result.pages, 'page')}, ${count(result.links, 'link')} checked)\n`)
    return 1
  }
  if (!options.quiet) process.stdout.write(`galley: no broken links in ${where}/ (${count(result.pages, 'page')}, ${count(result.links, 'link')} checked)\n`)
  return 0
}

/** `galley check`'s notes on images: remote ones not mirrored, mirrored ones no page shows (never a failure). */
async function printImageNotes(out: string): Promise<void> {
  const {checkImages} = await import('./images/check-images.js')
  const notes = await checkImages(out)
  if (notes.remote.size > 0) {
    const listed = [...notes.remote].slice(0, 5).map(([url, page]) => `  ${url} (${page})`)
    const more = notes.remote.size > listed.length ? [`  … and ${notes.remote.size - listed.length} more`] : []
    process.stderr.write(`galley: note: ${count(notes.remote.size, 'remote image')} ${notes.remote.size === 1 ? 'loads' : 'load'} from other sites; galley images pull keeps a copy in the site:\n${[...listed, ...more].join('\n')}\n`)
  }
  if (notes.unused.length > 0) {
    process.stderr.write(`galley: note: ${count(notes.unused.length, 'mirrored image')} ${notes.unused.length === 1 ? 'is' : 'are'} shown by no page (their lock entries in data/remote-images.yml can go):\n${notes.unused.map((file) => `  ${file}`).join('\n')}\n`)
  }
}

async function runDeploy(args: string[]): Promise<number> {
  const {values} = parse(args, deployOptions)
  if (values.help) {
    process.stdout.write(deployUsage)
    return 0
  }
  if (!values.git) throw new UsageError(`deploy needs --git REMOTE\n\n${deployUsage}`)
  let config: SiteConfig | undefined
  if (values.build) {
    const built = await buildAndReport({source: values.source ?? '.', out: values.out})
    if (built.code !== 0) {
      process.stderr.write('galley: not deploying: the build failed\n')
      return built.code
    }
    config = built.config
  } else config = await siteConfig(values.source, values.out, undefined)
  if (!config) return 1
  const where = path.relative(process.cwd(), config.out) || '.'
  if (!values.build) {
    const {staleSources} = await import('./stale-sources.js')
    const stale = await staleSources(config)
    const first = stale.newer[0]
    if (first !== undefined) {
      const more = stale.newer.length > 1 ? ` and ${stale.newer.length - 1} more` : ''
      const since = stale.builtAt === undefined ? 'its files were written' : `it was built (${new Date(stale.builtAt).toISOString().replace(/\.\d{3}Z$/, 'Z')})`
      process.stderr.write(`galley: not deploying ${where}/: ${first}${more} changed after ${since}; run galley build first, or galley deploy --build\n`)
      return 1
    }
  }
  const {deployToGit} = await import('./deploy.js')
  try {
    const result = await deployToGit({out: config.out, remote: values.git, branch: values.branch, now: new Date(), repository: config.source})
    process.stdout.write(
      result.changed
        ? `galley: deployed ${where}/ to ${values.git} (${result.branch} at ${result.commit.slice(0, 12)})\n`
        : `galley: nothing changed; ${result.branch} stays at ${result.commit.slice(0, 12)}\n`
    )
    return 0
  } catch (error) {
    process.stderr.write(`galley: deploy failed: ${(error as Error).message}\n`)
    return 1
  }
}

async function runNew(args: string[]): Promise<number> {
  const {values, positionals} = parseWithPositionals(args, {source: {type: 'string'}, draft: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}})
  if (values.help) {
    process.stdout.write(newUsage)
    return 0
  }
  const title = positionals.join(' ').trim()
  if (title === '') throw new UsageError(`new needs a title\n\n${newUsage}`)
  return scaffold(async ({createPost}) => {
    const created = await createPost({source: path.resolve(String(values.source ?? '.')), title, draft: values.draft === true, now: Date.now()})
    // Relative to where the command runs, so it can be opened as printed (`--source blog` → blog/posts/…).
    process.stdout.write(`${path.relative(process.cwd(), created.path).split(path.sep).join('/')}\n`)
  })
}

async function runInit(args: string[]): Promise<number> {
  const {values, positionals} = parseWithPositionals(args, {help: {type: 'boolean', short: 'h'}})
  if (values.help) {
    process.stdout.write(initUsage)
    return 0
  }
  const [dir, ...extra] = positionals
  if (dir === undefined || extra.length > 0) throw new UsageError(`init needs exactly one folder\n\n${initUsage}`)
  return scaffold(async ({initSite}) => {
    const result = await initSite({dir, now: Date.now()})
    process.stdout.write(
      `Created ${dir}:\n${result.created.map((file) => `  ${file}`).join('\n')}\n\n` +
        `Next:\n  cd ${dir}\n  npm install         # installs Galley from ${result.galley}\n  npx galley new "A title"  # start a post\n  npx galley serve    # preview it with live reload (or: npm run serve)\n  npx galley build    # build it into _site/ (or: npm run build)\n\n` +
        `To publish on GitHub Pages, push the folder to a GitHub repository: .github/workflows/pages.yml builds and\n` +
        `deploys it (Settings → Pages → Source: GitHub Actions; Galley must install there: see the comment in that file).\n` +
        `Or, from here: galley build --source ${dir}\n`
    )
  })
}

/** Run a scaffolding step; a refusal (existing file, non-empty folder) is printed and exits 1. */
async function scaffold(step: (module: typeof import('./scaffold.js')) => Promise<void>): Promise<number> {
  const module = await import('./scaffold.js')
  const {ScaffoldError} = module
  try {
    await step(module)
    return 0
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error
    process.stderr.write(`galley: ${error.message}\n`)
    return 1
  }
}

function parseWithPositionals<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({args, options, allowPositionals: true, strict: true})
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** The site's config for commands that read a built site; prints the problems and returns undefined when it cannot be read. */
async function siteConfig(source: string | undefined, out: string | undefined, baseUrl: string | undefined): Promise<SiteConfig | undefined> {
  const [{loadConfig}, {formatMessages}] = await Promise.all([import('./config.js'), import('./report.js')])
  const loaded = loadConfig({source: source ?? '.', out, baseUrl, now: Date.now()})
  const lines = formatMessages([loaded.file])
  if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n')
  return loaded.config
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({args, options, allowPositionals: false, strict: true})
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      // The first line may echo what was typed; the rest is our usage text.
      const [first = '', ...rest] = error.message.split('\n')
      process.stderr.write(`galley: ${[escapeControls(first), ...rest].join('\n')}\n`)
      process.exitCode = 2
      return
    }
    // A bug of Galley's, not a problem of the site: one line, the trace only when asked for.
    const verbose = process.argv.includes('--verbose')
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    process.stderr.write(`galley: internal error: ${escapeControls(what.split('\n')[0] ?? '')}; this is a bug in Galley, please report it (with --verbose for the trace)\n`)
    if (verbose) process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 1
  }
)
