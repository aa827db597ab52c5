// Galley: posts/YYYY-MM-DD-slug.md as generated, site.yml, the default theme's layouts
// copied into the site (so the layout edit changes an existing file), built by the CLI.
import {copyFileSync, cpSync, existsSync, mkdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {appendSentence, editLayout, heroImage, put, root, tempSite} from './common.mjs'

const cli = path.join(root, 'dist/cli.js')

export default {
  name: 'galley',
  label: 'Galley',
  /** Why it cannot run, or undefined. */
  unavailable: () => (existsSync(cli) ? undefined : 'dist/cli.js missing (npm run compile)'),
  version: () => 'working tree',

  writeSite(posts, {prefix = 'galley-bench-galley', siteYml = 'title: Galley Bench\nurl: https://bench.example\n', ownLayouts = true} = {}) {
    const dir = tempSite(prefix)
    for (const post of posts) put(dir, `posts/${post.fileName}`, post.text)
    put(dir, 'site.yml', siteYml)
    mkdirSync(path.join(dir, 'assets'))
    copyFileSync(heroImage, path.join(dir, 'assets/hero.png'))
    if (ownLayouts) cpSync(path.join(root, 'layouts'), path.join(dir, 'layouts'), {recursive: true})
    return dir
  },
  /** Output, and the persistent cache Galley keeps (or will keep) in the site. */
  clean(dir) {
    rmSync(path.join(dir, '_site'), {recursive: true, force: true})
    rmSync(path.join(dir, 'node_modules/.cache/galley'), {recursive: true, force: true})
  },
  command: (dir) => ({file: process.execPath, args: [cli, 'build', '--source', dir], cwd: dir}),
  outDir: (dir) => path.join(dir, '_site'),
  editPost: (dir, post, round) => appendSentence(path.join(dir, 'posts', post.fileName), round),
  editLayout: (dir, round) => editLayout(path.join(dir, 'layouts/post.html'), '<article class="post">', round)
}

/** Start-up commands timed on their own (no site): name → argv after `node`. */
export const startupCommands = {'--help': [cli, '--help'], '--version': [cli, '--version']}
