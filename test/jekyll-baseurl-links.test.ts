import {fromHtml} from 'hast-util-from-html'
import {selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {makeSite, read, runCli} from './helpers.js'

const doc = (front: string, body: string) => `---\n${front}\n---\n${body}`

describe('{% post_url %} and {% link %} under a baseurl', () => {
  it('link once under the baseurl whether or not {{ site.baseurl }} is written before them, and the site checks clean', async () => {
    const dir = await makeSite({
      '_config.yml': 'title: Lab notes\nurl: https://lab.example\nbaseurl: /notes\npermalink: /:year/:month/:day/:title/\ncollections:\n  guides:\n    output: true\n    permalink: /:collection/:path/\n',
      '_layouts/default.html': '<html><body>{{ content }}<footer><a class="in-layout" href="{{ site.baseurl }}{% post_url 2024-01-01-start %}">start</a></footer></body></html>\n',
      '_layouts/post.html': '---\nlayout: default\n---\n<article>{{ content }}</article>\n',
      '_guides/kit.md': doc('title: Kit', '## Box\n\nWhat is in the box.\n'),
      'about.md': doc('title: About', 'About the lab.\n'),
      '_posts/2024-01-01-start.md': doc('title: Start', 'The first note.\n'),
      '_posts/2024-01-02-next.md': doc(
        'title: Next',
        [
          'Jekyll 3 style: [a]({{ site.baseurl }}{% post_url 2024-01-01-start %}), [b]({{site.baseurl}}{% link about.md %}),',
          '[c]({{- site.baseurl -}}{% link _guides/kit.md %}#box).',
          '',
          'Jekyll 4 style: [d]({% post_url 2024-01-01-start %}#top), [e]({% link _guides/kit.md %}).',
          '',
          'Not after the baseurl: <span class="plain">{{ site.baseurl }}/x {% post_url 2024-01-01-start %}</span>',
          ''
        ].join('\n')
      )
    })
    const built = await runCli(['build', '--source', dir, '--no-cache'])
    expect(built.stderr).not.toMatch(/: (error|warning): /)
    expect(built.code).toBe(0)
    const page = fromHtml(await read(dir, '_site/2024/01/02/next/index.html'))
    expect(selectAll('article a', page).map((a) => a.properties.href)).toEqual([
      '/notes/2024/01/01/start/',
      '/notes/about/',
      '/notes/guides/kit/#box',
      '/notes/2024/01/01/start/#top',
      '/notes/guides/kit/'
    ])
    expect(selectAll('a.in-layout', page).map((a) => a.properties.href)).toEqual(['/notes/2024/01/01/start/'])
    // Only the tag right after `{{ site.baseurl }}` leaves it out: here the tag still gives the whole URL.
    expect(await read(dir, '_site/2024/01/02/next/index.html')).toContain('<span class="plain">/notes/x /notes/2024/01/01/start/</span>')
    const checked = await runCli(['check', '--source', dir])
    expect(checked.stderr).toBe('')
    expect(checked.code).toBe(0)
  })

  it('read a space typed after {{ site.baseurl }} as kramdown does: a link whose URL keeps the space, not the baseurl twice', async () => {
    const dir = await makeSite({
      '_config.yml': 'title: Lab notes\nbaseurl: /notes\npermalink: /:year/:month/:day/:title/\n',
      '_layouts/post.html': '<article>{{ content }}</article>\n',
      '_posts/2024-01-01-start.md': doc('title: Start', 'The first note.\n'),
      '_posts/2024-01-02-next.md': doc('title: Next', 'An [earlier]({{ site.baseurl}} {% post_url 2024-01-01-start %})-style note.\n')
    })
    const built = await runCli(['build', '--source', dir, '--no-cache'])
    expect(built.code).toBe(0)
    const page = fromHtml(await read(dir, '_site/2024/01/02/next/index.html'))
    // Jekyll 3 made href="/notes /2024/01/01/start/" of it (and Jekyll 4 "/notes /notes/…"): the text is a link either way.
    expect(selectAll('article a', page).map((a) => [a.properties.href, toString(a)])).toEqual([['/notes%20/2024/01/01/start/', 'earlier']])
  })
})
