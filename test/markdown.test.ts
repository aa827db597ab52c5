import {existsSync, readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {createRenderer} from '../src/markdown/pipeline.js'
import {formatMessages} from '../src/report.js'
import {fixtures} from './helpers.js'

/**
 * Golden fixtures for the whole markdown pipeline: one folder per case with
 * input.md, the expected output.html, optional config.json (`path`, `files`,
 * `baseurl`, `excerptSeparator`) and, when the case reports problems,
 * messages.txt. Regenerate expectations with `UPDATE=1 npx vitest run` (or `-u`) and review the diff; without it a missing or different file fails.
 */
interface CaseConfig {
  readonly path?: string
  readonly files?: Record<string, string>
  readonly baseurl?: string
  readonly excerptSeparator?: string
  /** Read kramdown syntax (a Jekyll site). */
  readonly kramdown?: boolean
  /** `toc:` in site.yml (default off here, so cases show only what they are about). */
  readonly toc?: boolean | 'auto'
  /** `figures:` in site.yml (default as a site gets it: off on kramdown sites, else auto). */
  readonly figures?: 'auto' | 'off'
}

const folder = path.join(fixtures, 'markdown')

describe('markdown pipeline fixtures', () => {
  for (const name of readdirSync(folder).sort()) {
    const dir = path.join(folder, name)
    it(name, async () => {
      const configPath = path.join(dir, 'config.json')
      const config: CaseConfig = existsSync(configPath) ? JSON.parse(readFileSync(configPath, 'utf8')) : {}
      const renderer = createRenderer({
        baseurl: config.baseurl ?? '',
        url: 'https://blog.example.com',
        excerptSeparator: config.excerptSeparator ?? '<!--more-->',
        files: new Map(Object.entries(config.files ?? {})),
        settings: {toc: config.toc ?? false, figures: config.figures ?? (config.kramdown ? 'off' : 'auto'), externalTarget: undefined, embeds: {substack: true, youtube: true, twitter: true, gist: true}, singleDollarMath: false, kramdown: config.kramdown ?? false, kramdownParseBlockHtml: false, kramdownTocLevels: [1, 2, 3, 4, 5, 6], images: {remote: 'mirror', responsive: false, widths: [480, 800, 1200, 1600], formats: ['avif', 'webp'], sizes: '100vw'}}
      })
      const file = new VFile({path: config.path ?? 'posts/2024-05-12-case.md', value: readFileSync(path.join(dir, 'input.md'), 'utf8')})
      const {html} = await renderer.render(file, 'markdown')
      await expect(html).toMatchFileSnapshot(path.join(dir, 'output.html'))
      const excerpt = file.data.excerpt
      await expect(`${excerpt?.marked ? 'marked' : 'first paragraph'}\n${excerpt?.html ?? ''}\n`).toMatchFileSnapshot(path.join(dir, 'excerpt.html'))
      const messages = formatMessages([file]).join('\n')
      await expect(messages === '' ? '' : messages + '\n').toMatchFileSnapshot(path.join(dir, 'messages.txt'))
    })
  }
})
