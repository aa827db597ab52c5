#!/usr/bin/env bash
# Installs the system tools the test suite shells out to, when they are missing.
#
# Today that is:
# - xmllint (Debian package libxml2-utils): test/site/feeds.test.ts validates
#   the Atom feed against test/fixtures/atom/atom.rng with it, and the sitemap
#   test checks well-formedness.
# - Chromium (Debian package chromium, /usr/bin/chromium):
#   test/serve-browser.test.ts drives a real page through playwright-core
#   against `galley serve`. `npx playwright install` cannot be used (it
#   downloads a browser build), so the browser comes from Debian.
# The tests do not skip without them, so run this first (the project's
# pretest does).
#
# Idempotent: when every tool is already there it only says so. One
# `apt-get install` covers all missing packages; `apt-get update` runs only
# when apt does not know a package yet, or when an install from the current
# package lists fails (stale lists).
set -euo pipefail

say() { printf 'test-setup: %s\n' "$*"; }

# Chromium is looked for where the browser test launches it, then on PATH.
chromium_path() {
  if [ -x /usr/bin/chromium ]; then echo /usr/bin/chromium; return 0; fi
  command -v chromium 2>/dev/null
}

missing=()
if command -v xmllint >/dev/null 2>&1; then
  say "xmllint found at $(command -v xmllint)"
else
  say "xmllint is missing; will install libxml2-utils"
  missing+=(libxml2-utils)
fi
if path=$(chromium_path); then
  say "chromium found at $path"
else
  say "chromium is missing; will install chromium"
  missing+=(chromium)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  say "nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "missing Debian packages (${missing[*]}) and apt-get is not available: install xmllint and chromium with your system's package manager" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    say "missing Debian packages and this user is not root (no sudo): run 'apt-get install -y ${missing[*]}' as root" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
updated=no
update() {
  say "running apt-get update"
  "${sudo[@]}" apt-get update -qq
  updated=yes
}
install() {
  say "running apt-get install -y --no-install-recommends ${missing[*]}"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

for package in "${missing[@]}"; do
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    say "apt does not know $package yet (empty package lists)"
    update
    break
  fi
done
if ! install; then
  if [ "$updated" = yes ]; then exit 1; fi
  say "install failed; the package lists may be stale"
  update
  install
fi

command -v xmllint >/dev/null 2>&1 || { say "libxml2-utils installed but xmllint is still not on PATH" >&2; exit 1; }
say "xmllint: $(xmllint --version 2>&1 | head -n 1)"
path=$(chromium_path) || { say "chromium installed but neither /usr/bin/chromium nor chromium on PATH exists" >&2; exit 1; }
say "chromium: $("$path" --version 2>/dev/null || echo "$path")"
