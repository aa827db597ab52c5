import {existsSync} from 'node:fs'
import {createServer, type AddressInfo} from 'node:net'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {makeSite, runCli} from './helpers.js'

const onePost = {'site.yml': 'url: https://example.com\n', 'posts/2024-01-01-p.md': '---\ntitle: P\n---\n[a](https://a.invalid/x) [b](https://b.invalid/y)\n'}

describe('small frictions of the CLI', () => {
  it('says "1 post", "1 page" and "1 file" in the singular', async () => {
    const dir = await makeSite(onePost)
    const build = await runCli(['build', '--source', dir])
    expect(build.code).toBe(0)
    expect(build.stdout).toMatch(/galley: built 1 post into /)
    expect(build.stdout).not.toMatch(/\b1 (posts|files|warnings)\b/)
  })

  it('serve on a busy port says so before building, and exits 1', async () => {
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()))
    const port = (busy.address() as AddressInfo).port
    try {
      const dir = await makeSite(onePost)
      const result = await runCli(['serve', '--source', dir, '--port', String(port)])
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`galley: port ${port} on 127.0.0.1 is in use: pick another with --port, or --port 0 for any free port`)
      expect(result.stdout).not.toContain('built')
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()))
    }
  })

  it('new --source DIR prints the new file relative to the current folder', async () => {
    const parent = await makeSite({'blog/site.yml': 'title: B\n'})
    const result = await runCli(['new', 'Hello there', '--source', 'blog'], {cwd: parent})
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^blog\/posts\/\d{4}-\d{2}-\d{2}-hello-there\.md\n$/)
    expect(existsSync(path.join(parent, result.stdout.trim()))).toBe(true)
  })

  // `.invalid` names never resolve (RFC 2606), online or not: the same answer as a machine without network.
  it('check --external says once that the network is unreachable when no external host can be reached', async () => {
    const dir = await makeSite(onePost)
    expect((await runCli(['build', '--source', dir])).code).toBe(0)
    const result = await runCli(['check', '--source', dir, '--external'])
    expect(result.stderr).toMatch(/^galley: the network looks unreachable \((ENOTFOUND|EAI_AGAIN)[^)]*\); \d+ external links were not checked$/m)
    expect(result.stderr).not.toContain('a.invalid')
    expect(result.code).toBe(0)
  })
})
