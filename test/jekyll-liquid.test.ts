import {fromHtml} from 'hast-util-from-html'
import {select, selectAll} from 'hast-util-select'
import {toString} from 'hast-util-to-string'
import {describe, expect, it} from 'vitest'
import {buildSite} from '../src/build.js'
import {formatMessages} from '../src/report.js'
import {makeSite, read} from './helpers.js'

const NOW = Date.parse('2025-06-01T00:00:00Z')

async function build(dir: string) {
  const report = await buildSite({source: dir, now: NOW})
  return {...report, messages: formatMessages(report.files).filter((line) => !line.endsWith('(site-url)'))}
}

const post = (front: string, body: string) => `---\n${front}\n---\n${body}`

/** A Jekyll site with its own layouts, the way a theme writes them. */
const jekyllSite = {
  '_config.yml': 'title: Field Notes\nurl: https://notes.example\ndescription: Notes from the field\n',
  '_layouts/default.html': '<!doctype html><html lang="en"><head>{% seo %}{% feed_meta %}</head><body>{{ content }}</body></html>\n',
  '_layouts/post.html': [
    '---',
    'layout: default',
    '---',
    '<article>{{ content }}</article>',
    '<nav>{% if page.previous %}<a class="prev" href="{{ page.previous.url }}">{{ page.previous.title }}</a>{% endif %}{% if page.next %}<a class="next" href="{{ page.next.url }}">{{ page.next.title }}</a>{% endif %}</nav>',
    '<div class="summary">{{ page.excerpt }}</div>',
    ''
  ].join('\n'),
  '_includes/badge.html': '<span class="badge">{{ include.label }}/{{ include.count }}</span>',
  'index.html': [
    '---',
    'layout: default',
    '---',
    '<ul class="tags">{% for tag in site.tags %}<li>{{ tag[0] }}: {{ tag[1].size }}</li>{% endfor %}</ul>',
    '<ul class="cats">{% for c in site.categories %}<li>{{ c[0] }}={% for p in c[1] %}{{ p.title }};{% endfor %}</li>{% endfor %}</ul>',
    ''
  ].join('\n')
}

describe('a Jekyll site\'s Liquid', () => {
  it('renders jekyll-seo-tag, jekyll-feed, the neighbours, excerpts, category and tag hashes and includes with variables', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_posts/2024-01-01-first.md': post('title: First light\ntags: [sky]\ncategories: [log]', 'The first night was clear.\n'),
      '_posts/2024-01-02-second.md': post(
        'title: Second "night"\ntags: [sky, cold]\ncategories: [log]\nexcerpt: "Written *apart* from the body"\nmoons: 2',
        'Cold and bright.\n<!--more-->\n{% assign word = "moons" %}{% include badge.html label=word count=page.moons %}\n'
      ),
      '_posts/2024-01-03-third.md': post('title: Third\nexcerpt_separator: <!--cut-->', 'One *cloud*.\n\nTwo clouds.\n<!--cut-->\nRain.\n')
    })
    const result = await build(dir)
    expect(result.messages).toEqual([])
    const second = fromHtml(await read(dir, '_site/2024/01/02/second/index.html'))
    expect(toString(select('title', second)!)).toBe('Second "night" | Field Notes')
    expect(select('link[rel=canonical]', second)?.properties.href).toBe('https://notes.example/2024/01/02/second/')
    expect(select('meta[property="og:title"]', second)?.properties.content).toBe('Second "night"')
    expect(select('link[type="application/atom+xml"]', second)?.properties.href).toBe('https://notes.example/feed.xml')
    expect(toString(select('.prev', second)!)).toBe('First light')
    expect(toString(select('.next', second)!)).toBe('Third')
    // excerpt: in front matter wins over the separator in the body, rendered as HTML.
    expect(select('.summary em', second) && toString(select('.summary', second)!)).toBe('Written apart from the body')
    expect(toString(select('.badge', second)!)).toBe('moons/2')
    const third = fromHtml(await read(dir, '_site/2024/01/03/third/index.html'))
    expect(selectAll('.summary p', third).map((node) => toString(node))).toEqual(['One cloud.', 'Two clouds.'])
    expect(select('.summary em', third)).toBeTruthy()
    const index = fromHtml(await read(dir, '_site/index.html'))
    expect(selectAll('.tags li', index).map((node) => toString(node)).sort()).toEqual(['cold: 1', 'sky: 2'])
    expect(selectAll('.cats li', index).map((node) => toString(node))).toEqual(['log=Second "night";First light;'])
  })

  it('includes a file named by a variable (filters allowed, as in Jekyll), with variables and quoted strings as parameters', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_includes/cards/star.html': '<b class="card">{{ include.name }} at {{ include.where }}</b>',
      '_posts/2024-01-01-a.md': post('title: A\ncard: star\nplace: the ridge', '{% include cards/{{ page.card }}.html name="Vega" where=page.place %}\n\n{% include {{ page.card | prepend: "cards/" | append: ".html" }} name=\'Deneb\' where="the lake" %}\n')
    })
    const result = await build(dir)
    expect(result.messages).toEqual([])
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    expect(html).toContain('<b class="card">Vega at the ridge</b>')
    expect(html).toContain('<b class="card">Deneb at the lake</b>')
  })

  it('leaves the title out for {% seo title=false %}, and escapes every value it writes', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_layouts/default.html': '<html><head><title>Mine</title>{% seo title=false %}</head><body>{{ content }}</body></html>',
      '_posts/2024-01-01-a.md': post('title: "A <script>alert(1)</script> & b"', 'Body.\n')
    })
    const result = await build(dir)
    expect(result.messages).toEqual([])
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    expect(html.match(/<title>/g)).toHaveLength(1)
    expect(html).not.toContain('<script>alert')
  })

  it('warns about a malformed output at its line and renders it as Jekyll does; an unknown filter passes its value', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_posts/2024-01-01-a.md': post('title: A', 'Before.\n\n<!-- {{<figure src="old.png">}} -->\n\nTitle: {{ page.title | shout }}.\n')
    })
    const result = await build(dir)
    expect(result.ok).toBe(true)
    expect(result.messages).toEqual([
      expect.stringMatching(/^_posts\/2024-01-01-a\.md:6:6: warning: malformed Liquid output \{\{<figure src="old\.png">\}\} .* \(liquid-syntax\)$/),
      expect.stringMatching(/^_posts\/2024-01-01-a\.md:8:24: warning: unknown filter "shout": .* \(liquid-filter\)$/)
    ])
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    expect(html).toContain('<p>Title: A.</p>')
    expect(html).not.toContain('figure')
  })

  it('honours liquid: strict settings in _config.yml', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_config.yml': 'title: Strict\nliquid:\n  error_mode: strict\n  strict_filters: true\n',
      '_posts/2024-01-01-a.md': post('title: A', 'Text {{ page.title | shout }}\n')
    })
    const result = await build(dir)
    expect(result.ok).toBe(false)
    expect(result.messages).toEqual([expect.stringMatching(/^_posts\/2024-01-01-a\.md:4:6: error: undefined filter: shout \(liquid\)$/)])
  })

  it('keeps a site that is not a Jekyll site strict', async () => {
    const dir = await makeSite({'site.yml': 'title: Plain\n', 'posts/2024-01-01-a.md': post('title: A', '<!-- {{<figure src="x">}} -->\n')})
    const result = await build(dir)
    expect(result.ok).toBe(false)
    expect(result.messages[0]).toMatch(/^posts\/2024-01-01-a\.md:4:\d+: error: .*\(liquid\)$/)
  })

  it('reports an unknown tag as an error naming its plugin', async () => {
    const dir = await makeSite({...jekyllSite, '_posts/2024-01-01-a.md': post('title: A', 'Text.\n\n{% include_cached card.html %}\n')})
    const result = await build(dir)
    expect(result.ok).toBe(false)
    expect(result.messages).toEqual([expect.stringMatching(/^_posts\/2024-01-01-a\.md:6:1: error: unknown tag "include_cached": it comes from the Jekyll plugin jekyll-include-cache, .*\(liquid\)$/)])
  })

  it('renders {% twitter %} as a static card, {% mermaid %} as a drawn diagram and {% highlight … linenos %} with numbered lines', async () => {
    const dir = await makeSite({
      ...jekyllSite,
      '_posts/2024-01-01-a.md': post(
        'title: A',
        [
          '{% twitter https://twitter.com/galley_test/status/1234567890 maxwidth=500 %}',
          '',
          '{% twitter javascript:alert(1) %}',
          '',
          '{% mermaid %}',
          'graph LR',
          '  Seed --> Sprout',
          '{% endmermaid %}',
          '',
          '{% highlight python linenos %}',
          'a = 1',
          'b = 2',
          '{% endhighlight %}',
          ''
        ].join('\n')
      )
    })
    const result = await build(dir)
    expect(result.messages).toEqual([expect.stringMatching(/^_posts\/2024-01-01-a\.md:6:1: warning: \{% twitter %\} needs the URL of a post .*"javascript:alert\(1\)".* \(twitter\)$/)])
    const html = await read(dir, '_site/2024/01/01/a/index.html')
    const page = fromHtml(html)
    const card = select('blockquote.twitter-tweet.embed-tweet', page)
    expect(card && toString(card)).toContain('A post by @galley_test on X')
    expect(select('blockquote a', page)?.properties.href).toBe('https://twitter.com/galley_test/status/1234567890')
    expect(html).not.toMatch(/<script(?! type="application\/ld\+json")|javascript:/)
    expect(selectAll('figure.diagram-mermaid svg text', page).map((node) => toString(node))).toEqual(expect.arrayContaining(['Seed', 'Sprout']))
    const code = select('pre code.language-python.linenos', page)
    expect(code && selectAll('.line', code).map((node) => toString(node))).toEqual(['a = 1', 'b = 2'])
  })
})
