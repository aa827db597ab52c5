import type {Context, Emitter, Liquid, TagToken, Template, TopLevelToken} from 'liquidjs'
import {Tag} from 'liquidjs'
import {escapeHtml} from '../content/escape-html.js'
import type {TokenPlace} from './tags.js'

/** Where the plugin tags report what they cannot render. */
export interface PluginTagContext {
  readonly warn: (token: TokenPlace, reason: string, ruleId: string) => void
}

/**
 * The tags of the Jekyll plugins themes rely on most, rendered by Galley's
 * own code instead of the gems:
 * - `{% seo %}` (jekyll-seo-tag): the title, description, canonical link and
 *   the theme's sharing metadata (include `galley-seo-tag.html`, which a site
 *   may shadow); `{% seo title=false %}` leaves the title out;
 * - `{% feed_meta %}` (jekyll-feed): the link to the Atom feed Galley writes;
 * - `{% twitter URL %}` (jekyll-twitter-plugin): a static, script-free card
 *   linking to the post on X (the same blockquote the tweet embed becomes;
 *   the plugin's oEmbed fetch would put a third-party script on the page);
 * - `{% mermaid %}…{% endmermaid %}` (jekyll-mermaid): a fenced `mermaid`
 *   block, which the markdown pipeline draws as an SVG.
 */
export function registerPluginTags(liquid: Liquid, context: PluginTagContext): void {
  liquid.registerTag('seo', templateTag((args) => `{% include galley-seo-tag.html title=${/\btitle\s*=\s*false\b/.test(args) ? 'false' : 'true'} %}`))
  liquid.registerTag('feed_meta', templateTag(() => feedMetaTemplate))
  liquid.registerTag('twitter', twitterTag(context))
  liquid.registerTag('mermaid', MermaidTag)
}

const feedMetaTemplate = `<link type="application/atom+xml" rel="alternate" href="{{ '/feed.xml' | absolute_url }}" title="{{ site.title | default: '' | escape }}">`

/** A tag that renders a fixed Liquid template (made from its arguments), in the page's own context. */
function templateTag(source: (args: string) => string) {
  return class extends Tag {
    private readonly templates: Template[]
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid)
      this.templates = liquid.parse(source(token.args))
    }
    *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      emitter.write((yield this.liquid.renderer.renderTemplates(this.templates, context)) as string)
    }
  }
}

const tweetUrl = /^https?:\/\/(?:www\.|mobile\.)?(twitter\.com|x\.com)\/([A-Za-z0-9_]{1,15})(?:\/status(?:es)?\/(\d+))?\/?(?:[?#][^\s"'<>]*)?$/i

/**
 * `{% twitter URL [option=value …] %}` (also `{% twitter oembed URL %}`, the
 * plugin's older form). The URL may be a Liquid variable (`page.tweet`).
 * Anything that is not a Twitter/X URL is a warning and renders nothing.
 */
function twitterTag(context: PluginTagContext) {
  return class extends Tag {
    private readonly target: string
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid)
      const words = token.args.trim().split(/\s+/).filter((word) => !word.includes('=') && word !== 'oembed')
      this.target = words[0] ?? ''
    }
    render(ctx: Context): string {
      const variable = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/.test(this.target)
      const value = variable ? String(this.liquid.evalValueSync(this.target, ctx) ?? '') : this.target
      const match = tweetUrl.exec(value)
      if (!match) {
        context.warn(this.token, `{% twitter %} needs the URL of a post or an account on X/Twitter; ${JSON.stringify(value.slice(0, 80))} is not one, so nothing is shown`, 'twitter')
        return ''
      }
      const [, , user = '', status] = match
      const label = status ? `A post by @${user} on X` : `Posts by @${user} on X`
      return `<blockquote class="twitter-tweet"><p>${escapeHtml(label)}</p><p><a href="${escapeHtml(value)}">${escapeHtml(value)}</a></p></blockquote>`
    }
  }
}

/** `{% mermaid %}…{% endmermaid %}` → a fenced `mermaid` block; Liquid inside it is rendered first, as the plugin does. */
class MermaidTag extends Tag {
  private readonly templates: Template[] = []
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid)
    let closed = false
    const stream = liquid.parser.parseStream(remain)
    stream
      .on('tag:endmermaid', () => {
        closed = true
        stream.stop()
      })
      .on('template', (template: Template) => this.templates.push(template))
      .on('end', () => {
        if (!closed) throw new Error(`tag ${token.getText()} not closed (no {% endmermaid %})`)
      })
    stream.start()
  }
  *render(context: Context, emitter: Emitter): Generator<unknown, void, unknown> {
    const body = (yield this.liquid.renderer.renderTemplates(this.templates, context)) as string
    emitter.write('\n```mermaid\n' + body.replace(/^\n/, '').replace(/\n$/, '') + '\n```\n')
  }
}
