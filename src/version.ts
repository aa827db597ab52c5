import {readFileSync} from 'node:fs'

/** This package's version, from its package.json (one folder above dist/ and src/): part of every cache key, so an upgrade never reuses another version's work. */
export const version: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {version: string}).version
