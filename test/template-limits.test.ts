import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli} from './helpers.js'

/** Run a build of `dir` and say how long it took. */
async function timedBuild(dir: string) {
  const start = Date.now()
  const result = await runCli(['build', '--source', dir])
  return {...result, seconds: (Date.now() - start) / 1000}
}

describe('bounded templates', () => {
  it('includes that include each other from a post: exit 1 in seconds, the chain named with files and lines', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'layouts/includes/a.html': 'a\n{% include b.html %}\n',
      'layouts/includes/b.html': '{% include a.html %}\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText\n\n{% include a.html %}\n'
    })
    const result = await timedBuild(dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.seconds).toBeLessThan(20)
    expect(result.stderr).not.toMatch(/internal error|heap/i)
    expect(result.stderr).toMatch(
      /^layouts\/includes\/(?:a|b)\.html:\d+:\d+: error: includes nest more than 50 deep: posts\/2024-05-12-a\.md:6:1 includes a\.html, layouts\/includes\/a\.html:2:1 includes b\.html, layouts\/includes\/b\.html:1:1 includes a\.html, layouts\/includes\/a\.html:2:1 includes b\.html, and so on: the includes form a cycle \(liquid\)$/m
    )
    expect(existsSync(path.join(dir, '_site'))).toBe(false)
  })

  it('an include that includes itself from a layout: exit 1, the message on the include at its line', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'layouts/post.html': '---\nlayout: default\n---\n\n{% include self.html %}{{ content }}\n',
      'layouts/includes/self.html': 'me\n  {% include self.html %}\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText\n'
    })
    const result = await timedBuild(dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.seconds).toBeLessThan(20)
    expect(result.stderr).toMatch(
      /^layouts\/includes\/self\.html:2:3: error: includes nest more than 50 deep: layouts\/post\.html:5:1 includes self\.html, layouts\/includes\/self\.html:2:3 includes self\.html, layouts\/includes\/self\.html:2:3 includes self\.html, and so on: the includes form a cycle \(while applying layout "post" to posts\/2024-05-12-a\.md\) \(liquid\)$/m
    )
  })

  it('a chain of includes 50 deep still renders', async () => {
    const files: Record<string, string> = {'site.yml': 'title: T\n', 'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText {% include i1.html %}\n'}
    for (let level = 1; level <= 50; level++) files[`layouts/includes/i${level}.html`] = level === 50 ? 'bottom' : `{% include i${level + 1}.html %}`
    const dir = await makeSite(files)
    const result = await timedBuild(dir)
    expect(result.code, result.stderr).toBe(0)
    expect(await read(dir, '_site/2024/05/12/a/index.html')).toContain('Text bottom')
  })

  it('a loop over (1..100000000) is an error at its position, not minutes at 4 GB', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText\n\n  {% for i in (1..100000000) %}{{ i }}{% endfor %}\n'
    })
    const result = await timedBuild(dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.seconds).toBeLessThan(20)
    expect(result.stderr).toMatch(/^posts\/2024-05-12-a\.md:6:3: error: this template allocates too much \(memory limit: .*\) \(liquid\)$/m)
  })

  it('a huge loop in a layout is an error on the layout', async () => {
    const dir = await makeSite({
      'site.yml': 'title: T\n',
      'layouts/post.html': '---\nlayout: default\n---\n{{ content }}\n{% assign n = 100000000 %}{% for i in (1..n) %}.{% endfor %}\n',
      'posts/2024-05-12-a.md': '---\ntitle: A\n---\nText\n'
    })
    const result = await timedBuild(dir)
    expect(result.code, result.stderr).toBe(1)
    expect(result.seconds).toBeLessThan(20)
    expect(result.stderr).toMatch(/^layouts\/post\.html:5:\d+: error: this template allocates too much/m)
  })
})
