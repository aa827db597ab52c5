/** How comparison figures and their headings are written for readers (tables, charts, model pages). */

/** Each field's heading, with its unit. */
export const labels: Record<string, string> = {
  name: 'Model',
  family: 'Family',
  organization: 'Organization',
  released: 'Released',
  license: 'Licence',
  architecture: 'Architecture',
  parameters: 'Parameters',
  active_parameters: 'Active parameters',
  training_tokens: 'Training tokens',
  context_length: 'Context length (tokens)',
  vocab_size: 'Vocabulary size (tokens)',
  experts: 'Experts',
  active_experts: 'Active experts'
}
/** Fields that hold text, not a figure. */
export const textFields = new Set(['family', 'organization', 'released', 'license', 'architecture'])
/** Fields written compactly with a unit suffix (`8B`, `15T`). */
export const compactFields = new Set(['parameters', 'active_parameters', 'training_tokens'])
// Made on first use: an Intl formatter loads ICU data, which a build of a site without comparisons never needs.
let groupingFormat: Intl.NumberFormat | undefined
const grouping = {format: (value: number): string => (groupingFormat ??= new Intl.NumberFormat('en-US', {maximumFractionDigits: 2})).format(value)}

/** A field's heading: its label with its unit, or the benchmark's name. */
export function fieldLabel(field: string): string {
  if (field.startsWith('scores.')) return field.slice('scores.'.length).toUpperCase()
  return labels[field] ?? field
}

/** A figure as written for readers: `8B`, `270M`, `15T` for sizes and tokens; thousands grouped otherwise. */
export function formatValue(field: string, value: number): string {
  if (compactFields.has(field)) {
    for (const [unit, size] of [['T', 1e12], ['B', 1e9], ['M', 1e6], ['K', 1e3]] as const) {
      if (Math.abs(value) >= size) return `${grouping.format(Math.round((value / size) * 100) / 100)}${unit}`
    }
  }
  return grouping.format(value)
}


/** What each field counts, for an axis that shows several fields at once. */
const units: Record<string, string> = {
  parameters: 'Parameters',
  active_parameters: 'Parameters',
  training_tokens: 'Tokens',
  context_length: 'Tokens',
  vocab_size: 'Tokens',
  experts: 'Experts',
  active_experts: 'Experts'
}

/** The label of an axis shared by `fields`: their common unit (`Tokens`) when they have one, else their labels joined. */
export function sharedAxisLabel(fields: readonly string[]): string {
  const common = new Set(fields.map((field) => units[field] ?? (field.startsWith('scores.') ? 'Score' : fieldLabel(field))))
  return common.size === 1 ? ([...common][0] as string) : fields.map(fieldLabel).join(', ')
}
