/**
 * What our unified plugins leave on `file.data`, typed once for all of them.
 * Plugins talk to the build (and to each other) only through these fields.
 */
export interface Excerpt {
  /** The excerpt as HTML, with headings dropped (a listing has its own). */
  readonly html: string
  /** The excerpt as plain text, whitespace collapsed (meta descriptions, feeds). */
  readonly text: string
  /** Whether the author marked it (separator found) rather than it being the first paragraph. */
  readonly marked: boolean
}

export interface Heading {
  readonly depth: number
  readonly id: string | undefined
  readonly text: string
}

declare module 'vfile' {
  interface DataMap {
    excerpt: Excerpt
    /** Source-relative paths of local files the content refers to (copied to the output). */
    assets: string[]
    headings: Heading[]
    /** Whether the content has rendered math: the page then needs KaTeX's stylesheet and fonts. */
    math?: boolean
    /** TeX KaTeX was given → the author's TeX, for formulas rendered as MathJax reads them (rehype-math-check). */
    mathSources?: globalThis.Map<string, string>
    /** Words of prose in the content (code and math left out), for reading time. */
    words?: number
    /** The document's front matter, for plugins with per-post switches (`toc: true`). */
    matter: Readonly<Record<string, unknown>>
  }
}

export {}
