import {afterAll, describe, expect, it} from 'vitest'
import {launchChromium, makeSite, newLoopbackContext, startServe, stopAllServes} from './helpers.js'

/**
 * What a reader sees of a mermaid diagram, in Debian's Chromium: the diagram
 * is drawn (boxes with the labels in them), its labels take the page's text
 * colour in light and in dark mode, and the page asks nothing of any other host.
 */
describe('a mermaid diagram in the browser', () => {
  afterAll(async () => {
    await stopAllServes()
  })

  it('draws the labels in the text colour of the theme, light and dark, loading nothing from elsewhere', async () => {
    const site = await makeSite({
      'site.yml': 'title: Diagrams\n',
      'posts/2024-02-03-flow.md': '---\ntitle: Flow\n---\nHow it goes:\n\n```mermaid\ngraph LR\n  Write --> Build --> Publish\n```\n'
    })
    const server = await startServe(site)
    const browser = await launchChromium()
    try {
      const {context, blocked} = await newLoopbackContext(browser)
      const page = await context.newPage()
      const seen: Record<string, {text: string; fill: string; labels: string[]; width: number}> = {}
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({colorScheme: scheme})
        await page.goto(`${server.url}2024/02/03/flow/`)
        seen[scheme] = await page.evaluate(() => {
          const svg = document.querySelector('figure.diagram-mermaid svg') as SVGSVGElement
          const label = [...svg.querySelectorAll('text')].find((node) => node.textContent === 'Build') as SVGTextElement
          const article = svg.closest('article') ?? document.body
          return {
            text: getComputedStyle(article).color,
            fill: getComputedStyle(label).fill,
            labels: [...svg.querySelectorAll('text')].map((node) => node.textContent ?? ''),
            width: svg.getBoundingClientRect().width
          }
        })
      }
      for (const scheme of ['light', 'dark'] as const) {
        const view = seen[scheme]!
        expect(view.labels).toEqual(expect.arrayContaining(['Write', 'Build', 'Publish']))
        expect(view.width).toBeGreaterThan(50)
        expect(view.fill, scheme).toBe(view.text)
      }
      expect(seen.light!.fill).not.toBe(seen.dark!.fill)
      expect(blocked).toEqual([])
      await context.close()
    } finally {
      await browser.close()
      await server.stop()
    }
  }, 180_000)
})
