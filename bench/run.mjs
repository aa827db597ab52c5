#!/usr/bin/env node
// The build benchmark: Galley against Eleventy and Hugo on generated seed-shaped sites.
//
// Usage: npm run bench [-- --posts 1000,4000 --runs 5 --tools galley,eleventy,hugo
//                          --rss-sizes 1000,4000,16000 --markdown-out FILE
//                          --json-out FILE (default bench/results/latest.json) --keep --seed 1]
//
// For each size, the same generated posts (bench/generate.mjs) are laid out for each tool
// (bench/tools/*.mjs) in a temp folder, and each figure is the median of --runs
// whole-process runs, Galley and its anchor alternating so that ratios hold on a noisy
// machine: cold build and peak RSS against Eleventy's cold build; the no-change rebuild,
// the one-post edit and the one-layout edit against Hugo's full (cold) build. Eleventy
// and Hugo also do each rebuild natively (a second plain build), shown for reference.
// Prints one markdown table on stdout (progress goes to stderr) and writes all raw
// timings to bench/results/latest.json (git-ignored).
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {describeCorpus, generatePosts} from './generate.mjs'
import {machine, median} from './site.mjs'
import {benchDir, missingPages, root} from './tools/common.mjs'
import eleventy from './tools/eleventy.mjs'
import galley, {startupCommands} from './tools/galley.mjs'
import hugo from './tools/hugo.mjs'

const {values: options} = parseArgs({
  options: {
    posts: {type: 'string', default: '1000,4000'},
    runs: {type: 'string', default: '5'},
    tools: {type: 'string', default: 'galley,eleventy,hugo'},
    'rss-sizes': {type: 'string', default: ''},
    'markdown-out': {type: 'string'},
    'json-out': {type: 'string', default: path.join(benchDir, 'results/latest.json')},
    keep: {type: 'boolean', default: false},
    seed: {type: 'string', default: '1'}
  }
})
const list = (text) => text.split(',').map((item) => item.trim()).filter(Boolean)
const sizes = list(options.posts).map(Number)
const rssSizes = list(options['rss-sizes']).map(Number)
const runs = Number(options.runs)
const seed = Number(options.seed)
if ([...sizes, ...rssSizes, runs, seed].some((value) => !Number.isInteger(value) || value < 1)) usage('--posts, --rss-sizes, --runs and --seed take positive integers')
const requested = list(options.tools)
const known = {galley, eleventy, hugo}
for (const name of requested) if (!known[name]) usage(`unknown tool "${name}" (galley, eleventy, hugo)`)
if (!requested.includes('galley')) usage('--tools must include galley')

function usage(message) {
  console.error(`bench: ${message}`)
  process.exit(2)
}
const log = (message) => console.error(`[bench] ${message}`)

/** Tools to run, and why a requested one cannot. */
const tools = requested.map((name) => known[name]).filter((tool) => !tool.unavailable())
const missing = Object.fromEntries(requested.filter((name) => known[name].unavailable()).map((name) => [name, known[name].unavailable()]))
if (missing.galley) usage(missing.galley)
const has = (name) => tools.some((tool) => tool.name === name)

const GNU_TIME = '/usr/bin/time'
const gnuTime = existsSync(GNU_TIME)
const timeFile = path.join(os.tmpdir(), `galley-bench-time-${process.pid}.txt`)

/** One whole-process run: wall time in ms and peak RSS in KiB (GNU time's %M). Throws on failure. */
function measure({file, args, cwd}, what) {
  const [command, argv] = gnuTime ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, file, ...args]] : [file, args]
  const started = process.hrtime.bigint()
  const result = spawnSync(command, argv, {cwd, encoding: 'utf8', maxBuffer: 256 * 2 ** 20})
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`
    throw new Error(`${what}: ${file} ${args.join(' ')} exited ${result.status ?? result.signal}:\n${output.slice(-4000)}`)
  }
  const rssKiB = gnuTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ')[1]) : undefined
  return {ms, rssKiB}
}

/** Fails loudly unless every post's page was written. */
function checkPages(tool, dir, posts) {
  const absent = missingPages(tool.outDir(dir), posts)
  if (absent.length) throw new Error(`${tool.label} wrote ${posts.length - absent.length} of ${posts.length} post pages; missing e.g. ${absent.slice(0, 3).map((post) => post.url).join(', ')} (${dir})`)
  return posts.length
}

// Scenarios: how to get a tool's site ready for the timed build, and what Galley is held to.
const scenarios = [
  {key: 'cold', label: 'cold build', prepare: (tool, dir) => tool.clean(dir), anchor: 'eleventy', goal: 1.0},
  {key: 'noChange', label: 'no-change rebuild', prepare: () => {}, anchor: 'hugo', goal: 0.2},
  {key: 'onePost', label: 'one-post edit', prepare: (tool, dir, run, post) => tool.editPost(dir, post, run), anchor: 'hugo', goal: 0.3},
  {key: 'oneLayout', label: 'one-layout edit', prepare: (tool, dir, run) => tool.editLayout(dir, run), anchor: 'hugo', goal: 0.5}
]
const cold = scenarios[0]

/**
 * results[size][scenario][tool] = [{ms, rssKiB}, …] for each tool doing the scenario, and
 * results[size][scenario].anchor = the anchor's cold builds run alongside (rebuild scenarios).
 */
const results = {}
const corpora = {}
const pages = {}
const sites = []

function benchSize(count) {
  const posts = generatePosts(count, seed)
  corpora[count] = describeCorpus(posts)
  log(`${count} posts: ${corpora[count].summary}`)
  const dirs = {}
  for (const tool of tools) {
    dirs[tool.name] = tool.writeSite(posts)
    sites.push(dirs[tool.name])
  }
  const edited = posts[Math.floor(count / 2)]
  results[count] = {}
  pages[count] = {}
  for (const scenario of scenarios) {
    const record = (results[count][scenario.key] = {})
    for (let run = 0; run < runs; run++) {
      // Galley, then its anchor's cold build, then the other tools doing the same scenario.
      const jobs = [[galley, scenario, 'galley']]
      if (scenario !== cold && has(scenario.anchor)) jobs.push([known[scenario.anchor], cold, 'anchor'])
      for (const tool of tools) if (tool !== galley) jobs.push([tool, scenario, tool.name])
      const line = []
      for (const [tool, how, key] of jobs) {
        const dir = dirs[tool.name]
        how.prepare(tool, dir, run, edited)
        const sample = measure(tool.command(dir), `${tool.label} ${how.label}`)
        pages[count][tool.name] = checkPages(tool, dir, posts)
        ;(record[key] ??= []).push(sample)
        line.push(`${tool.name}${key === 'anchor' ? ' (anchor, cold)' : ''} ${formatMs(sample.ms)}`)
      }
      log(`${count} posts · ${scenario.label} · run ${run + 1}/${runs}: ${line.join(', ')}`)
    }
  }
}

/** Galley's cold builds only, for the peak RSS at sizes not in --posts. */
function benchRssOnly(count) {
  const posts = generatePosts(count, seed)
  corpora[count] = describeCorpus(posts)
  const dir = galley.writeSite(posts)
  sites.push(dir)
  const samples = []
  for (let run = 0; run < runs; run++) {
    galley.clean(dir)
    samples.push(measure(galley.command(dir), 'Galley cold build'))
    checkPages(galley, dir, posts)
    log(`${count} posts · peak RSS (Galley only) · run ${run + 1}/${runs}: ${formatMs(samples.at(-1).ms)}, ${formatRss(samples.at(-1).rssKiB)}`)
  }
  ;(results[count] ??= {}).rssOnly = {galley: samples}
}

/** `node dist/cli.js --help` and `--version`: median ms, or 'n/a' when the command fails. */
function benchStartup() {
  const startup = {}
  for (const [name, args] of Object.entries(startupCommands)) {
    const probe = spawnSync(process.execPath, args, {cwd: root, stdio: 'ignore'})
    if (probe.status !== 0) {
      startup[name] = 'n/a'
      log(`galley ${name}: exit ${probe.status}, reported as n/a`)
      continue
    }
    startup[name] = Array.from({length: Math.max(runs, 5)}, () => measure({file: process.execPath, args, cwd: root}, `galley ${name}`).ms)
    log(`galley ${name}: ${startup[name].map(formatMs).join(', ')}`)
  }
  return startup
}

// --- Formatting -------------------------------------------------------------------------

function formatMs(ms) {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}
function formatRss(kib) {
  return kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`
}
const medianOf = (samples, field) => (samples?.length && samples.every((sample) => sample[field] !== undefined) ? median(samples.map((sample) => sample[field])) : undefined)

/** A cell for a tool that did not run: not asked for ("—"), or why it could not. */
const absent = (name) => missing[name] ?? '—'

function tableRows(startup) {
  const rows = []
  for (const count of [...new Set([...sizes, ...rssSizes])].sort((a, b) => a - b)) {
    const byScenario = results[count]
    if (byScenario.rssOnly) {
      rows.push({posts: count, scenario: 'peak RSS, cold build (Galley only)', galley: formatRss(medianOf(byScenario.rssOnly.galley, 'rssKiB')), anchor: '—', anchorMedian: '—', ratio: '—', goal: '—', met: '—', eleventy: '—', hugo: '—'})
      continue
    }
    for (const scenario of [...scenarios, {key: 'rss', label: 'peak RSS, cold build', anchor: 'eleventy', goal: 0.5}]) {
      const rss = scenario.key === 'rss'
      const field = rss ? 'rssKiB' : 'ms'
      const format = rss ? formatRss : formatMs
      const record = byScenario[rss ? 'cold' : scenario.key]
      const anchorSamples = rss || scenario === cold ? record[scenario.anchor] : record.anchor
      const mine = medianOf(record.galley, field)
      const theirs = medianOf(anchorSamples, field)
      const ratio = mine !== undefined && theirs !== undefined ? mine / theirs : undefined
      const goalApplies = !rss || count === 4000
      const other = (name) => (has(name) ? (medianOf(record[name], field) === undefined ? 'n/a' : format(medianOf(record[name], field))) : absent(name))
      rows.push({
        posts: count,
        scenario: scenario.label,
        galley: mine === undefined ? 'n/a' : format(mine),
        anchor: `${known[scenario.anchor].label} cold${scenario.anchor === 'hugo' ? ' (full build)' : ''}`,
        anchorMedian: has(scenario.anchor) ? (theirs === undefined ? 'n/a' : format(theirs)) : absent(scenario.anchor),
        ratio: ratio === undefined ? '—' : `${ratio.toFixed(2)}×`,
        goal: goalApplies ? `≤ ${scenario.goal.toFixed(1)}×` : '— (set at 4000)',
        met: ratio === undefined || !goalApplies ? '—' : ratio <= scenario.goal ? 'met' : 'not met',
        eleventy: other('eleventy'),
        hugo: other('hugo')
      })
    }
  }
  for (const [name, samples] of Object.entries(startup)) {
    const value = samples === 'n/a' ? undefined : median(samples)
    rows.push({posts: '—', scenario: `galley ${name}`, galley: value === undefined ? 'n/a' : formatMs(value), anchor: '—', anchorMedian: '—', ratio: '—', goal: '< 150 ms', met: value === undefined ? 'n/a' : value < 150 ? 'met' : 'not met', eleventy: '—', hugo: '—'})
  }
  return rows
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
    return dirty ? `${commit}+dirty` : commit
  } catch {
    return 'unknown'
  }
}

function render({date, commit, versions, rows}) {
  const columns = [
    ['posts', 'posts', '---:'],
    ['scenario', 'scenario', '---'],
    ['galley', 'Galley', '---:'],
    ['anchor', 'anchor', '---'],
    ['anchorMedian', 'anchor median', '---:'],
    ['ratio', 'ratio', '---:'],
    ['goal', 'goal', '---'],
    ['met', 'met', '---'],
    ['eleventy', 'Eleventy (same scenario)', '---:'],
    ['hugo', 'Hugo (same scenario)', '---:']
  ]
  const tool = (name) => (has(name) ? `${known[name].label} ${versions[name]}` : `${known[name].label}: ${absent(name) === '—' ? 'not run' : absent(name)}`)
  const lines = [
    `Galley build benchmark, ${date} · ${machine()} · commit ${commit} · ${tool('eleventy')} · ${tool('hugo')} · median of ${runs} run${runs === 1 ? '' : 's'} per figure${gnuTime ? '' : ' · no /usr/bin/time: RSS n/a'}`,
    '',
    ...Object.entries(corpora).map(([, corpus]) => `- corpus: ${corpus.summary}`),
    '- ratio = Galley ÷ anchor; anchors: Eleventy\'s cold build (cold build, peak RSS), Hugo\'s full cold build (the three rebuilds). Eleventy and Hugo columns: that tool doing the same scenario natively (a second plain build, no watch mode).',
    '',
    `| ${columns.map(([, title]) => title).join(' | ')} |`,
    `| ${columns.map(([, , align]) => align).join(' | ')} |`,
    ...rows.map((row) => `| ${columns.map(([key]) => String(row[key]).replace(/\|/g, '\\|')).join(' | ')} |`)
  ]
  return `${lines.join('\n')}\n`
}

// --- Main -------------------------------------------------------------------------------

/** Removes the generated sites, unless --keep or a failure (then they are kept to look at). */
function cleanUp(failed = false) {
  if (options.keep || failed) {
    if (sites.length) log(`kept the generated sites: ${sites.join(' ')}`)
  } else {
    for (const dir of sites.splice(0)) rmSync(dir, {recursive: true, force: true})
  }
  rmSync(timeFile, {force: true})
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanUp()
    process.exit(130)
  })
}

try {
  const date = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')
  const versions = Object.fromEntries(tools.map((tool) => [tool.name, tool.version()]))
  for (const [name, reason] of Object.entries(missing)) log(`${name}: ${reason} (${known[name].installHint}); its figures are left out`)
  if (!gnuTime) log(`${GNU_TIME} not found: peak RSS is reported as n/a`)
  for (const count of sizes) benchSize(count)
  for (const count of rssSizes) if (!sizes.includes(count)) benchRssOnly(count)
  const startup = benchStartup()
  const report = {date, machine: machine(), commit: gitCommit(), versions, missing, options: {sizes, rssSizes, runs, seed, tools: requested}, corpora, pages, results, startup}
  report.rows = tableRows(startup)
  const table = render(report)
  process.stdout.write(table)
  mkdirSync(path.dirname(options['json-out']), {recursive: true})
  writeFileSync(options['json-out'], `${JSON.stringify(report, null, 2)}\n`)
  log(`raw timings: ${options['json-out']}`)
  if (options['markdown-out']) {
    writeFileSync(options['markdown-out'], table)
    log(`table written to ${options['markdown-out']}`)
  }
} catch (error) {
  console.error(`bench: ${error.message}`)
  process.exitCode = 1
} finally {
  cleanUp(process.exitCode === 1)
}
