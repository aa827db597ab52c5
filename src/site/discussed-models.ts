import {keyPlace} from '../content/key-place.js'
import type {Post} from '../content/post.js'
import {closestIds} from '../markdown/closest.js'
import {report} from '../report.js'
import type {Model} from '../markdown/compare/types.js'
import type {LiquidPage} from './liquid-scope.js'
import {mentionFinder, modelsInPost} from './model-mentions.js'

/** A model as a post's list shows it: `page.models_discussed` in layouts. */
export interface ModelLink {
  readonly id: string
  readonly name: string
  /** Its page, `/models/<id>/` (without the baseurl; layouts add it with `relative_url`). */
  readonly url: string | undefined
}

/**
 * The site-model step between the bodies and the emitters: which models each
 * post discusses (model-mentions.ts), once per build. Each post's view gets
 * them as `models_discussed` (the default post layout lists them under the
 * post as "Models in this post"), and the model pages list the posts.
 *
 * An id in front matter `models:` that the data does not have is a warning
 * at that key, with the closest known ids. A post's HTML is parsed only when the cheap check finds a model's name in
 * it; its figures' ids are read without parsing. What this depends on (the
 * rendered body, the front matter, the model data) is already in every
 * page's key: the rendering by its hash, the rest through the site key.
 */
export function discussedModels(
  posts: readonly Post[],
  views: ReadonlyMap<Post, LiquidPage>,
  models: readonly Model[],
  options: {
    readonly pages: boolean
    /** What a post's answer depends on besides its front matter: its rendering's hash and the model data's. */
    readonly keyOf: (post: Post) => string
    /** Where a post's last answer is kept with its rendered body (the preview's cache), so a rebuild asks again only for bodies that changed. */
    readonly memo?: ((post: Post) => {mentions?: {readonly key: string; readonly ids: readonly string[]} | undefined} | undefined) | undefined
  }
): Map<Post, readonly string[]> {
  const discussed = new Map<Post, readonly string[]>()
  const byId = new Map(models.map((model) => [model.id, model]))
  const finder = mentionFinder(models)
  for (const post of posts) {
    const view = views.get(post)
    if (!view) continue
    const listed = post.data.models
    if (Array.isArray(listed)) {
      for (const id of listed) {
        if (typeof id === 'string' && byId.has(id)) continue
        const closest = typeof id === 'string' ? closestIds(id, [...byId.keys()]) : []
        report(post.file, {
          reason: `\`models\` lists ${typeof id === 'string' ? `\`${id}\`` : JSON.stringify(id)}, which the model data does not have${closest.length > 0 ? ` (closest known: ${closest.join(', ')})` : ' (the site has no data/models.yml, or it has errors)'}`,
          ruleId: 'models',
          severity: 'warning',
          place: keyPlace(post, 'models')
        })
      }
    }
    const memo = options.memo?.(post)
    const key = `${options.keyOf(post)}|${JSON.stringify(post.data.models ?? null)}`
    const ids = models.length === 0 ? [] : memo?.mentions?.key === key ? memo.mentions.ids : modelsInPost(String(view.content ?? ''), post.data, models, finder)
    if (memo && models.length > 0) memo.mentions = {key, ids}
    discussed.set(post, ids)
    const links: ModelLink[] = ids.map((id) => ({id, name: byId.get(id)?.name ?? id, url: options.pages ? `/models/${id}/` : undefined}))
    view.models_discussed = links
  }
  return discussed
}
