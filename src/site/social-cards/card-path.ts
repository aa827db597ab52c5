/**
 * Where a post's sharing image goes: `/assets/social/<the post's URL path>.png`
 * (`/2024/05/12/moe/` → `/assets/social/2024/05/12/moe.png`), one per post URL.
 */
export function socialCardUrl(postUrl: string): string {
  const trimmed = postUrl.replace(/^\/+|\/+$/g, '').replace(/\.html?$/i, '').replace(/\/index$/, '')
  return `/assets/social/${trimmed === '' ? 'index' : trimmed}.png`
}
