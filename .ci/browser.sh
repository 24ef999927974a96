#!/usr/bin/env bash
# What the browser tests need on the machine: Debian's Chromium (never a browser
# downloaded by Playwright), Thai fonts so Thai pages render, poppler-utils for
# pdftoppm (a picture of the first PDF page), and axe-core from npm. Installs
# what is missing, or fails naming it (`make test` runs this first).
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
need_apt=()
[ -x "$CHROMIUM" ] || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
# Not `fc-list | grep -q`: under pipefail, grep leaving early kills fc-list
# with SIGPIPE, and the fonts would look missing about half the time.
thai_fonts="$(fc-list :lang=th family 2>/dev/null || true)"
[ -n "$thai_fonts" ] || need_apt+=(fonts-thai-tlwg)
if [ ${#need_apt[@]} -gt 0 ]; then
  debian_install "${need_apt[@]}"
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "missing: npm, for axe-core (the accessibility checks of the browser tests)" >&2
    echo "install with: sudo apt-get install --no-install-recommends npm" >&2
    exit 1
  fi
  echo "== npm ci (axe-core)"
  npm ci --no-audit --no-fund --ignore-scripts
  if [ ! -f node_modules/axe-core/axe.min.js ]; then
    echo "npm ci ran but node_modules/axe-core/axe.min.js is still missing" >&2
    exit 1
  fi
fi
echo "browser tools ready: $("$CHROMIUM" --version 2>/dev/null | head -1)"
