#!/usr/bin/env bash
# Makes Debian's chromium and chromium-driver available for the browser test (WebBrowserTest): installs them
# when missing and we are root (CI machines are fresh), else leaves it to the test to skip with its reason.
# Prints, on stdout only, the shell lines that export their paths; everything else goes to stderr.
set -euo pipefail
log() { echo "chromium.sh: $*" >&2; }
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2
  else
    log "chromium/chromium-driver are not installed and cannot be installed here (not root or no apt-get)"
    exit 1
  fi
fi
printf 'export VQCLIP_TEST_CHROMIUM=%q\n' "$(command -v chromium)"
printf 'export VQCLIP_TEST_CHROMEDRIVER=%q\n' "$(command -v chromedriver)"
