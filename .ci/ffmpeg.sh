#!/usr/bin/env bash
# Makes Debian's ffmpeg (with ffprobe and libx264) available for the MP4 timelapse tests: installs it when missing
# and we are root, else leaves it to the tests to skip with their reason. Output goes to stderr only.
set -euo pipefail
log() { echo "ffmpeg.sh: $*" >&2; }
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing Debian's ffmpeg"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 || true
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends ffmpeg >&2
  else
    log "ffmpeg is not installed and cannot be installed here (not root or no apt-get)"
    exit 1
  fi
fi
