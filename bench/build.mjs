#!/usr/bin/env node
// Benchmark: cold builds of generated sites of seed-shaped posts, through the real CLI.
// Usage: npm run bench [-- --posts 1000 --runs 5]
// Prints the median wall time per site size; run on an otherwise idle machine.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'
import {generateSite, machine, median} from './site.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {values} = parseArgs({options: {posts: {type: 'string', default: '100,1000'}, runs: {type: 'string', default: '5'}}})
const sizes = values.posts.split(',').map(Number)
const runs = Number(values.runs)

console.log(machine())
for (const count of sizes) {
  const dir = generateSite(count)
  const times = []
  for (let run = 0; run < runs; run++) {
    const started = process.hrtime.bigint()
    execFileSync(process.execPath, [path.join(root, 'dist/cli.js'), 'build', '--source', dir], {stdio: ['ignore', 'ignore', 'pipe']})
    times.push(Number(process.hrtime.bigint() - started) / 1e6)
  }
  console.log(`galley build, ${count} posts: median ${median(times).toFixed(0)} ms over ${runs} cold runs (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`)
  rmSync(dir, {recursive: true, force: true})
}
