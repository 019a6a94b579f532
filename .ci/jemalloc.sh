#!/usr/bin/env bash
# Makes Debian's jemalloc (libjemalloc2) available, the allocator the launcher prefers: installs it when missing and
# we are root, else leaves the launcher on glibc's malloc and the allocator test to skip with its reason. Output goes
# to stderr only.
set -euo pipefail
log() { echo "jemalloc.sh: $*" >&2; }
if ! ls /usr/lib/*/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's libjemalloc2"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends libjemalloc2 >&2
  else
    log "libjemalloc2 is not installed and cannot be installed here (not root or no apt-get)"
    exit 1
  fi
fi
