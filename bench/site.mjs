// Shared by the benchmarks: generated sites of seed-shaped posts, medians, and the machine line.
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const mirror = path.join(root, 'test/fixtures/sites/seed-mirror')

/**
 * A temp site of `count` posts shaped like the seed (this project's own mirror
 * fixture), each with its own date, slug and title; `siteYml` when given.
 */
export function generateSite(count, {prefix = 'galley-bench', siteYml} = {}) {
  const template = readFileSync(path.join(mirror, 'posts/2024-05-12-how-good-are-the-latest-open-llms.md'), 'utf8')
  const dir = mkdtempSync(path.join(os.tmpdir(), `${prefix}-${count}-`))
  mkdirSync(path.join(dir, 'posts'))
  mkdirSync(path.join(dir, 'assets'))
  copyFileSync(path.join(mirror, 'assets/ahead_of_ai.png'), path.join(dir, 'assets/ahead_of_ai.png'))
  if (siteYml) writeFileSync(path.join(dir, 'site.yml'), siteYml)
  const start = Date.UTC(2015, 0, 1)
  for (let index = 0; index < count; index++) {
    const date = new Date(start + index * 86_400_000).toISOString().slice(0, 10)
    const text = template.replace(/^title:.*$/m, `title: Round-up number ${index + 1} <br> of the bench`).replace(/^date:.*$/m, `date: ${date} 09:00:00 +0900`)
    writeFileSync(path.join(dir, 'posts', `${date}-round-up-${index + 1}.md`), text)
  }
  return dir
}

export function median(list) {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

export function machine() {
  return `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`
}
