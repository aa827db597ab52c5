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

# Quiet by design: one line when everything is there, three when it installs
# (what, then the result); apt's own output only when a step fails.
missing=()
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
chromium_path >/dev/null || missing+=(chromium)
command -v hugo >/dev/null 2>&1 || missing+=(hugo)

if [ "${#missing[@]}" -eq 0 ]; then
  say "xmllint, chromium and hugo found; nothing to install"
  exit 0
fi
say "missing Debian packages: ${missing[*]}"

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
  apt_get update -qq
  updated=yes
}
install() {
  apt_get install -y -qq --no-install-recommends "${missing[@]}" || return 1
  say "installed ${missing[*]} ($(grep -c '^Setting up ' "$log" || true) packages set up)"
}

for package in "${missing[@]}"; do
  if ! apt-cache show "$package" >/dev/null 2>&1; then
    update
    break
  fi
done
if ! install; then
  if [ "$updated" = yes ]; then exit 1; fi
  # The package lists may be stale: refresh them once and try again.
  : >"$log"
  update
  install
fi

command -v xmllint >/dev/null 2>&1 || { say "libxml2-utils installed but xmllint is still not on PATH" >&2; exit 1; }
chromium_path >/dev/null || { say "chromium installed but neither /usr/bin/chromium nor chromium on PATH exists" >&2; exit 1; }
command -v hugo >/dev/null 2>&1 || { say "hugo installed but not on PATH" >&2; exit 1; }
