import path from 'node:path'
import type {SiteConfig} from '../config.js'
import {createSourceReader} from '../io.js'

/** Layout folders, searched in order: the site's, then the default theme's. */
export function layoutFolders(config: SiteConfig): string[] {
  const folders = config.dirs.layouts ? [path.join(config.source, config.dirs.layouts)] : []
  const theme = path.join(config.themeDir, 'layouts')
  return folders.includes(theme) ? folders : [...folders, theme]
}

/** Include folders, searched in order: the site's, then the default theme's. */
export function includeFolders(config: SiteConfig): string[] {
  const folders = config.dirs.includes ? [path.join(config.source, config.dirs.includes)] : []
  const theme = path.join(config.themeDir, 'layouts', 'includes')
  return folders.includes(theme) ? folders : [...folders, theme]
}

/** The default theme's assets (source-relative path → absolute file), when the theme is not the site itself. */
export async function listThemeStatics(config: SiteConfig): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  if (config.themeDir === config.source) return found
  const reader = createSourceReader(config.themeDir)
  if (!(await reader.exists('assets'))) return found
  // The sample blog's own bibliography (assets/bibliography/) is its content, not the theme's: not copied into other sites.
  for (const file of await reader.list((relative) => path.posix.basename(relative).startsWith('.') || !(relative === 'assets' || relative.startsWith('assets/')) || relative === 'assets/bibliography')) {
    found.set(file, path.join(config.themeDir, file))
  }
  return found
}

/** Every include file's name and text (liquidjs reads includes itself), for the layout fingerprint. */
export async function includeTexts(config: SiteConfig): Promise<string[]> {
  const texts: string[] = []
  for (const folder of includeFolders(config)) {
    const reader = createSourceReader(folder)
    if (!(await reader.exists('.'))) continue
    for (const file of await reader.list((relative) => path.posix.basename(relative).startsWith('.'))) {
      texts.push(folder + '/' + file, (await reader.read(file)).toString('utf8'))
    }
  }
  return texts
}
