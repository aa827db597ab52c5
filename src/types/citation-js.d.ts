/** The small part of citation-js that Galley uses (the package ships no types). */
declare module '@citation-js/core' {
  export interface CitationItem {
    readonly id: string
    readonly locator?: string
    readonly label?: string
    readonly prefix?: string
    readonly suffix?: string
    readonly 'suppress-author'?: boolean
  }
  export interface FormatOptions {
    readonly format?: 'text' | 'html'
    readonly template?: string
    readonly lang?: string
    readonly entry?: ReadonlyArray<string | CitationItem>
  }
  export class Cite {
    constructor(data: unknown, options?: Record<string, unknown>)
    static async(data: unknown, options?: Record<string, unknown>): Promise<Cite>
    readonly data: Array<Record<string, unknown>>
    format(kind: 'bibliography' | 'citation' | 'bibtex' | 'data', options?: FormatOptions): string
  }
  export const plugins: {
    config: {
      get(name: '@csl'): {readonly styles: {add(name: string, xml: string): void; has(name: string): boolean}}
    }
  }
}
declare module '@citation-js/plugin-bibtex'
declare module '@citation-js/plugin-csl'
