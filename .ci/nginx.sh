#!/usr/bin/env bash
# Debian's nginx for the tests that run deploy/nginx.conf in front of daphne
# processes (tests/realtime: test_processes.py, test_faults.py;
# tests/security/test_proxy_addresses.py). The tests start their own nginx with
# a generated configuration on a free loopback port; the package's own service
# is not used.
set -euo pipefail
cd "$(dirname "$0")/.."
. .ci/lib.sh

if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  echo "nginx present: $(/usr/sbin/nginx -v 2>&1)"
  exit 0
fi
debian_install nginx
# The package's own service, if it started, is not needed: stop it.
if [ "$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo -n"; fi
$SUDO systemctl disable --now nginx >/dev/null 2>&1 || $SUDO service nginx stop >/dev/null 2>&1 || true
echo "nginx installed: $(/usr/sbin/nginx -v 2>&1)"
