#!/usr/bin/env bash
# Debian's nginx for the tests that run deploy/nginx.conf in front of two daphne
# processes (tests/realtime: test_processes.py, test_faults.py). The tests start
# their own nginx with a generated configuration on a free loopback port; the
# package's own service is not used.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  echo "nginx present: $(/usr/sbin/nginx -v 2>&1)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq nginx
# The package's own service, if it started, is not needed: stop it.
$SUDO systemctl disable --now nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
echo "nginx installed: $(/usr/sbin/nginx -v 2>&1)"
