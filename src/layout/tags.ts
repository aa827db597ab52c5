import type {Liquid, TagToken, Context, TopLevelToken, Emitter, Template} from 'liquidjs'
import {Tag} from 'liquidjs'

export interface TagContext {
  /** Post file name without extension (`2024-05-12-x`) → URL (with baseurl). */
  readonly postUrls: ReadonlyMap<string, string>
  /** Source-relative path (`about.md`, `assets/x.png`) → URL (with baseurl). */
  readonly fileUrls: ReadonlyMap<string, string>
}

/**
 * Jekyll's own tags: `post_url`, `link`, and `highlight` (rendered as a
 * fenced code block, so the markdown pipeline highlights it like any other).
 */
export function registerJekyllTags(liquid: Liquid, context: TagContext): void {
  liquid.registerTag('post_url', lookupTag(context.postUrls, 'post', (name) => name.replace(/\.(md|markdown|html)$/, '').replace(/^.*\//, '')))
  liquid.registerTag('link', lookupTag(context.fileUrls, 'file', (name) => name.replace(/^\//, '')))
  liquid.registerTag('highlight', HighlightTag)
}

function lookupTag(urls: ReadonlyMap<string, string>, what: string, key: (name: string) => string) {
  return class extends Tag {
    private readonly target: string
    constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid) {
      super(token, remain, engine)
      this.target = token.args.trim()
      if (!urls.has(key(this.target))) throw new Error(`no ${what} called "${this.target}"`)
    }
    render(): string {
      return urls.get(key(this.target)) ?? ''
    }
  }
}

class HighlightTag extends Tag {
  private readonly language: string
  private readonly templates: Template[] = []
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid)
    this.language = token.args.trim().split(/\s+/)[0] ?? ''
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
    const body = (yield liquidRender(this.liquid, this.templates, context)) as string
    emitter.write('```' + this.language + '\n' + body.replace(/^\n/, '').replace(/\n$/, '') + '\n```')
  }
}

function liquidRender(liquid: Liquid, templates: Template[], context: Context): unknown {
  return liquid.renderer.renderTemplates(templates, context)
}
