// Shared by the benchmarks: generated Galley sites, medians and the machine line.
import os from 'node:os'
import {generatePosts} from './generate.mjs'
import galley from './tools/galley.mjs'

export {root} from './tools/common.mjs'

/**
 * A temp Galley site of `count` generated seed-shaped posts (bench/generate.mjs) in the
 * default theme (no layouts/ of its own), with `siteYml` as its site.yml when given.
 * bench/serve.mjs uses it; bench/run.mjs uses the tool adapters directly.
 */
export function generateSite(count, {prefix = 'galley-bench', siteYml} = {}) {
  return galley.writeSite(generatePosts(count), {prefix: `${prefix}-${count}`, siteYml, ownLayouts: false})
}

export function median(list) {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function machine() {
  const cpus = os.cpus()
  return `${cpus.length} cores × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}`
}
