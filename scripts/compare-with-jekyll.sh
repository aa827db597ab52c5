#!/usr/bin/env bash
# Renders Jekyll sites with Jekyll and with Galley and compares each post's
# visible text, headings and links (scripts/compare-with-jekyll.mjs does the
# comparing). Not part of `npm test`: it needs Debian's jekyll (installed
# quietly when missing, which needs root) and takes minutes on a large site.
#
#   bash scripts/compare-with-jekyll.sh [--all] [SITE_OR_CORPUS ...]
#
# Each argument is a Jekyll site (a folder with _config.yml and _posts/, or
# docs/_posts/) or a folder of such sites (../shared/corpus). Default: the
# fixture site test/fixtures/jekyll-compare. `--all` prints every kind of
# difference of a post, not only its first.
#
# Every site is copied into a temporary folder outside the repository, twice
# (one copy for each generator; the original is never touched), with:
# - one stub layout for every layout name the site uses, so both generators
#   wrap a post the same way: <article id="galley-compare" data-source=…>;
# - an empty include for every {% include %} the posts name that the copy
#   lacks (the corpus has no _includes), and a stub page for every
#   {% link %} target it lacks, since Jekyll stops at either;
# - _config.compare.yml on top of the site's config: no plugins and no theme
#   (Debian ships only jekyll-feed, jekyll-seo-tag and minima; a missing gem
#   stops Jekyll), future posts off as in both defaults, and, when the site
#   names no permalink, /:categories/:year/:month/:day/:title/ for both
#   (Jekyll's default ends in .html, Galley's in a folder; links would differ
#   in every post for that alone).
set -euo pipefail

say() { printf 'compare-with-jekyll: %s\n' "$*" >&2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v jekyll >/dev/null 2>&1; then
  say 'jekyll is missing; installing Debian'"'"'s jekyll package'
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jekyll >/dev/null || {
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jekyll >/dev/null
  }
fi
if [ ! -f "$repo/dist/cli.js" ]; then
  say 'compiling Galley (npx tsc)'
  (cd "$repo" && npx tsc -p tsconfig.json)
fi

flags=()
targets=()
for arg in "$@"; do
  case "$arg" in
    --all) flags+=(--all) ;;
    *) targets+=("$arg") ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("$repo/test/fixtures/jekyll-compare")

# Sites under each target: the target itself, or each folder in it that is a site.
sites=()
site_root() { if [ -d "$1/_posts" ]; then echo "$1"; elif [ -d "$1/docs/_posts" ]; then echo "$1/docs"; fi; }
for target in "${targets[@]}"; do
  target="$(cd "$target" && pwd)"
  root="$(site_root "$target")"
  if [ -n "$root" ]; then sites+=("$root"); continue; fi
  for dir in "$target"/*/; do
    root="$(site_root "${dir%/}")"
    [ -n "$root" ] && sites+=("$root")
  done
done
[ ${#sites[@]} -gt 0 ] || { say "no Jekyll site (a folder with _posts/) in: ${targets[*]}"; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/compare-with-jekyll.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Stubs that make a copy buildable by Jekyll; the same stubs go to both copies.
prepare() {
  local copy="$1"
  mkdir -p "$copy/_layouts" "$copy/_includes"
  local layouts
  # Named in a post's front matter, or in _config.yml (indented: front matter `defaults:`).
  layouts="$( (grep -rhoE '^layout:[[:space:]]*["'"'"']?[A-Za-z0-9_.-]+' "$copy/_posts" 2>/dev/null; grep -hoE '^[[:space:]]*layout:[[:space:]]*["'"'"']?[A-Za-z0-9_.-]+' "$copy/_config.yml" 2>/dev/null || true) | sed -E 's/^[[:space:]]*layout:[[:space:]]*["'"'"']?//' | sort -u)"
  for layout in default post page $layouts; do
    printf '<!doctype html>\n<html><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body><article id="galley-compare" data-source="{{ page.path }}">\n{{ content }}\n</article></body></html>\n' >"$copy/_layouts/${layout%.html}.html"
  done
  (grep -rhoE '\{%-?[[:space:]]*include[[:space:]]+[A-Za-z0-9_./@-]+' "$copy/_posts" 2>/dev/null || true) | sed -E 's/.*include[[:space:]]+//' | sort -u | while read -r include; do
    [ -e "$copy/_includes/$include" ] || { mkdir -p "$(dirname "$copy/_includes/$include")"; : >"$copy/_includes/$include"; }
  done
  (grep -rhoE '\{%-?[[:space:]]*link[[:space:]]+[^%[:space:]]+' "$copy/_posts" 2>/dev/null || true) | sed -E 's/.*link[[:space:]]+//' | sort -u | while read -r target; do
    case "$target" in *..*|/*|*'{'*) continue ;; esac
    [ -e "$copy/$target" ] || { mkdir -p "$(dirname "$copy/$target")"; printf -- '---\ntitle: stub\n---\nstub\n' >"$copy/$target"; }
  done
  # Psych 4 (Debian's Ruby) refuses YAML symbols (`style: :expanded`), which older Jekylls read as strings.
  sed -i -E 's/^([[:space:]]*[A-Za-z_]+:[[:space:]]+):([A-Za-z_]+)/\1\2/' "$copy/_config.yml"
  printf 'plugins: []\ntheme: null\nremote_theme: null\nfuture: false\nincremental: false\n' >"$copy/_config.compare.yml"
  # Jekyll's default permalink ends in .html, Galley's in a folder: a site that names none gets one both read alike.
  grep -qE '^permalink:' "$copy/_config.yml" || printf '\npermalink: /:categories/:year/:month/:day/:title/\n' >>"$copy/_config.yml"
}

status=0
for site in "${sites[@]}"; do
  name="$(basename "$site")"
  [ "$name" = docs ] && name="$(basename "$(dirname "$site")")/docs"
  slot="$work/$(echo "$name" | tr '/' '_')"
  mkdir -p "$slot"
  cp -R "$site" "$slot/jekyll-src"
  prepare "$slot/jekyll-src"
  cp -R "$slot/jekyll-src" "$slot/galley-src"
  # A post Jekyll itself cannot render (a Liquid error on data the copy lacks) is left out of both copies, and said so.
  built=0
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    if (cd "$slot/jekyll-src" && jekyll build --quiet --safe --config _config.yml,_config.compare.yml -d "$slot/jekyll-out") >"$slot/jekyll.log" 2>&1; then built=1; break; fi
    failed="$(sed -E 's/\x1b\[[0-9;]*m//g' "$slot/jekyll.log" | grep -oE "in $slot/jekyll-src/_posts/[^ ]+" | head -n 1 | sed -E "s|^in $slot/jekyll-src/||" || true)"
    [ -n "$failed" ] || break
    reason="$(sed -E 's/\x1b\[[0-9;]*m//g' "$slot/jekyll.log" | grep -m1 -oE 'Liquid ?[A-Za-z]*( error| Exception)[^/]*' | sed -E 's/ in $//' || echo 'Jekyll error')"
    say "$name: Jekyll cannot render $failed ($reason); left out of both copies"
    rm -f "$slot/jekyll-src/$failed" "$slot/galley-src/$failed"
  done
  if [ "$built" != 1 ]; then
    say "$name: Jekyll failed (its first error below); skipped"
    sed -E 's/\x1b\[[0-9;]*m//g' "$slot/jekyll.log" | grep -v '^[[:space:]]*from ' | head -n 3 >&2
    status=1
    continue
  fi
  if ! node "$repo/dist/cli.js" build --source "$slot/galley-src" --out "$slot/galley-out" --no-cache >"$slot/galley.log" 2>&1; then
    say "$name: Galley failed (first errors below); skipped"
    grep ': error: ' "$slot/galley.log" | head -n 5 >&2 || true
    status=1
    continue
  fi
  # The site's baseurl, for the one normalisation that needs it (see compare-with-jekyll.mjs).
  baseurl="$( (grep -E '^baseurl:' "$slot/jekyll-src/_config.yml" || true) | head -n 1 | sed -E 's/^baseurl:[[:space:]]*//; s/[[:space:]]+#.*$//; s/^["'"'"']//; s/["'"'"'][[:space:]]*$//')"
  (cd "$repo" && node scripts/compare-with-jekyll.mjs "$name" "$slot/jekyll-out" "$slot/galley-out" "--baseurl=$baseurl" "${flags[@]}")
done
exit $status
