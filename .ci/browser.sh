#!/usr/bin/env bash
# What the browser tests need on the machine: Debian's Chromium (never a browser
# downloaded by Playwright), Thai fonts so Thai pages render, poppler-utils for
# pdftoppm (a picture of the first PDF page), and axe-core from npm.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
fc-list :lang=th 2>/dev/null | grep -q . || need_apt+=(fonts-thai-tlwg)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "== npm ci (axe-core)"
  if command -v npm >/dev/null 2>&1; then
    npm ci --no-audit --no-fund --ignore-scripts || npm install --no-audit --no-fund --ignore-scripts
  else
    echo "npm is missing: apt-get install npm" >&2
    exit 1
  fi
fi
echo "browser tools ready: $(/usr/bin/chromium --version 2>/dev/null | head -1)"
