#!/usr/bin/env bash
# The test command: provides a throwaway PostgreSQL on loopback for the store tests (installing Debian's
# postgresql when missing and we are root), Chromium for the web browser test and ffmpeg for the MP4 timelapse
# tests, then runs the whole Maven test suite. Without PostgreSQL the
# PostgreSQL tests are skipped with a visible reason; everything else still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VQCLIP_TEST_PG_URL:-}" ] && [ -f .ci/postgres.sh ]; then
  if pg_env="$(bash .ci/postgres.sh)"; then
    eval "$pg_env"
    trap 'eval "$VQCLIP_TEST_PG_DROP" >/dev/null 2>&1 || true' EXIT
  else
    echo "scripts/test.sh: PostgreSQL could not be started; PostgreSQL tests will be skipped" >&2
  fi
fi
export VQCLIP_TEST_PG_URL="${VQCLIP_TEST_PG_URL:-}"
# Debian's chromium + chromium-driver for the web browser test (installed when missing and we are root)
if [ -z "${VQCLIP_TEST_CHROMEDRIVER:-}" ] && [ -f .ci/chromium.sh ]; then
  if chromium_env="$(bash .ci/chromium.sh)"; then
    eval "$chromium_env"
  else
    echo "scripts/test.sh: chromium could not be installed; the browser test will be skipped" >&2
  fi
fi
# Debian's ffmpeg for the MP4 timelapse tests (installed when missing and we are root; found on PATH by the tests)
if [ -f .ci/ffmpeg.sh ] && ! bash .ci/ffmpeg.sh; then
  echo "scripts/test.sh: ffmpeg could not be installed; the MP4 timelapse tests will be skipped" >&2
fi
# Debian's jemalloc, the allocator the launcher prefers (installed when missing and we are root)
if [ -f .ci/jemalloc.sh ] && ! bash .ci/jemalloc.sh; then
  echo "scripts/test.sh: libjemalloc2 could not be installed; the launcher tests run on glibc's malloc" >&2
fi
status=0
mvn -B test "$@" || status=$?
# one visible line when PostgreSQL tests did not run (each skipped test names VQCLIP_TEST_PG_URL as its reason)
skipped="$(cat target/surefire-reports/TEST-*.xml 2>/dev/null | grep -o '<skipped message="[^"]*PostgreSQL tests need' | wc -l || true)"
if [ "${skipped:-0}" -gt 0 ]; then
  echo "scripts/test.sh: ${skipped} PostgreSQL test(s) SKIPPED (no PostgreSQL server; set VQCLIP_TEST_PG_URL)" >&2
fi
exit "$status"
