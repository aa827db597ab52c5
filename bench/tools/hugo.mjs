// Hugo: content/posts/*.md with RFC 3339 dates and a slug, hugo.toml with goldmark's
// unsafe renderer (raw HTML kept) and /YYYY/MM/DD/slug/ permalinks, minimal layouts
// comparable to Galley's default theme. Hugo's own defaults otherwise (tag pages, RSS,
// sitemap). Built by `hugo` from PATH.
import {execFileSync} from 'node:child_process'
import {copyFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {appendSentence, editLayout, frontMatter, heroImage, put, rfc3339, tempSite} from './common.mjs'

let found
/** `hugo version`'s first line, or undefined when hugo is not on PATH. */
function hugoVersion() {
  if (found === undefined) {
    try {
      found = execFileSync('hugo', ['version'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']}).trim()
    } catch {
      found = ''
    }
  }
  return found || undefined
}

const config = `baseURL = 'https://bench.example/'
title = 'Hugo Bench'
languageCode = 'en'

[params]
author = 'Bench Authors'
description = 'Generated posts for the benchmark.'

[permalinks]
posts = '/:year/:month/:day/:slug/'

[markup.goldmark.renderer]
unsafe = true
`

const baseof = `<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title | plainify }} | {{ end }}{{ site.Title }}</title>
<meta name="description" content="{{ with .Params.image_caption }}{{ . }}{{ else }}{{ site.Params.description }}{{ end }}">
{{- with .Params.author }}
<meta name="author" content="{{ . }}">
{{- end }}
<link rel="canonical" href="{{ .Permalink }}">
<meta property="og:site_name" content="{{ site.Title }}">
<meta property="og:title" content="{{ .Title | plainify }}">
<meta property="og:url" content="{{ .Permalink }}">
{{- with .Params.image }}
<meta property="og:image" content="{{ . | absURL }}">
{{- end }}
<link rel="stylesheet" href="{{ "assets/style.css" | relURL }}">
</head>
<body>
<a class="skip-link" href="#site-main">Skip to content</a>
<header class="site-header"><div class="wrapper"><a class="site-title" href="{{ "/" | relURL }}">{{ site.Title }}</a></div></header>
<main id="site-main" class="site-main">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrapper">
<p>&copy; {{ site.Params.author }} &middot; {{ site.Params.description }}</p>
<p class="site-footer-links"><a href="{{ "/" | relURL }}">Home</a> &middot; <a href="{{ "/tags/" | relURL }}">Tags</a></p>
<p class="site-footer-generator">Built with Hugo.</p>
</div></footer>
</body>
</html>
`

const single = `{{ define "main" }}
<article class="post">
<header class="post-header">
<h1 class="post-title">{{ .Title | safeHTML }}</h1>
<p class="post-meta"><span class="post-author">{{ .Params.author }}</span> &middot; <time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "January 2, 2006" }}</time></p>
{{- with .Params.image }}
<figure class="hero">
<img src="{{ . | relURL }}" alt="{{ $.Params.image_caption }}" fetchpriority="high" decoding="async">
<figcaption>{{ $.Params.image_caption }}</figcaption>
</figure>
{{- end }}
</header>
<div class="post-content">
{{ .Content }}
</div>
<footer class="post-footer">
<ul class="post-tags">
{{- range .GetTerms "tags" }}
<li><a href="{{ .RelPermalink }}" rel="tag">{{ .LinkTitle }}</a></li>
{{- end }}
</ul>
</footer>
</article>
<nav class="post-nav" aria-label="More posts">
{{- with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">Previous post: {{ .Title | safeHTML }}</a>{{ end }}
{{- with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">Next post: {{ .Title | safeHTML }}</a>{{ end }}
</nav>
{{ end }}
`

const summaries = (pages) => `<section class="post-list">
{{- range ${pages} }}
<article class="post-summary">
<h2 class="post-summary-title"><a href="{{ .RelPermalink }}">{{ .Title | safeHTML }}</a></h2>
<p class="post-meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "January 2, 2006" }}</time></p>
</article>
{{- end }}
</section>`

const list = `{{ define "main" }}
<h1 class="page-heading">{{ .Title }}</h1>
${summaries('.Pages')}
{{ end }}
`

const home = `{{ define "main" }}
<h1 class="page-heading">{{ site.Title }}</h1>
${summaries('where site.RegularPages "Section" "posts"')}
{{ end }}
`

/** The post as Hugo reads it: RFC 3339 date, a slug for the permalink, an absolute hero path. */
const postText = ({fields, date, slug, body}) =>
  frontMatter({
    title: fields.title,
    author: fields.author,
    date: rfc3339(date),
    slug,
    image: '/assets/hero.png',
    image_caption: fields.image_caption,
    tags: fields.tags
  }) + body

export default {
  name: 'hugo',
  label: 'Hugo',
  unavailable: () => (hugoVersion() ? undefined : 'hugo not installed'),
  installHint: 'apt-get install hugo, or bash scripts/test-setup.sh',
  version: () => /v(\d+\.\d+\.\d+)/.exec(hugoVersion() ?? '')?.[1] ?? hugoVersion(),

  writeSite(posts) {
    const dir = tempSite('galley-bench-hugo')
    for (const entry of posts) put(dir, `content/posts/${entry.fileName}`, postText(entry))
    put(dir, 'hugo.toml', config)
    put(dir, 'layouts/_default/baseof.html', baseof)
    put(dir, 'layouts/_default/single.html', single)
    put(dir, 'layouts/_default/list.html', list)
    put(dir, 'layouts/index.html', home)
    put(dir, 'static/assets/style.css', 'body { font-family: system-ui, sans-serif; max-width: 42rem; margin: 0 auto; }\n')
    copyFileSync(heroImage, path.join(dir, 'static/assets/hero.png'))
    return dir
  },
  clean(dir) {
    rmSync(path.join(dir, 'public'), {recursive: true, force: true})
    rmSync(path.join(dir, 'resources'), {recursive: true, force: true})
  },
  command: (dir) => ({file: 'hugo', args: ['--quiet', '--source', dir], cwd: dir}),
  outDir: (dir) => path.join(dir, 'public'),
  editPost: (dir, entry, round) => appendSentence(path.join(dir, 'content/posts', entry.fileName), round),
  editLayout: (dir, round) => editLayout(path.join(dir, 'layouts/_default/single.html'), '<article class="post">', round)
}
