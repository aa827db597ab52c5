#!/usr/bin/env node
import path from 'node:path'
import {parseArgs, type ParseArgsConfig} from 'node:util'
import {buildSite} from './build.js'
import {formatMessages} from './report.js'

/**
 * The command line: the only module that reads process.argv, prints, or sets
 * the exit code. Exit 0 on success, 1 when the content has errors, 2 on usage
 * errors.
 */

const usage = `Usage: galley <command> [options]

Commands:
  build     Build the site into its output folder (default _site/)

Run "galley <command> --help" for a command's options.
`

const buildUsage = `Usage: galley build [options]

Build a folder of Jekyll-style posts into a static site.

Options:
  --source DIR       Site folder (default: .)
  --out DIR          Output folder (default: <source>/_site)
  --base-url PATH    Serve the site under PATH, e.g. /blog (overrides baseurl in site.yml)
  --drafts           Include drafts from drafts/ or _drafts/
  --future           Include posts dated in the future
  --verbose          Also print how many warnings each file has, and timings
  -h, --help         Show this help

The site folder holds site.yml (or Jekyll's _config.yml), posts/ (or _posts/),
drafts/, layouts/ (or _layouts/), layouts/includes/ (or _includes/), assets/,
and any other page with front matter (about.md, index.html). Folders without
layouts use the default theme.

Every problem is printed as path:line:column: severity: message. The previous
output is left untouched when the build has errors.
`

const buildOptions = {
  source: {type: 'string'},
  out: {type: 'string'},
  'base-url': {type: 'string'},
  drafts: {type: 'boolean'},
  future: {type: 'boolean'},
  verbose: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'}
} as const satisfies ParseArgsConfig['options']

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(usage)
    return command === undefined ? 2 : 0
  }
  if (command === 'build') return runBuild(rest)
  throw new UsageError(`unknown command "${command}"\n\n${usage}`)
}

async function runBuild(args: string[]): Promise<number> {
  const {values} = parse(args, buildOptions)
  if (values.help) {
    process.stdout.write(buildUsage)
    return 0
  }
  const started = performance.now()
  const result = await buildSite({
    source: values.source ?? '.',
    out: values.out,
    baseUrl: values['base-url'],
    drafts: values.drafts,
    future: values.future,
    now: Date.now()
  })
  const lines = formatMessages(result.files)
  if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n')
  if (values.verbose) {
    for (const file of result.files) {
      const warnings = file.messages.filter((message) => message.fatal !== true).length
      if (warnings > 0) process.stderr.write(`${file.path}: ${warnings} warning${warnings === 1 ? '' : 's'}\n`)
    }
  }
  const errors = result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal === true).length, 0)
  const warnings = result.files.reduce((sum, file) => sum + file.messages.filter((message) => message.fatal !== true).length, 0)
  const ms = Math.round(performance.now() - started)
  if (!result.ok) {
    const out = result.config ? path.relative(process.cwd(), result.config.out) || '.' : 'the output folder'
    process.stderr.write(`galley: build failed with ${errors} error${errors === 1 ? '' : 's'}${warnings ? ` and ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}; ${out} was left as it was\n`)
    return 1
  }
  const out = path.relative(process.cwd(), result.config?.out ?? '') || '.'
  process.stdout.write(`galley: built ${result.posts.length} post${result.posts.length === 1 ? '' : 's'} into ${out}/ (${result.written.length} files) in ${ms} ms${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n`)
  return 0
}

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({args, options, allowPositionals: false, strict: true})
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`galley: ${error.message}\n`)
      process.exitCode = 2
      return
    }
    process.stderr.write(`galley: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 70
  }
)
