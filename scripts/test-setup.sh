#!/usr/bin/env bash
# Installs the system tools the test suite shells out to, when they are missing.
#
# Today that is xmllint (Debian package libxml2-utils): test/site/feeds.test.ts
# validates the Atom feed against test/fixtures/atom/atom.rng with it, and the
# sitemap test checks well-formedness. The tests do not skip without it, so
# run this first (the project's pretest does).
#
# Idempotent: when xmllint is already on PATH it only says so. `apt-get update`
# runs only when apt does not know the package yet, or when an install from the
# current package lists fails (stale lists).
set -euo pipefail

say() { printf 'test-setup: %s\n' "$*"; }

if command -v xmllint >/dev/null 2>&1; then
  say "xmllint found at $(command -v xmllint); nothing to do"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  say "xmllint is missing and apt-get is not available: install libxml2 (xmllint) with your system's package manager" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    say "xmllint is missing and this user is not root (no sudo): run 'apt-get install -y libxml2-utils' as root" >&2
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
  say "running apt-get install -y --no-install-recommends libxml2-utils"
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends libxml2-utils
}

say "xmllint is missing; installing libxml2-utils"
if ! apt-cache show libxml2-utils >/dev/null 2>&1; then
  say "apt does not know libxml2-utils yet (empty package lists)"
  update
fi
if ! install; then
  if [ "$updated" = yes ]; then exit 1; fi
  say "install failed; the package lists may be stale"
  update
  install
fi

command -v xmllint >/dev/null 2>&1 || { say "libxml2-utils installed but xmllint is still not on PATH" >&2; exit 1; }
say "installed $(xmllint --version 2>&1 | head -n 1)"
