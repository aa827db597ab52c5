import {describe, expect, it} from 'vitest'
import {htmlToText, parseTitle} from '../../src/content/title.js'

describe('parseTitle', () => {
  it.each([
    ['How Good Are the Latest Open LLMs? <br> And Is DPO Better Than PPO?', 'How Good Are the Latest Open LLMs? <br> And Is DPO Better Than PPO?', 'How Good Are the Latest Open LLMs? And Is DPO Better Than PPO?'],
    ['Line one<br/>line two', 'Line one<br>line two', 'Line one line two'],
    ['Plain   title\n with  spaces', 'Plain   title\n with  spaces', 'Plain title with spaces'],
    ['<em>Emphasis</em> &amp; <code>code</code>', '<em>Emphasis</em> &#x26; <code>code</code>', 'Emphasis & code'],
    ['Evil <script>alert(1)</script>title', 'Evil title', 'Evil title'],
    ['<img src=x onerror="alert(1)">Image', 'Image', 'Image'],
    ['<span onclick="steal()">Click</span> me', '<span>Click</span> me', 'Click me'],
    ['<a href="javascript:alert(1)">link</a>', '<a>link</a>', 'link'],
    ['<div><h2>Block</h2></div> tags', 'Block tags', 'Block tags'],
    ['Unclosed <b>bold', 'Unclosed <b>bold</b>', 'Unclosed bold'],
    ['a < b and c > d', 'a &#x3C; b and c > d', 'a < b and c > d']
  ])('%j', (raw, html, text) => {
    const title = parseTitle(raw)
    expect(title.html).toBe(html)
    expect(title.text).toBe(text)
  })
})

describe('htmlToText', () => {
  it('separates blocks and breaks with spaces', () => {
    expect(htmlToText('<p>One</p><p>Two<br>three</p>')).toBe('One Two three')
  })
})
