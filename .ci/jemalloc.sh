#!/usr/bin/env bash
# Makes Debian's jemalloc (libjemalloc2) available, the allocator the launcher prefers: installs it when missing and
# we are root, else leaves the launcher on glibc's malloc and the allocator test to skip with its reason.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
compgen -G '/usr/lib/*/libjemalloc.so.2' >/dev/null || [ -f /usr/lib64/libjemalloc.so.2 ] \
  || apt_install libjemalloc2 libjemalloc2
