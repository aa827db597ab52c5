/**
 * Links to papers, recognised from their URL alone (no network): arXiv
 * (`abs`, `pdf`, `html`, with or without a version; new-style `2404.14662`
 * and old-style `hep-th/9901001`), DOIs, OpenReview, the ACL Anthology and
 * PMLR. Each becomes one paper id, the same for every version and form of
 * link, so `…/abs/2404.14662v1` and `…/pdf/2404.14662v2.pdf` are one paper.
 */
export interface PaperLink {
  /** The normalised id: `arXiv:2404.14662`, `doi:10.1000/xyz`, `openreview:abc`, `acl:2023.acl-long.1`, `pmlr:v202/smith23a`. */
  readonly id: string
  readonly kind: 'arxiv' | 'doi' | 'openreview' | 'acl' | 'pmlr'
  /** The form of the link: the abstract page, the PDF, or another page (html). */
  readonly form: 'abs' | 'pdf' | 'html'
  /** Where the PDF is, for the id badge. */
  readonly pdf: string
  /** `YYYY-MM` the id was assigned in, when the id tells (arXiv ids do). */
  readonly month: string | undefined
  /** Why the id cannot exist (an arXiv month 13), when it cannot. */
  readonly invalid: string | undefined
}

/** A cheap test on a post's source text: whether it may hold a link to a paper at all. */
export const PAPER_HOSTS = /arxiv\.org|doi\.org|openreview\.net|aclanthology\.org|aclweb\.org\/anthology|proceedings\.mlr\.press/i

const ARCHIVES = new Set([
  'astro-ph', 'cond-mat', 'gr-qc', 'hep-ex', 'hep-lat', 'hep-ph', 'hep-th', 'math-ph', 'nlin', 'nucl-ex', 'nucl-th', 'physics', 'quant-ph',
  'math', 'cs', 'q-bio', 'q-fin', 'stat', 'eess', 'econ', 'alg-geom', 'funct-an', 'q-alg', 'dg-ga', 'chao-dyn', 'solv-int', 'patt-sol', 'adap-org',
  'comp-gas', 'chem-ph', 'cmp-lg', 'mtrl-th', 'supr-con', 'acc-phys', 'ao-sci', 'atom-ph', 'bayes-an', 'plasm-ph'
])

/** The paper a URL links to, or undefined when it is no paper link this module knows. */
export function paperLinkOf(href: string): PaperLink | undefined {
  let url: URL
  try {
    url = new URL(href)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  const host = url.hostname.toLowerCase().replace(/^www\./, '')
  const path = decodeSafely(url.pathname)
  if (host === 'arxiv.org' || host === 'export.arxiv.org') return arxiv(path)
  if (host === 'doi.org' || host === 'dx.doi.org') return doi(path)
  if (host === 'openreview.net') return openreview(path, url.searchParams.get('id'))
  if (host === 'aclanthology.org' || (host === 'aclweb.org' && path.startsWith('/anthology/'))) return acl(path.replace(/^\/anthology\//, '/'))
  if (host === 'proceedings.mlr.press') return pmlr(path)
  return undefined
}

function arxiv(path: string): PaperLink | undefined {
  const match = /^\/(abs|pdf|html)\/(.+?)(?:\.pdf)?\/?$/.exec(path)
  if (!match) return undefined
  const form = match[1] as PaperLink['form']
  const raw = (match[2] as string).replace(/v\d+$/, '')
  const modern = /^(\d{2})(\d{2})\.(\d+)$/.exec(raw)
  if (modern) {
    const [, yy, mm, number] = modern as unknown as [string, string, string, string]
    const year = 2000 + Number(yy)
    const month = Number(mm)
    // From 2015 (1501) the number has five digits, before it four; the scheme began in April 2007 (0704).
    const digits = year >= 2015 ? 5 : 4
    const invalid =
      month < 1 || month > 12
        ? `arXiv ids name a month 01–12; ${raw} names month ${mm}`
        : year * 100 + month < 200704
          ? `arXiv ids of the form YYMM.NNNNN began in April 2007 (0704); ${raw} is older`
          : number.length !== digits
            ? `an arXiv id from ${year} has ${digits} digits after the dot; ${raw} has ${number.length}`
            : undefined
    return {id: `arXiv:${raw}`, kind: 'arxiv', form, pdf: `https://arxiv.org/pdf/${raw}`, month: invalid ? undefined : `${year}-${mm}`, invalid}
  }
  const old = /^([a-z-]+)(?:\.[A-Z]{2})?\/(\d{2})(\d{2})(\d{3})$/.exec(raw)
  if (old) {
    const [, archive, yy, mm] = old as unknown as [string, string, string, string]
    const year = Number(yy) >= 91 ? 1900 + Number(yy) : 2000 + Number(yy)
    const month = Number(mm)
    const invalid = !ARCHIVES.has(archive)
      ? `${archive} is no arXiv archive`
      : month < 1 || month > 12
        ? `arXiv ids name a month 01–12; ${raw} names month ${mm}`
        : year * 100 + month > 200703
          ? `old-style arXiv ids (archive/YYMMNNN) ended in March 2007; ${raw} is later`
          : undefined
    return {id: `arXiv:${raw}`, kind: 'arxiv', form, pdf: `https://arxiv.org/pdf/${raw}`, month: invalid ? undefined : `${year}-${mm}`, invalid}
  }
  return {id: `arXiv:${raw}`, kind: 'arxiv', form, pdf: `https://arxiv.org/pdf/${raw}`, month: undefined, invalid: `${raw} is no arXiv id (YYMM.NNNNN or archive/YYMMNNN)`}
}

function doi(path: string): PaperLink | undefined {
  const value = path.replace(/^\//, '')
  if (!/^10\.\d{4,9}\/\S+$/.test(value)) return undefined
  return {id: `doi:${value.toLowerCase()}`, kind: 'doi', form: 'abs', pdf: `https://doi.org/${value}`, month: undefined, invalid: undefined}
}

function openreview(path: string, id: string | null): PaperLink | undefined {
  if ((path !== '/forum' && path !== '/pdf') || id === null || !/^[\w-]+$/.test(id)) return undefined
  return {id: `openreview:${id}`, kind: 'openreview', form: path === '/pdf' ? 'pdf' : 'abs', pdf: `https://openreview.net/pdf?id=${id}`, month: undefined, invalid: undefined}
}

function acl(path: string): PaperLink | undefined {
  const match = /^\/([A-Z]\d{2}-\d{4}|\d{4}\.[\w-]+\.\d+)(\.pdf)?\/?$/.exec(path)
  if (!match) return undefined
  const id = match[1] as string
  return {id: `acl:${id}`, kind: 'acl', form: match[2] ? 'pdf' : 'abs', pdf: `https://aclanthology.org/${id}.pdf`, month: undefined, invalid: undefined}
}

function pmlr(path: string): PaperLink | undefined {
  const match = /^\/(v\d+)\/([\w-]+?)(?:\/[\w-]+)?(\.html|\.pdf)$/.exec(path)
  if (!match) return undefined
  const [, volume, paper, extension] = match as unknown as [string, string, string, string]
  return {id: `pmlr:${volume}/${paper}`, kind: 'pmlr', form: extension === '.pdf' ? 'pdf' : 'abs', pdf: `https://proceedings.mlr.press/${volume}/${paper}/${paper}.pdf`, month: undefined, invalid: undefined}
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}
