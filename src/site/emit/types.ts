import type {VFile} from 'vfile'
import type {SiteConfig} from '../../config.js'
import type {Post} from '../../content/post.js'
import type {Model} from '../../markdown/compare/types.js'
import type {ImageVariant} from '../../images/variants.js'
import type {LiquidPage, Rendering, ViewOptions} from '../liquid-scope.js'
import type {Output} from '../outputs.js'
import type {PageKeys} from '../page-keys.js'
import type {Paginator} from '../paginate.js'
import type {LayoutContext} from '../wrap.js'

/** The whole site once every body is rendered: what emitters make the site's files from. */
export interface SiteModel {
  readonly config: SiteConfig
  /** Every document that is built (posts and pages). */
  readonly published: readonly Post[]
  /** Posts, newest first. */
  readonly posts: readonly Post[]
  /** Each document's Liquid view (`page`, and the entries of `site.posts`). */
  readonly views: ReadonlyMap<Post, LiquidPage>
  /** Post views, newest first. */
  readonly postViews: readonly LiquidPage[]
  /** The Liquid `site`. */
  readonly site: Record<string, unknown>
  /** Files copied as they are: output path → absolute source. */
  readonly copies: ReadonlyMap<string, string>
  /** The site's own index page (`index.md`/`index.html`), when it has one. */
  readonly indexDoc: Post | undefined
  /** The index's pages when `paginate` is set: page 1 at `/`, then `/page/2/`… */
  readonly indexPages: ReadonlyArray<{readonly url: string; readonly paginator: Paginator}>
  /** The site's validated model data (`data/models.yml`); empty when it has none. */
  readonly models: readonly Model[]
  /** The ids of the models each post discusses (its figures, its front matter, its text), in the data file's order. */
  readonly discussed: ReadonlyMap<Post, readonly string[]>
  /**
   * Encoded copies of local images that the pages' `<picture>`s offer, by
   * output path; index pages after the first add theirs as they are emitted,
   * so an emitter that runs after `indexPages` sees every one.
   */
  readonly imageVariants: ReadonlyMap<string, ImageVariant>
}

export interface EmitContext {
  readonly keys: PageKeys
  readonly layouts: LayoutContext
  readonly viewOptions: ViewOptions
  /** Where problems with site-wide outputs (feeds) are reported: the config file. */
  readonly configFile: VFile
  /** Where problems with pages Galley makes (index, listings) are reported. */
  readonly generatedOwner: VFile
  /** Whether a document or file of the site's own has this output path (it wins). */
  taken(path: string): boolean
  /** Render the index document's body again for one of its paginator pages (Liquid sees that page's `paginator`). */
  renderIndexBody(view: LiquidPage, extra: Record<string, unknown>, slot: string): Promise<Rendering | undefined>
  /** Paths of the outputs emitted before this emitter ran, in order. */
  readonly emitted: readonly string[]
}

/**
 * One kind of site output (Quartz's emitters): the site model in, output
 * files out. Each is its own module; `emitters` (index.ts) lists them in the
 * order they run.
 */
export interface Emitter {
  readonly name: string
  emit(model: SiteModel, context: EmitContext): Promise<Output[]> | Output[]
}
