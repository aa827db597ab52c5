import type {Context, Emitter, Liquid, TagToken, Template, TopLevelToken} from 'liquidjs'
import {Tag} from 'liquidjs'
import {registerScholarTags} from './scholar-tags.js'

/** A token's place, as liquidjs reports it (file is absolute, when the template was parsed from one). */
export interface TokenPlace {
  readonly file?: string | undefined
  getPosition(): number[]
}

type TagClass = Liquid['tags'][string]

export interface TagContext {
  /** Post file name without extension (`2024-05-12-x`) → URL (with baseurl). */
  readonly postUrls: ReadonlyMap<string, string>
  /** Source-relative path (`about.md`, `assets/x.png`) → URL (with baseurl). */
  readonly fileUrls: ReadonlyMap<string, string>
  /** `''` or `/blog`: what the URLs in `postUrls`/`fileUrls` start with (see `registerJekyllTags`). */
  readonly baseurl?: string | undefined
  /** Report a problem that does not stop rendering (a missing include, link or post). */
  readonly warn: (token: TokenPlace, reason: string, ruleId: string) => void
  /** How messages name a template file given by its absolute path (default: the path itself). */
  readonly nameOf?: ((absolute: string) => string) | undefined
}

/** How deep includes may nest (an include that includes itself, directly or not, reaches it at once). */
export const maxIncludeDepth = 50

/** One `{% include %}` being rendered: the file and place of the tag, and what it includes. */
interface IncludeFrame {
  readonly at: string
  readonly target: string
}

const includeStackRegister = 'galley:includes'

/**
 * `{{ site.baseurl }}` (any spacing, trim markers allowed) right before a tag,
 * with nothing or only spaces between: Jekyll 3's idiom for a link under the
 * baseurl, `{{ site.baseurl }}{% post_url x %}`.
 */
const BASEURL_BEFORE = /\{\{-?\s*site\.baseurl\s*-?\}\}\s*$/

/**
 * Jekyll's own tags: `post_url`, `link`, `highlight` (rendered as a fenced
 * code block, so the markdown pipeline highlights it like any other), and an
 * `include` that warns instead of failing when the file is missing (a Jekyll
 * site moved without its includes still builds, and says what is missing).
 *
 * `post_url` and `link` give the URL with the baseurl, as Jekyll 4 does
 * (`relative_url`), except right after `{{ site.baseurl }}`: Jekyll 3 (and
 * GitHub Pages, which runs it) gave the URL without it, so its authors wrote
 * `{{ site.baseurl }}{% post_url x %}`, which Jekyll 4 turns into
 * `/blog/blog/…`, a link that leads nowhere. Galley gives that form the URL
 * without the baseurl, so both forms link to the post under the baseurl.
 */
export function registerJekyllTags(liquid: Liquid, context: TagContext): void {
  liquid.registerTag('post_url', lookupTag(context, context.postUrls, 'post', (name) => name.replace(/\.(md|markdown|html)$/, '').replace(/^.*\//, '')))
  liquid.registerTag('link', lookupTag(context, context.fileUrls, 'file', (name) => name.replace(/^\//, ''), {liquidInName: true}))
  liquid.registerTag('highlight', HighlightTag)
  registerScholarTags(liquid)
  const include = liquid.tags.include
  if (include) liquid.registerTag('include', tolerantInclude(include, context))
}

function lookupTag(context: TagContext, urls: ReadonlyMap<string, string>, what: string, key: (name: string) => string, options: {liquidInName?: boolean} = {}) {
  return class extends Tag {
    private readonly target: string
    private readonly afterBase: boolean
    /** The name as a template, when it holds Liquid (`{% link {{ page.guide }} %}`; Jekyll renders it first). */
    private readonly named: Template[] | undefined
    private readonly url: string | undefined
    constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid) {
      super(token, remain, engine)
      this.target = token.args.trim()
      this.afterBase = BASEURL_BEFORE.test(token.input.slice(Math.max(0, token.begin - 200), token.begin))
      this.named = options.liquidInName && /\{\{|\{%/.test(this.target) ? engine.parse(this.target) : undefined
      if (this.named) return
      this.url = this.lookup(this.target)
      if (this.url === undefined) context.warn(token, `no ${what} called "${this.target}": the link points nowhere ("#")`, `missing-${what}`)
    }
    private lookup(name: string): string | undefined {
      const url = urls.get(key(name))
      const base = context.baseurl ?? ''
      return this.afterBase && base !== '' && url !== undefined && url.startsWith(base + '/') ? url.slice(base.length) : url
    }
    *render(ctx: Context): Generator<unknown, string, unknown> {
      if (!this.named) return this.url ?? '#'
      const name = String(yield this.liquid.renderer.renderTemplates(this.named, ctx)).trim()
      const url = this.lookup(name)
      if (url === undefined) context.warn(this.token, `no ${what} called "${name}" (from "${this.target}"): the link points nowhere ("#")`, `missing-${what}`)
      return url ?? '#'
    }
  }
}

function tolerantInclude(include: TagClass, context: TagContext): TagClass {
  const Base = include as unknown as new (...args: ConstructorParameters<TagClass>) => Tag
  const baseRender = (include.prototype as Tag).render
  return class extends Base {
    override *render(ctx: Context, emitter: Emitter): Generator<unknown, unknown, unknown> {
      const target = this.token.args.trim().split(/\s+/)[0] ?? ''
      // The chain of includes being rendered lives in the render's own registers: renders never share it.
      const stack = ctx.getRegister(includeStackRegister, []) as IncludeFrame[]
      const [line = 1, column = 1] = this.token.getPosition()
      const at = `${this.token.file ? (context.nameOf ?? String)(this.token.file) : '<template>'}:${line}:${column}`
      if (stack.length >= maxIncludeDepth) throw new Error(depthMessage([...stack, {at, target}]))
      stack.push({at, target})
      try {
        return yield* baseRender.call(this, ctx, emitter) as Generator<unknown, unknown, unknown>
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !/Failed to lookup/.test(String((error as Error).message))) throw error
        context.warn(this.token, `include "${target}" was not found in the include folders; nothing is included`, 'missing-include')
        return undefined
      } finally {
        stack.pop()
      }
    }
  }
}

/**
 * The chain of includes, named by the file and place of each tag, up to the
 * first include that repeats one already in the chain (a cycle), or all of
 * it when there is none.
 */
function depthMessage(chain: readonly IncludeFrame[]): string {
  const seen = new Set<string>()
  const shown: string[] = []
  let cycle = false
  for (const frame of chain) {
    shown.push(`${frame.at} includes ${frame.target}`)
    if (seen.has(frame.at)) {
      cycle = true
      break
    }
    seen.add(frame.at)
  }
  const rest = cycle ? ', and so on: the includes form a cycle' : ''
  return `includes nest more than ${maxIncludeDepth} deep: ${shown.join(', ')}${rest}`
}

class HighlightTag extends Tag {
  private readonly language: string
  /** `linenos` (Rouge's line numbers) travels in the fence's info string. */
  private readonly lineNumbers: boolean
  private readonly templates: Template[] = []
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid)
    const [language = '', ...options] = token.args.trim().split(/\s+/)
    this.language = language
    this.lineNumbers = options.some((option) => /^linenos(=|$)/.test(option))
    let closed = false
    const stream = liquid.parser.parseStream(remain)
    stream
      .on('tag:endhighlight', () => {
        closed = true
        stream.stop()
      })
      .on('template', (template: Template) => this.templates.push(template))
      .on('end', () => {
        if (!closed) throw new Error(`tag ${token.getText()} not closed`)
      })
    stream.start()
  }
  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const body = (yield this.liquid.renderer.renderTemplates(this.templates, context)) as string
    emitter.write('```' + this.language + (this.lineNumbers ? ' linenos' : '') + '\n' + body.replace(/^\n/, '').replace(/\n$/, '') + '\n```')
  }
}
