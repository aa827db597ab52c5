import type {Liquid, TagToken, TopLevelToken} from 'liquidjs'
import {Tag} from 'liquidjs'

/**
 * jekyll-scholar's tags, on Galley's citation engine: `{% cite key %}` (or
 * several keys, `{% cite a b --locator 3 %}`) writes the Distill element
 * `<d-cite key="a,b">` and `{% bibliography %}` writes `<d-bibliography>`;
 * the markdown pipeline formats both (markdown/citations/). Options other
 * than `--locator`/`-l` (`--file`, `--style`) are ignored: the post's or the
 * site's bibliography and the site's `csl:` apply.
 */
export function registerScholarTags(liquid: Liquid): void {
  liquid.registerTag('cite', CiteTag)
  liquid.registerTag('bibliography', BibliographyTag)
}

class CiteTag extends Tag {
  private readonly html: string
  constructor(token: TagToken, remain: TopLevelToken[], engine: Liquid) {
    super(token, remain, engine)
    const words = token.args.trim().split(/\s+/).filter(Boolean)
    const keys: string[] = []
    let locator: string | undefined
    for (let index = 0; index < words.length; index++) {
      const word = words[index] as string
      if (word === '--locator' || word === '-l') locator = words[++index]?.replace(/^["']|["']$/g, '')
      else if (word.startsWith('-')) index++
      else keys.push(word)
    }
    const items = locator === undefined ? '' : ` data-items="${attribute(JSON.stringify(keys.map((key, at) => (at === keys.length - 1 ? {key, locator: `p. ${locator}`} : {key}))))}"`
    this.html = `<d-cite key="${attribute(keys.join(','))}"${items}></d-cite>`
  }
  render(): string {
    return this.html
  }
}

class BibliographyTag extends Tag {
  render(): string {
    return '<d-bibliography></d-bibliography>'
  }
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
