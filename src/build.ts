import path from 'node:path'
import type {VFile} from 'vfile'
import {loadConfig, type ConfigOverrides, type SiteConfig} from './config.js'
import type {Post} from './content/post.js'
import {createStagedWriter, isReplaceableOutput} from './io.js'
import {createFileRegistry} from './layout/liquid-errors.js'
import {report} from './report.js'
import {createBuildCache, type BuildCache} from './site/build-cache.js'
import {createRenderPool} from './render/pool.js'
import {renderSite} from './site/render-site.js'

/** What a build did: every file with its messages, and what was written. */
export interface BuildReport {
  /** False when any error was reported; nothing was written then. */
  readonly ok: boolean
  /** Every file that has messages or was processed, for reporting. */
  readonly files: readonly VFile[]
  /** Output paths written (relative to the output folder), sorted. */
  readonly written: readonly string[]
  readonly config: SiteConfig | undefined
  /** Posts in the site, newest first. */
  readonly posts: readonly Post[]
}

/** Load the config for `overrides`, then build. The whole of `galley build`, minus printing. */
export async function buildSite(overrides: ConfigOverrides): Promise<BuildReport> {
  const loaded = loadConfig(overrides)
  if (!loaded.config) return {ok: false, files: [loaded.file], written: [], config: undefined, posts: []}
  const result = await build(loaded.config)
  return {...result, files: [loaded.file, ...result.files]}
}

/**
 * Build the site described by `config` into `config.out`: render it in
 * memory, then — only when no error was reported anywhere — write it into a
 * staging folder and swap that into place, so a failed build leaves the
 * previous output exactly as it was. An output folder named with --out (or
 * `destination:`) that holds files Galley did not write is never replaced;
 * the default `_site` is the generator's own, as in Jekyll. No console, no
 * process: the caller reports.
 */
export async function build(config: SiteConfig, cache: BuildCache = createBuildCache()): Promise<BuildReport> {
  if (!config.outIsDefault && !(await isReplaceableOutput(config.out))) {
    const file = createFileRegistry(config.source).get(path.join(config.source, config.configFile ?? 'site.yml'))
    report(file, {
      reason: `the output folder ${config.out} holds files galley did not write; refusing to replace it (empty it or pick another --out)`,
      ruleId: 'output',
      severity: 'error'
    })
    return {ok: false, files: [file], written: [], config, posts: []}
  }
  const pool = createRenderPool({workers: config.workers, shared: cache.renderer})
  let site
  try {
    site = await renderSite(config, cache, undefined, {pool})
  } finally {
    await pool.close()
  }
  if (!site.ok) return {ok: false, files: site.files, written: [], config, posts: site.posts}

  const writer = await createStagedWriter(config.out)
  try {
    for (const [relative, absolute] of site.copies) if (!site.outputs.has(relative)) await writer.copy(absolute, relative)
    for (const [relative, contents] of site.outputs) await writer.write(relative, contents)
    await writer.commit()
  } catch (error) {
    await writer.abort()
    throw error
  }
  const written = [...new Set([...site.copies.keys(), ...site.outputs.keys()])].sort()
  return {ok: true, files: site.files, written, config, posts: site.posts}
}
