#!/usr/bin/env node
// Benchmark: how long `galley serve` takes from a post's save on disk to the
// `reload` event reaching a connected client, through the real CLI.
// Usage: npm run bench:serve [-- --edits 15 --posts 1000 --sites sample,generated]
//
// Sites: "sample" is a copy of this repository's own blog (the bench never
// writes into the repository); "generated" is a site of --posts seed-shaped
// posts with `paginate: 10` and a `url:` (bench/generate.mjs, as the build bench uses).
//
// The client is a plain node:http GET on /__galley/events (server-sent events,
// `event:` lines parsed as they arrive), not a browser: the time measured ends
// when the server's `reload` event is read off the socket, so it excludes the
// browser's own reload of the page.
//
// Each edit changes one prose sentence of one post (rotating over posts),
// timed from just before writeFile to the `reload` event; then the bench waits
// for the rebuild's log line and a quiet moment, and counts any extra events.
// Run on an otherwise idle machine.
import {spawn} from 'node:child_process'
import {cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {generateSite, machine, median} from './site.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'dist/cli.js')
const {values} = parseArgs({
  options: {
    edits: {type: 'string', default: '15'},
    posts: {type: 'string', default: '1000'},
    sites: {type: 'string', default: 'sample,generated'},
    settle: {type: 'string', default: '300'}
  }
})
const edits = Number(values.edits)
const postCount = Number(values.posts)
const sites = values.sites.split(',')
/** Quiet time after each rebuild before the next edit (ms): lets a stray second rebuild show up. */
const settle = Number(values.settle)
const EVENT_TIMEOUT = 120_000

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** `galley serve` as a child process, its output kept, with a wait-for-line. */
function startServe(source) {
  const child = spawn(process.execPath, [cli, 'serve', '--source', source, '--port', '0', '--host', '127.0.0.1'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
  const out = {all: '', exited: undefined}
  const listeners = new Set()
  const notify = () => listeners.forEach((listener) => listener())
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk) => {
      out.all += chunk
      notify()
    })
  }
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      out.exited = {code, signal}
      notify()
      resolve(out.exited)
    })
  )
  const waitForLine = (pattern, from = 0, timeout = EVENT_TIMEOUT) =>
    waitUntil(listeners, timeout, () => {
      const line = out.all.slice(from).split('\n').slice(0, -1).find((candidate) => pattern.test(candidate))
      if (line !== undefined) return {value: line}
      if (out.exited) return {error: `galley serve exited (${JSON.stringify(out.exited)}) before a line matching ${pattern}:\n${out.all}`}
      return undefined
    }, () => `no line matching ${pattern} within ${timeout} ms:\n${out.all.slice(from)}`)
  const stop = async () => {
    if (out.exited) return {...out.exited, killed: false}
    child.kill('SIGTERM')
    const result = await Promise.race([exited, sleep(10_000).then(() => undefined)])
    if (result) return {...result, killed: false}
    child.kill('SIGKILL')
    return {...(await exited), killed: true}
  }
  return {child, out, waitForLine, stop}
}

/**
 * Resolve with the first `{value}` that `check` returns (it runs now and on every
 * notification of `listeners`); reject on an `{error}` or after `timeout` ms.
 */
function waitUntil(listeners, timeout, check, timedOut) {
  return new Promise((resolve, reject) => {
    const run = () => {
      const result = check()
      if (result?.error !== undefined) finish(() => reject(new Error(result.error)))
      else if (result) finish(() => resolve(result.value))
    }
    const timer = setTimeout(() => finish(() => reject(new Error(timedOut()))), timeout)
    const finish = (then) => {
      clearTimeout(timer)
      listeners.delete(run)
      then()
    }
    listeners.add(run)
    run()
  })
}

/** A server-sent-events client on plain node:http: every event with its arrival time. */
function connectEvents(url) {
  const events = []
  const listeners = new Set()
  let request
  const opened = new Promise((resolve, reject) => {
    request = http.get(url, {headers: {accept: 'text/event-stream'}}, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${response.statusCode}`))
      resolve()
      let buffer = ''
      let current = {}
      response.setEncoding('utf8').on('data', (chunk) => {
        const at = performance.now()
        buffer += chunk
        let end
        while ((end = buffer.indexOf('\n')) !== -1) {
          const line = buffer.slice(0, end).replace(/\r$/, '')
          buffer = buffer.slice(end + 1)
          if (line === '') {
            if (current.event !== undefined || current.data !== undefined) {
              events.push({event: current.event ?? 'message', id: current.id, data: current.data, at})
              listeners.forEach((listener) => listener())
            }
            current = {}
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':')
            const field = colon === -1 ? line : line.slice(0, colon)
            const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
            if (field === 'data') current.data = current.data === undefined ? value : `${current.data}\n${value}`
            else if (field === 'event' || field === 'id') current[field] = value
          }
        }
      })
      response.on('end', () => events.push({event: '(stream ended)', at: performance.now()}))
    })
    request.on('error', reject)
  })
  /** The first event from index `from` on named `name`. */
  const waitFor = (name, from, timeout = EVENT_TIMEOUT) =>
    waitUntil(listeners, timeout, () => {
      const found = events.slice(from).find((event) => event.event === name)
      return found ? {value: found} : undefined
    }, () => `no "${name}" event within ${timeout} ms; events since: ${JSON.stringify(events.slice(from))}`)
  return {events, opened, waitFor, close: () => request.destroy()}
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk) => (body += chunk))
        response.on('end', () => resolve({status: response.statusCode, body}))
      })
      .on('error', reject)
  })
}

/** The post's text with one prose sentence after the excerpt changed, different for each `round`. */
function editPost(text, round) {
  const lines = text.split('\n')
  const more = Math.max(0, lines.indexOf('<!--more-->'))
  const index = lines.findIndex((line, at) => at > more && /^[A-Z][^<>|`*_[\]]{40,}\.$/.test(line))
  if (index === -1) throw new Error('no prose sentence to edit after <!--more-->')
  lines[index] = `${lines[index].slice(0, -1)}, as edit ${round + 1} of the serve bench says.`
  return lines.join('\n')
}

/** Files and their sizes/mtimes under `dir` (absent: null), to tell whether anything wrote there. */
function treeStamp(dir) {
  if (!existsSync(dir)) return null
  const stamp = new Map()
  for (const entry of readdirSync(dir, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    const stat = statSync(full)
    stamp.set(full, `${stat.size}:${stat.mtimeMs}`)
  }
  return stamp
}

function sameStamp(before, after) {
  if (before === null || after === null) return before === after
  return before.size === after.size && [...before].every(([file, value]) => after.get(file) === value)
}

/** Restores edited posts when the bench stops early (Ctrl-C) or fails. */
const originals = new Map()
function restorePosts() {
  for (const [file, text] of originals) writeFileSync(file, text)
  originals.clear()
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    restorePosts()
    process.exit(130)
  })
}

async function benchSite(label, source, posts) {
  const outDir = path.join(source, '_site')
  const before = treeStamp(outDir)
  const started = performance.now()
  const server = startServe(source)
  const results = []
  try {
    const line = await server.waitForLine(/^galley: serving /, 0, 600_000)
    const startup = performance.now() - started
    const url = line.trim().split(/\s+/).at(-1)
    const origin = new URL(url).origin
    const home = await get(url)
    const revision = /<meta name="galley-revision" content="(\d+)"/.exec(home.body)?.[1]
    if (home.status !== 200 || !revision) throw new Error(`GET ${url}: HTTP ${home.status}, galley-revision meta ${revision ?? 'missing'}`)
    const client = connectEvents(`${origin}/__galley/events?since=${revision}`)
    await client.opened
    await sleep(settle)
    const early = client.events.filter((event) => event.event !== '(stream ended)')
    console.log(`\n${label}: ${posts.length} posts edited in rotation; first build and listen ${startup.toFixed(0)} ms; events on connect with since=${revision}: ${early.length ? early.map((event) => event.event).join(', ') : 'none'}`)

    const times = []
    const extra = []
    let shownLog = ''
    for (let round = 0; round < edits; round++) {
      const file = posts[round % posts.length]
      if (!originals.has(file)) originals.set(file, readFileSync(file, 'utf8'))
      const text = editPost(originals.get(file), round)
      const fromEvent = client.events.length
      const fromLog = server.out.all.length
      const t0 = performance.now()
      writeFileSync(file, text)
      const event = await client.waitFor('reload', fromEvent).catch(async (error) => {
        const failed = client.events.slice(fromEvent).find((candidate) => candidate.event === 'build-error' || candidate.event === 'error')
        throw failed ? new Error(`edit ${round + 1} of ${path.relative(source, file)} failed to build: ${failed.data}`) : error
      })
      times.push(event.at - t0)
      await server.waitForLine(/^galley: (rebuilt|build failed)/, fromLog)
      await sleep(settle)
      const others = client.events.slice(fromEvent).filter((candidate) => candidate !== event)
      if (others.length) extra.push(`edit ${round + 1}: also ${others.map((candidate) => `${candidate.event}#${candidate.id}`).join(', ')}`)
      if (round === edits - 1) shownLog = server.out.all.slice(fromLog)
    }

    console.log(`${label}: save → reload event: median ${median(times).toFixed(0)} ms over ${times.length} edits (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`)
    console.log(`${label}: every edit (ms): ${times.map((time) => time.toFixed(0)).join(' ')}`)
    if (extra.length) console.log(`${label}: extra events after an edit's reload: ${extra.join('; ')}`)
    console.log(`${label}: server log for edit ${edits} (${path.relative(source, posts[(edits - 1) % posts.length])}):`)
    for (const logLine of shownLog.trimEnd().split('\n')) console.log(`  ${logLine}`)
    results.push({label, times})

    // Put the posts back and let that rebuild finish before stopping.
    const fromEvent = client.events.length
    restorePosts()
    await client.waitFor('reload', fromEvent).catch(() => undefined)
    client.close()
  } finally {
    restorePosts()
    const stopped = await server.stop()
    console.log(`${label}: galley serve stopped on SIGTERM: exit ${stopped.code}${stopped.signal ? ` (signal ${stopped.signal})` : ''}${stopped.killed ? ' — KILLED: it did not exit within 10 s of SIGTERM' : ''}`)
    const after = treeStamp(outDir)
    const state = before === null ? (after === null ? 'not created' : 'CREATED') : sameStamp(before, after) ? `untouched (${before.size} files)` : 'CHANGED'
    console.log(`${label}: its _site ${state}${state === 'CREATED' || state === 'CHANGED' ? ' — serve must serve from memory' : ''}`)
  }
  return results
}

console.log(machine())
console.log(`client: node:http SSE reader (not a browser); ${edits} edits per site, ${settle} ms quiet time between edits`)
for (const site of sites) {
  if (site === 'sample') {
    // A copy of the repository's sample blog, so the bench never writes into the repository.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-bench-sample-'))
    try {
      for (const entry of ['posts', 'layouts', 'assets', 'site.yml']) cpSync(path.join(root, entry), path.join(dir, entry), {recursive: true})
      const posts = readdirSync(path.join(dir, 'posts'))
        .filter((name) => name.endsWith('.md'))
        .sort()
        .map((name) => path.join(dir, 'posts', name))
      await benchSite('sample blog (a copy)', dir, posts)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  } else if (site === 'generated') {
    const dir = generateSite(postCount, {prefix: 'galley-bench-serve', siteYml: 'title: Serve Bench\nauthor: Bench Author\nurl: https://bench.example.com\npaginate: 10\n'})
    try {
      const all = readdirSync(path.join(dir, 'posts')).sort()
      // Spread the edited posts over the whole range (newest, oldest, middle pages).
      const picked = Array.from({length: Math.min(edits, all.length)}, (_, index) => all[(index * 67 + all.length - 1) % all.length])
      await benchSite(`generated, ${postCount} posts`, dir, [...new Set(picked)].map((name) => path.join(dir, 'posts', name)))
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  } else {
    throw new Error(`unknown site "${site}" (sample, generated)`)
  }
}
