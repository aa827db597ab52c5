/**
 * Whether a source may cite from a bibliography: an `@` (`[@key]`, `@key`),
 * a Distill `<d-cite>`/`<d-bibliography>`, jekyll-scholar's Liquid tags, or
 * a `bibliography:` of its own. The cheap check the citation plugins make,
 * and the one the build makes to key such posts by the bibliographies. Its
 * own module, so the build reads it without loading the plugins.
 */
export const CITATION_HINT = /@|<d-cite|<d-bibliography|\{%-?\s*(?:cite|bibliography)\b|^bibliography\s*:/m
