# Shared by .ci/browser.sh and .ci/nginx.sh (sourced, not run).

# debian_install PACKAGE...: install Debian packages, without the recommended
# extras, as root or through passwordless sudo; otherwise fail and say exactly
# what is missing and how to install it. Never prompts.
debian_install() {
  local sudo=()
  if [ "$(id -u)" != "0" ]; then
    if sudo -n true 2>/dev/null; then
      sudo=(sudo -n)
    else
      echo "missing: $*" >&2
      echo "install with: sudo apt-get install --no-install-recommends $*" >&2
      exit 1
    fi
  fi
  echo "== apt-get install --no-install-recommends $*"
  "${sudo[@]}" apt-get update -qq
  if ! DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
      --no-install-recommends "$@" >/dev/null; then
    echo "could not install: $* (apt-get install failed)" >&2
    exit 1
  fi
}
