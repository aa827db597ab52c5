import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import rehypeRaw from 'rehype-raw'
import rehypeStringify from 'rehype-stringify'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkRehype, {type Options as RemarkRehypeOptions} from 'remark-rehype'
import {unified, type Pluggable} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import '../src/markdown/data.js'
import {formatMessages} from '../src/report.js'
import {fixtures} from './helpers.js'

/**
 * The fixture loop every plugin test uses (remark-gfm's test/index.js shape):
 * test/fixtures/plugins/<name>/<case>/input.md, output.html, messages.txt and
 * an optional config.json whose `options` go to the plugin (`path` names the
 * file, default posts/2024-05-12-case.md; `matter` is the front matter the
 * plugins see on `file.data.matter`).
 *
 * input.md goes through the same front half as the real pipeline
 * (remark-parse, remark-gfm, remark-rehype with raw HTML, rehype-raw), then
 * `plugins(options)`, then rehype-stringify. `remarkPlugins(options)`, when
 * given, run on the mdast between remark-gfm and remark-rehype (syntax
 * extensions such as remark-math, and remark transforms). Write expected
 * files on purpose with `UPDATE=1 npx vitest run` (or `-u`) and read every output.html and
 * messages.txt.
 */
export function pluginFixtures(
  name: string,
  plugins: (options: Record<string, unknown>) => Pluggable[],
  remarkPlugins?: (options: Record<string, unknown>) => Pluggable[],
  /** remark-rehype options besides raw HTML (`handlers` of a plugin that needs its own). */
  toHast?: Omit<RemarkRehypeOptions, 'allowDangerousHtml'>
): void {
  const folder = path.join(fixtures, 'plugins', name)
  describe(`${name} fixtures`, () => {
    for (const entry of readdirSync(folder).sort()) {
      const dir = path.join(folder, entry)
      it(entry, async () => {
        const configPath = path.join(dir, 'config.json')
        const config: {options?: Record<string, unknown>; path?: string; matter?: Record<string, unknown>} = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {}
        const processor = unified()
          .use(remarkParse)
          .use(remarkGfm)
          .use(remarkPlugins ? remarkPlugins(config.options ?? {}) : [])
          .use(remarkRehype, {...toHast, allowDangerousHtml: true})
          .use(rehypeRaw)
          .use(plugins(config.options ?? {}))
          .use(rehypeStringify)
        const file = new VFile({path: config.path ?? 'posts/2024-05-12-case.md', value: readFileSync(path.join(dir, 'input.md'), 'utf8')})
        if (config.matter) file.data.matter = config.matter
        const result = await processor.process(file)
        await expect(String(result.value) + '\n').toMatchFileSnapshot(path.join(dir, 'output.html'))
        const messages = formatMessages([file])
        await expect(messages.length === 0 ? '' : messages.join('\n') + '\n').toMatchFileSnapshot(path.join(dir, 'messages.txt'))
      })
    }
  })
}
