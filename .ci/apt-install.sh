#!/usr/bin/env bash
# Sourced by the .ci scripts: apt_install WHAT PACKAGE... installs Debian packages when we are root (CI machines are
# fresh) and returns 1, saying why on stderr, where that cannot be done. Output goes to stderr only.
apt_install() {
  local what="$1"; shift
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$(basename "$0"): installing Debian's $what" >&2
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
  else
    echo "$(basename "$0"): $what is not installed and cannot be installed here (not root or no apt-get)" >&2
    return 1
  fi
}
