#!/usr/bin/env bash
# Makes Debian's ffmpeg (with ffprobe and libx264) available for the MP4 timelapse tests: installs it when missing
# and we are root, else leaves it to the tests to skip with their reason. Output goes to stderr only.
set -euo pipefail
. "$(dirname "$0")/apt-install.sh"
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  apt_install ffmpeg ffmpeg
fi
