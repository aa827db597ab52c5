import {describe, expect, it} from 'vitest'
import {collectionOf, readCollections} from '../../src/content/collection-settings.js'

describe('readCollections', () => {
  it('reads a mapping, skips posts, and sorts by label', () => {
    const read = readCollections({posts: {output: true}, recipes: {output: true, permalink: '/cook/:name/', sort_by: 'order', chef: 'Ana'}, docs: null}, undefined, 'pretty')
    expect(read.problems).toEqual([])
    expect(read.collections).toEqual([
      {label: 'docs', directory: '_docs', output: false, permalink: '/:collection/:path/', metadata: {}},
      {label: 'recipes', directory: '_recipes', output: true, permalink: '/cook/:name/', metadata: {sort_by: 'order', chef: 'Ana'}}
    ])
  })

  it.each([
    ['pretty', '/:collection/:path/'],
    ['date', '/:collection/:path:output_ext'],
    ['none', '/:collection/:path:output_ext'],
    ['/:year/:title/', '/:collection/:path/'],
    ['/:year/:title:output_ext', '/:collection/:path:output_ext'],
    ['/:year/:title', '/:collection/:path']
  ])('gives a collection without permalink Jekyll\'s default for the site style %s', (style, expected) => {
    expect(readCollections(['notes'], undefined, style).collections[0]?.permalink).toBe(expected)
  })

  it('reads a list of labels and collections_dir, and says what it leaves out', () => {
    const read = readCollections(['notes', 'bad label', 'posts'], 'content/', 'pretty')
    expect(read.collections.map((collection) => collection.directory)).toEqual(['content/_notes'])
    expect(read.problems).toEqual(['collection "bad label": a label may hold only letters, digits, _ and -; it is ignored'])
    expect(readCollections('docs', undefined, 'pretty').problems[0]).toMatch(/^collections must be a mapping/)
    const outside = readCollections(['notes'], '../elsewhere', 'pretty')
    expect(outside.collections[0]?.directory).toBe('_notes')
    expect(outside.problems[0]).toMatch(/^collections_dir "\.\.\/elsewhere" must be a folder inside the site/)
  })

  it('finds the collection of a source path by its folder, not by a name that merely starts the same', () => {
    const {collections} = readCollections({docs: {output: true}}, undefined, 'pretty')
    expect(collectionOf(collections, '_docs/a/b.md')?.label).toBe('docs')
    expect(collectionOf(collections, '_docs-old/b.md')).toBeUndefined()
    expect(collectionOf(collections, 'docs/b.md')).toBeUndefined()
  })
})
