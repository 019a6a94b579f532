#!/usr/bin/env bash
# Makes Debian's chromium and chromium-driver available for the browser test (WebBrowserTest): installs them
# when missing and we are root (CI machines are fresh), else leaves it to the test to skip with its reason.
# Prints, on stdout only, the shell lines that export their paths; everything else goes to stderr.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install "chromium and chromium-driver" chromium chromium-driver fonts-dejavu-core
fi
printf 'export VQCLIP_TEST_CHROMIUM=%q\n' "$(command -v chromium)"
printf 'export VQCLIP_TEST_CHROMEDRIVER=%q\n' "$(command -v chromedriver)"
