#!/usr/bin/env node
// Benchmark: cold builds of generated sites of seed-shaped posts, through the real CLI.
// Usage: npm run bench [-- --posts 1000 --runs 5]
// Prints the median wall time per site size; run on an otherwise idle machine.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, mkdirSync, readFileSync, writeFileSync, copyFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {values} = parseArgs({options: {posts: {type: 'string', default: '100,1000'}, runs: {type: 'string', default: '5'}}})
const sizes = values.posts.split(',').map(Number)
const runs = Number(values.runs)
const mirror = path.join(root, 'test/fixtures/sites/seed-mirror')
const template = readFileSync(path.join(mirror, 'posts/2024-05-12-how-good-are-the-latest-open-llms.md'), 'utf8')

/** A site of `count` posts shaped like the seed, each with its own date, slug and title. */
function generate(count) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `galley-bench-${count}-`))
  mkdirSync(path.join(dir, 'posts'))
  mkdirSync(path.join(dir, 'assets'))
  copyFileSync(path.join(mirror, 'assets/ahead_of_ai.png'), path.join(dir, 'assets/ahead_of_ai.png'))
  const start = Date.UTC(2015, 0, 1)
  for (let index = 0; index < count; index++) {
    const date = new Date(start + index * 86_400_000).toISOString().slice(0, 10)
    const text = template.replace(/^title:.*$/m, `title: Round-up number ${index + 1} <br> of the bench`).replace(/^date:.*$/m, `date: ${date} 09:00:00 +0900`)
    writeFileSync(path.join(dir, 'posts', `${date}-round-up-${index + 1}.md`), text)
  }
  return dir
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`)
for (const count of sizes) {
  const dir = generate(count)
  const times = []
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint()
    execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'build', '--source', dir], {stdio: ['ignore', 'ignore', 'inherit']})
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  console.log(`galley build, ${count} posts: median ${median(times).toFixed(0)} ms over ${runs} cold runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`)
  rmSync(dir, {recursive: true, force: true})
}
