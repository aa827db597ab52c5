import {parseArgs} from 'node:util'
import {count} from '../plural.js'

/** `galley images …`: the command line of image mirroring. Returns the exit code (0, 1 content problems, 2 usage). */

export const imagesUsage = `Usage: galley images pull [options]

Download every remote image the posts, drafts and pages show (markdown
images, <img src>, srcset, url() in inline styles, front-matter image) into
assets/remote/<host>/<hash>.<ext>, and record each in data/remote-images.yml
(URL, file, size, type, sha256, date). Posts are never edited: builds show
the copies instead of the URLs while the lock file lists them (site.yml
images: {remote: keep} turns that off). Run it again to fetch new images;
images already mirrored, with their files intact, are not fetched again.

Options:
  --source DIR       Site folder (default: .)
  --host HOST        Only images on HOST (repeatable)
  --origin HOST=URL  Send HOST's requests to URL instead (a mirror, a local server)
  --concurrency N    Downloads at once (default: 6)
  --timeout MS       Time-out per attempt in milliseconds (default: 20000)
  --retries N        Attempts after the first for network errors, time-outs and 5xx (default: 3)
  --max-size MB      Refuse larger files (default: 25)
  -h, --help         Show this help

Each failure is printed as post:line:column: error: … (image-pull).
Exit status: 0 every image mirrored, 1 an image could not be fetched, 2 usage error.
`

class ImagesUsageError extends Error {}

export async function runImagesCommand(args: readonly string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  try {
    return await run(args, out, err)
  } catch (error) {
    if (!(error instanceof ImagesUsageError)) throw error
    err.write(`galley: ${error.message}\n`)
    return 2
  }
}

async function run(args: readonly string[], out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<number> {
  const [sub, ...rest] = args
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    out.write(imagesUsage)
    return 0
  }
  if (sub !== 'pull') throw new ImagesUsageError(`${sub === undefined ? 'images needs a subcommand' : `unknown images subcommand "${sub}"`}\n\n${imagesUsage}`)
  let values
  try {
    values = parseArgs({
      args: [...rest],
      strict: true,
      allowPositionals: false,
      options: {
        source: {type: 'string'},
        host: {type: 'string', multiple: true},
        origin: {type: 'string', multiple: true},
        concurrency: {type: 'string'},
        timeout: {type: 'string'},
        retries: {type: 'string'},
        'max-size': {type: 'string'},
        help: {type: 'boolean', short: 'h'}
      }
    }).values
  } catch (error) {
    throw new ImagesUsageError((error as Error).message)
  }
  if (values.help) {
    out.write(imagesUsage)
    return 0
  }
  const origins = new Map<string, string>()
  for (const pair of values.origin ?? []) {
    const match = /^([^=\s]+)=(https?:\/\/\S+)$/i.exec(pair)
    if (!match) throw new ImagesUsageError(`--origin must be HOST=URL (e.g. cdn.example.com=http://127.0.0.1:8080), not "${pair}"`)
    origins.set((match[1] as string).toLowerCase(), match[2] as string)
  }
  const number = (flag: string, value: string | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined
    const parsed = Number(value)
    if (!Number.isFinite(parsed) || parsed < min || (flag !== '--max-size' && !Number.isInteger(parsed))) throw new ImagesUsageError(`${flag} must be a number of at least ${min}, not "${value}"`)
    return parsed
  }
  const maxSize = number('--max-size', values['max-size'], 0.001)
  const [{pullImages}, {formatMessages}] = await Promise.all([import('./pull.js'), import('../report.js')])
  const progress = progressLine(err)
  const started = performance.now()
  const result = await pullImages({
    source: values.source ?? '.',
    hosts: values.host,
    origins,
    concurrency: number('--concurrency', values.concurrency, 1),
    timeoutMs: number('--timeout', values.timeout, 1),
    retries: number('--retries', values.retries, 0),
    maxBytes: maxSize === undefined ? undefined : Math.round(maxSize * 1024 * 1024),
    now: Date.now,
    progress
  })
  if (progress) err.write('\r\x1b[2K')
  const lines = formatMessages(result.files)
  if (lines.length > 0) err.write(lines.join('\n') + '\n')
  const ms = Math.round(performance.now() - started)
  const summary = `${count(result.total, 'remote image')}: ${result.fetched} fetched, ${result.kept} already mirrored${result.failed ? `, ${result.failed} failed` : ''} (${result.lockFile}, ${ms} ms)`
  if (!result.ok) {
    err.write(`galley: images pull: ${summary}\n`)
    return 1
  }
  out.write(`galley: images pull: ${summary}\n`)
  return 0
}

/** `galley: pulling images 3/14` on a terminal (not under CI), redrawn in place. */
function progressLine(stream: NodeJS.WriteStream): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY || (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false')) return undefined
  return (done, total) => {
    if (total > 0) stream.write(`\r\x1b[2Kgalley: pulling images ${done}/${total}`)
  }
}
