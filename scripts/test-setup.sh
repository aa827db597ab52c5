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
# - Hugo (Debian package hugo): test/bench-smoke.test.ts runs the build
#   benchmark (bench/run.mjs), whose rebuild anchors are Hugo's builds.
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

if command -v hugo >/dev/null 2>&1; then
  say "hugo found at $(command -v hugo)"
else
  say "hugo is missing; will install hugo"
  missing+=(hugo)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  say "nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "missing Debian packages (${missing[*]}) and apt-get is not available: install xmllint, chromium and hugo with your system's package manager" >&2
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
# apt-get's own output goes to a log, shown only when a step fails.
log=$(mktemp "${TMPDIR:-/tmp}/test-setup-apt.XXXXXX.log")
trap 'rm -f "$log"' EXIT
apt_get() {
  if "${sudo[@]}" apt-get "$@" >>"$log" 2>&1; then return 0; fi
  say "apt-get $1 failed; its output:" >&2
  cat "$log" >&2
  return 1
}
updated=no
update() {
  say "running apt-get update"
  apt_get update -qq
  updated=yes
}
install() {
  say "running apt-get install -y --no-install-recommends ${missing[*]}"
  apt_get install -y -qq --no-install-recommends "${missing[@]}" || return 1
  say "installed ${missing[*]} ($(grep -c '^Setting up ' "$log" || true) packages set up)"
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
command -v hugo >/dev/null 2>&1 || { say "hugo installed but not on PATH" >&2; exit 1; }
say "hugo: $(hugo version 2>/dev/null | head -n 1)"
