// Deterministic generator of seed-shaped blog posts, in this project's own words.
//
// A post has the shape of a real newsletter post (see test/fixtures/sites/seed-mirror):
// Jekyll front matter with an inline `<br>` in the title, a raw `<h2>` title, an intro
// closed by `<!--more-->`, a numbered outline, sections of markdown paragraphs with raw
// `<h2>`/`<h3>` lines, Substack images with a caption paragraph, Substack embed blocks,
// inline links, emphasis and bare URLs, then a reading list of arXiv lines each followed
// by a summary. About 10 % of posts carry a fenced code block, about 5 % a `$$…$$` formula.
//
// Sizes are log-normal around a 12 KiB median, clamped to 5–40 KiB. Post `i` depends only
// on (seed, i), so a 1000-post corpus is the first 1000 posts of a 4000-post one.
// No Math.random: everything comes from a seeded PRNG (mulberry32).

const KIB = 1024
const MIN_SIZE = 5 * KIB
const MAX_SIZE = 40 * KIB
const MEDIAN_SIZE = 11.5 * KIB
const SIGMA = 0.5
/** The newest post's day; post i is i days older, so no post is ever in the future. */
const NEWEST = Date.UTC(2024, 11, 31)
export const TAGS = ['models', 'datasets', 'training', 'evaluation', 'tooling', 'notes']

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function createRandom(seed) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (probability) => next() < probability,
    /** A standard normal deviate (Box–Muller). */
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    hex: (length) => Array.from({length}, () => Math.floor(next() * 16).toString(16)).join('')
  }
  return random
}

/** A 32-bit seed from any number of integers (FNV-1a over their decimal digits). */
function mixSeed(...parts) {
  let hash = 0x811c9dc5
  for (const char of parts.join(':')) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193)
  return hash >>> 0
}

// --- Vocabulary (invented for this bench) ---------------------------------------------

const NAMES = ['Larkspur', 'Cobblewick', 'Fernhollow', 'Marrowby', 'Thistledown', 'Ambergate', 'Saltmarsh', 'Wrenfield', 'Oakhurst', 'Brindle', 'Kestrel', 'Tidewell', 'Hollowmere', 'Pinecrest', 'Duskwater', 'Millbrook', 'Starling', 'Coldharbor']
const ADJECTIVES = ['compact', 'sparse', 'dense', 'noisy', 'careful', 'modest', 'sturdy', 'brisk', 'layered', 'patient', 'frugal', 'curious', 'steady', 'narrow', 'broad', 'shallow', 'deep', 'gradual', 'uneven', 'quiet', 'plain', 'stubborn', 'lean', 'generous']
const NOUNS = ['model', 'tokenizer', 'benchmark', 'dataset', 'checkpoint', 'router', 'adapter', 'schedule', 'recipe', 'baseline', 'ablation', 'corpus', 'evaluator', 'pipeline', 'kernel', 'cache', 'prompt', 'objective', 'budget', 'optimizer', 'vocabulary', 'sampler', 'reward signal', 'context window']
const PLURALS = ['models', 'tokens', 'benchmarks', 'datasets', 'checkpoints', 'experts', 'adapters', 'runs', 'recipes', 'baselines', 'ablations', 'layers', 'prompts', 'samples', 'heads', 'parameters', 'examples', 'steps']
const VERBS = ['improves', 'trims', 'reshapes', 'outperforms', 'matches', 'stabilizes', 'compresses', 'extends', 'revisits', 'questions', 'simplifies', 'narrows', 'widens', 'replaces', 'complements', 'undercuts']
const BASE_VERBS = ['improve', 'trim', 'reshape', 'match', 'stabilize', 'compress', 'extend', 'simplify', 'replace', 'outlast']
const PAST_VERBS = ['tried', 'measured', 'repeated', 'checked', 'reran', 'plotted', 'compared']
const OPENERS = ['In practice', 'To be fair', 'At first glance', 'Looking closer', 'On the other hand', 'For what it is worth', 'Put differently', 'As a rule of thumb']
const SURNAMES = ['Calloway', 'Brevik', 'Okafor', 'Lindgren', 'Moreau', 'Tanaka', 'Halvorsen', 'Ruiz', 'Nakamura', 'Abara', 'Kowal', 'Ferrante', 'Idris', 'Vasquez', 'Oduya', 'Lefèvre', 'Sørensen', 'Whitlock', 'Pham', 'Kaur']
const FIRST_NAMES = ['Ines', 'Tomas', 'Adaeze', 'Maja', 'Louis', 'Haruto', 'Sigrid', 'Paloma', 'Kenji', 'Nneka', 'Piotr', 'Giulia']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const LANGUAGES = ['python', 'js', 'bash', 'json', 'ts']

const capitalize = (text) => text.charAt(0).toUpperCase() + text.slice(1)
/** `a` or `an` before `word`. */
const a = (word) => `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`
const titleCase = (text) => text.replace(/\b[a-z]/g, (char) => char.toUpperCase())

/** Writes one post's prose: sentences, paragraphs, headings and the other blocks. */
function writer(random) {
  const adj = () => random.pick(ADJECTIVES)
  const noun = () => random.pick(NOUNS)
  const plural = () => random.pick(PLURALS)
  const name = () => random.pick(NAMES)
  const word = () => random.pick([...ADJECTIVES, ...PLURALS]).replace(/ /g, '-')

  const sentences = [
    () => `${name()} ${random.pick(VERBS)} the ${adj()} ${noun()} by ${random.int(2, 40)} percent on the ${name()} suite.`,
    () => `The ${adj()} ${noun()} ${random.pick(VERBS)} the ${noun()} whenever the ${noun()} is ${adj()}.`,
    () => `${random.pick(OPENERS)}, ${a(adj())} ${noun()} can ${random.pick(BASE_VERBS)} ${a(adj())} ${noun()} without extra ${plural()}.`,
    () => `I ${random.pick(PAST_VERBS)} this with a ${random.int(1, 70)}B ${noun()} and ${random.int(3, 900)} ${plural()}, and the ${noun()} stayed ${adj()}.`,
    () => `What surprised me most is how ${adj()} the ${noun()} remains after ${random.int(2, 50)} thousand ${plural()}.`,
    () => `One caveat is that the ${noun()} was only tested on ${adj()} ${plural()}, so the result may not carry over to ${adj()} ones.`,
    () => `The authors of ${name()} argue that ${plural()} matter more than ${plural()}, which matches what I saw in my own ${adj()} runs.`,
    () => `Compared with last year's ${name()} release, the new ${noun()} needs ${random.int(2, 9)} times fewer ${plural()} for the same score.`
  ]
  const sentence = () => random.pick(sentences)()

  /** Inline markdown sprinkled over a sentence: emphasis, an inline link or a bare URL. */
  const decorate = (text) => {
    const roll = random.next()
    if (roll < 0.12) return text.replace(/ the ([a-z]+) /, ' the *$1* ')
    if (roll < 0.2) return text.replace(/ the ([a-z]+ [a-z]+)/, ' the **$1**')
    if (roll < 0.3) return text.replace(/\.$/, `, as the [${word()} notes](https://notes.example.org/${word()}-${random.int(1, 99)}) explain.`)
    if (roll < 0.36) return text.replace(/\.$/, ` (more at https://lab.example.net/${word()}/${random.int(100, 999)}).`)
    return text
  }
  const paragraph = (plain = false) => {
    const parts = Array.from({length: random.int(2, 5)}, sentence)
    return (plain ? parts : parts.map(decorate)).join(' ')
  }
  const heading = () => `${capitalize(adj())} ${plural()} and the ${name()} ${noun()}`

  const image = () => {
    const uuid = `${random.hex(8)}-${random.hex(4)}-4${random.hex(3)}-${random.pick(['8', '9', 'a', 'b'])}${random.hex(3)}-${random.hex(12)}`
    const img = `<img style="height: 100%; width: 100%; object-fit: contain" src="https://substack-post-media.s3.amazonaws.com/public/images/${uuid}_1414x820.png"> `
    const caption = `${capitalize(a(adj()))} view of the ${name()} ${noun()} next to ${random.int(2, 6)} ${adj()} ${plural()}. (Chart adapted from https://charts.example.com/${word()}-${random.int(1, 500)})`
    return `${img}\n\n${caption}`
  }
  const embed = (author) => {
    const slug = `${word()}-${word()}-${random.int(1, 300)}`
    return `<div class="substack-post-embed"><p lang="en">${titleCase(heading())} by ${author}</p><p></p><a data-post-link href="https://letters.example.com/p/${slug}">Read on Substack</a></div><script async src="https://substack.com/embedjs/embed.js" charset="utf-8"></script>`
  }
  const numbered = (count) => Array.from({length: count}, (_, index) => `${index + 1}. ${capitalize(sentence())}`).join('\n')
  const code = () => {
    const language = random.pick(LANGUAGES)
    const n = random.int(2, 64)
    const lines = {
      python: [`def ${word().replace(/-/g, '_')}(batch, scale=${n}):`, `    total = sum(len(item) for item in batch)`, `    return {"tokens": total, "scale": scale}`],
      js: [`export function ${word().replace(/-/g, '')}(items) {`, `  const limit = ${n}`, `  return items.filter((item) => item.size < limit)`, `}`],
      bash: [`for run in $(seq 1 ${n}); do`, `  ./train --config ${word()}.yaml --seed "$run"`, `done`],
      json: [`{`, `  "model": "${name().toLowerCase()}",`, `  "layers": ${n},`, `  "sparse": ${random.chance(0.5)}`, `}`],
      ts: [`interface ${name()}Config {`, `  layers: number`, `  name: string`, `}`, `const config: ${name()}Config = {layers: ${n}, name: "${word()}"}`]
    }[language]
    return `\`\`\`${language}\n${lines.join('\n')}\n\`\`\``
  }
  const formula = () => `$$\n\\mathcal{L}(\\theta) = -\\sum_{t=1}^{T} \\log p_\\theta(x_t \\mid x_{<t}) + \\lambda \\lVert \\theta \\rVert_2^2\n$$`
  const paper = (date) => {
    const authors = Array.from({length: random.int(2, 4)}, () => random.pick(SURNAMES))
    const byline = authors.length === 4 ? `${authors.slice(0, 3).join(', ')}, et al.` : `${authors.slice(0, -1).join(', ')}, and ${authors.at(-1)}`
    const yymm = `${String(date.getUTCFullYear() % 100).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}`
    const title = `${titleCase(heading())}: ${capitalize(adj())} ${titleCase(plural())} for ${capitalize(adj())} ${titleCase(plural())}`
    return `${title} by ${byline} (${random.int(1, 28)} ${MONTHS[date.getUTCMonth()]}), https://arxiv.org/abs/${yymm}.${String(random.int(0, 99999)).padStart(5, '0')}\n\n${Array.from({length: random.int(1, 2)}, sentence).join(' ')}`
  }
  return {adj, noun, plural, name, word, sentence, paragraph, heading, image, embed, numbered, code, formula, paper}
}

/** Bytes of UTF-8 in `text`. */
const bytes = (text) => Buffer.byteLength(text, 'utf8')

/**
 * Post `index` (0 = newest) of the corpus made from `seed`: its fields, its body, and
 * the Jekyll-style file text as Galley reads it.
 */
export function generatePost(index, seed = 1) {
  const random = createRandom(mixSeed(seed, index))
  const say = writer(random)
  const day = new Date(NEWEST - index * 86_400_000)
  const date = day.toISOString().slice(0, 10)
  const target = Math.round(Math.min(MAX_SIZE - KIB, Math.max(MIN_SIZE, MEDIAN_SIZE * Math.exp(SIGMA * random.normal()))))
  const hasCode = random.chance(0.1)
  const hasMath = random.chance(0.05)
  const tags = random.chance(0.6) ? [random.pick(TAGS)] : [...new Set([random.pick(TAGS), random.pick(TAGS)])]
  const author = `${random.pick(FIRST_NAMES)} ${random.pick(SURNAMES)}`
  const first = `How ${capitalize(say.adj())} Can ${titleCase(a(say.noun()))} Get?`
  const second = `And Do ${titleCase(say.plural())} Still Matter?`
  const slug = `${say.name().toLowerCase()}-${say.adj()}-${say.plural()}-${index + 1}`

  const sectionCount = Math.max(2, Math.round(target / 4000))
  const sections = Array.from({length: sectionCount}, say.heading)
  const blocks = [`<h2>${first} ${second}</h2>`, say.paragraph(), `${say.paragraph()}\n<!--more-->\n${[...sections, 'Other Papers Worth Reading'].map((title, at) => `${at + 1}. ${title}`).join('\n\n')}`]
  let size = blocks.reduce((sum, block) => sum + bytes(block) + 2, 0)
  const add = (block) => {
    blocks.push(block)
    size += bytes(block) + 2
  }
  // Sections until about four fifths of the target, the reading list after that.
  const mainTarget = target * 0.8
  let pendingCode = hasCode
  let pendingMath = hasMath
  for (let section = 0; section < sectionCount; section++) {
    add(`<h2>${section + 1}. ${sections[section]}</h2>`)
    add(say.paragraph(true))
    const sectionEnd = mainTarget * ((section + 1) / sectionCount)
    for (let sub = 1; size < sectionEnd; sub++) {
      add(`<h3>${section + 1}.${sub} ${capitalize(say.heading())}</h3>`)
      add(say.paragraph())
      const roll = random.next()
      if (roll < 0.3) add(say.image())
      else if (roll < 0.42) add(say.embed(author))
      else if (roll < 0.5) add(say.numbered(random.int(3, 5)))
      else if (roll < 0.55) add(`<h4>${capitalize(say.adj())} ${say.plural()}</h4>`)
      if (pendingCode && random.chance(0.5)) {
        add(`Here is the ${say.adj()} snippet I used for the ${say.noun()}:`)
        add(say.code())
        pendingCode = false
      }
      if (pendingMath && random.chance(0.5)) {
        add(`The ${say.adj()} objective, written out, is:`)
        add(say.formula())
        pendingMath = false
      }
      add(say.paragraph(random.chance(0.5)))
    }
  }
  if (pendingCode) add(say.code())
  if (pendingMath) add(say.formula())
  add(`<h2>${sectionCount + 1}. Other Papers Worth Reading</h2>`)
  add(`Below are a few more papers from this stretch that I found worth a look. It is ${a(say.adj())} list, not a complete one.`)
  // The seed's shape: a summary runs straight into the next paper's line (no blank line).
  const papers = []
  while (size + papers.reduce((sum, entry) => sum + bytes(entry) + 1, 0) < target) papers.push(say.paper(day))
  add(papers.join('\n'))
  add(`<a href="https://people.example.com/@${author.toLowerCase().replace(/[^a-z]+/g, '')}">(${author.toUpperCase()})</a>\n<a href="https://letters.example.com/p/${slug}"> Original post </a>`)

  const fields = {
    layout: 'post',
    title: `${first} <br> ${second}`,
    author,
    date,
    image: '../assets/hero.png',
    image_caption: `Notes on ${say.adj()} ${say.plural()} and the ${say.name()} ${say.noun()}`,
    tags
  }
  const body = `${blocks.join('\n\n')}\n`
  const text = `---
layout: ${fields.layout}
title:  ${fields.title}
author: ${fields.author}
date:   ${date} 00:00:00 +0900
image: ${fields.image}
image_caption: ${fields.image_caption}
tags: [${tags.join(', ')}]
---
${body}`
  return {index, date, slug, fileName: `${date}-${slug}.md`, url: `/${date.replace(/-/g, '/')}/${slug}/`, fields, body, text, hasCode, hasMath}
}

/** The first `count` posts of the corpus made from `seed`. */
export function generatePosts(count, seed = 1) {
  return Array.from({length: count}, (_, index) => generatePost(index, seed))
}

/** Sizes and features of a corpus, for the report's header. */
export function describeCorpus(posts) {
  const sizes = posts.map((post) => bytes(post.text)).sort((a, b) => a - b)
  const kib = (value) => (value / KIB).toFixed(1)
  const median = sizes[Math.floor((sizes.length - 1) / 2)]
  const total = sizes.reduce((sum, value) => sum + value, 0)
  return {
    posts: posts.length,
    medianBytes: median,
    minBytes: sizes[0],
    maxBytes: sizes.at(-1),
    totalBytes: total,
    withCode: posts.filter((post) => post.hasCode).length,
    withMath: posts.filter((post) => post.hasMath).length,
    summary: `${posts.length} posts, ${kib(median)} KiB median (${kib(sizes[0])}–${kib(sizes.at(-1))} KiB), ${(total / 2 ** 20).toFixed(1)} MiB in all, ${posts.filter((post) => post.hasCode).length} with code, ${posts.filter((post) => post.hasMath).length} with math`
  }
}
