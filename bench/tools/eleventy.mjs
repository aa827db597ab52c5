// Eleventy 3: the same markdown in posts/ (dates as RFC 3339, which Eleventy parses,
// and a permalink /YYYY/MM/DD/slug/), Liquid layouts about as rich as Galley's default
// theme, an index of every post and one page per tag. Built by bench/node_modules' CLI.
import {copyFileSync, existsSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {appendSentence, benchDir, editLayout, frontMatter, heroImage, put, rfc3339, tempSite} from './common.mjs'

const packageDir = path.join(benchDir, 'node_modules/@11ty/eleventy')
const cli = path.join(packageDir, 'cmd.cjs')

const config = `// Eleventy's defaults (markdown-it with html: true, Liquid first in .md files), plus
// linkify for bare URLs, as Galley (GFM autolinks) and Hugo (goldmark's linkify) do.
export default function (eleventyConfig) {
  eleventyConfig.amendLibrary('md', (markdown) => markdown.set({linkify: true}))
  eleventyConfig.addPassthroughCopy('assets')
  eleventyConfig.addCollection('posts', (collections) => collections.getFilteredByGlob('posts/*.md'))
}

export const config = {dir: {input: '.', includes: '_includes', output: '_site'}}
`

const base = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if title %}{{ title | strip_html }} | {% endif %}{{ site.title }}</title>
<meta name="description" content="{{ image_caption | default: site.description | escape }}">
{%- if author %}
<meta name="author" content="{{ author | escape }}">
{%- endif %}
<link rel="canonical" href="{{ site.url }}{{ page.url }}">
<meta property="og:site_name" content="{{ site.title }}">
<meta property="og:title" content="{{ title | default: site.title | strip_html | escape }}">
<meta property="og:url" content="{{ site.url }}{{ page.url }}">
{%- if image %}
<meta property="og:image" content="{{ site.url }}{{ image }}">
{%- endif %}
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<a class="skip-link" href="#site-main">Skip to content</a>
<header class="site-header"><div class="wrapper"><a class="site-title" href="/">{{ site.title }}</a></div></header>
<main id="site-main" class="site-main">
{{ content }}
</main>
<footer class="site-footer"><div class="wrapper">
<p>&copy; {{ site.author }} &middot; {{ site.description }}</p>
<p class="site-footer-links"><a href="/">Home</a> &middot; <a href="/tags/">Tags</a></p>
<p class="site-footer-generator">Built with Eleventy.</p>
</div></footer>
</body>
</html>
`

const post = `---
layout: base.liquid
---
<article class="post">
<header class="post-header">
<h1 class="post-title">{{ title }}</h1>
<p class="post-meta"><span class="post-author">{{ author | escape }}</span> &middot; <time datetime="{{ page.date | date: '%Y-%m-%dT%H:%M:%S%z' }}">{{ page.date | date: '%B %-d, %Y' }}</time></p>
{%- if image %}
<figure class="hero">
<img src="{{ image }}" alt="{{ image_caption | escape }}" fetchpriority="high" decoding="async">
<figcaption>{{ image_caption | escape }}</figcaption>
</figure>
{%- endif %}
</header>
<div class="post-content">
{{ content }}
</div>
<footer class="post-footer">
<ul class="post-tags">
{%- for tag in tags %}
<li><a href="/tags/{{ tag | slugify }}/" rel="tag">{{ tag }}</a></li>
{%- endfor %}
</ul>
</footer>
</article>
{%- assign previous = collections.posts | getPreviousCollectionItem: page %}
{%- assign next = collections.posts | getNextCollectionItem: page %}
<nav class="post-nav" aria-label="More posts">
{%- if previous %}<a rel="prev" href="{{ previous.url }}">Previous post: {{ previous.data.title }}</a>{% endif %}
{%- if next %}<a rel="next" href="{{ next.url }}">Next post: {{ next.data.title }}</a>{% endif %}
</nav>
`

const summaries = (list) => `<section class="post-list">
{%- for post in ${list} reversed %}
<article class="post-summary">
<h2 class="post-summary-title"><a href="{{ post.url }}">{{ post.data.title }}</a></h2>
<p class="post-meta"><time datetime="{{ post.date | date: '%Y-%m-%d' }}">{{ post.date | date: '%B %-d, %Y' }}</time></p>
</article>
{%- endfor %}
</section>
`

const index = `---
layout: base.liquid
---
<h1 class="page-heading">{{ site.title }}</h1>
${summaries('collections.posts')}`

const tagPage = `---
layout: base.liquid
pagination:
  data: collections
  size: 1
  alias: tag
  filter: [all, posts]
permalink: /tags/{{ tag | slugify }}/
---
<h1 class="page-heading">Posts tagged {{ tag }}</h1>
${summaries('collections[tag]')}`

const tagIndex = `---
layout: base.liquid
permalink: /tags/
---
<h1 class="page-heading">Tags</h1>
<ul>
{%- for entry in collections %}{% unless entry[0] == 'all' or entry[0] == 'posts' %}
<li><a href="/tags/{{ entry[0] | slugify }}/">{{ entry[0] }}</a> ({{ entry[1].size }})</li>
{%- endunless %}{% endfor %}
</ul>
`

/** The post as Eleventy reads it: RFC 3339 date, an absolute hero path, an explicit permalink. */
const postText = ({fields, date, url, body}) =>
  frontMatter({
    layout: fields.layout,
    title: fields.title,
    author: fields.author,
    date: rfc3339(date),
    image: '/assets/hero.png',
    image_caption: fields.image_caption,
    tags: fields.tags,
    permalink: url
  }) + body

export default {
  name: 'eleventy',
  label: 'Eleventy',
  unavailable: () => (existsSync(cli) ? undefined : 'eleventy not installed'),
  installHint: 'npm ci --prefix bench',
  version: () => JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')).version,

  writeSite(posts) {
    const dir = tempSite('galley-bench-eleventy')
    for (const entry of posts) put(dir, `posts/${entry.fileName}`, postText(entry))
    put(dir, 'eleventy.config.mjs', config)
    put(dir, '_data/site.json', `${JSON.stringify({title: 'Eleventy Bench', url: 'https://bench.example', author: 'Bench Authors', description: 'Generated posts for the benchmark.'}, null, 2)}\n`)
    put(dir, '_includes/base.liquid', base)
    put(dir, '_includes/post.liquid', post)
    put(dir, 'index.liquid', index)
    put(dir, 'tags.liquid', tagPage)
    put(dir, 'tag-index.liquid', tagIndex)
    put(dir, 'assets/style.css', 'body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 0 auto; }\n')
    copyFileSync(heroImage, path.join(dir, 'assets/hero.png'))
    return dir
  },
  clean(dir) {
    rmSync(path.join(dir, '_site'), {recursive: true, force: true})
    rmSync(path.join(dir, '.cache'), {recursive: true, force: true})
  },
  command: (dir) => ({file: process.execPath, args: [cli, '--quiet'], cwd: dir}),
  outDir: (dir) => path.join(dir, '_site'),
  editPost: (dir, entry, round) => appendSentence(path.join(dir, 'posts', entry.fileName), round),
  editLayout: (dir, round) => editLayout(path.join(dir, '_includes/post.liquid'), '<article class="post">', round)
}
