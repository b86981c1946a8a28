#!/usr/bin/env bash
# Runs the whole test suite under Thread Sanitizer, in its own scratch path (.build-tsan) so the normal
# debug build is left alone. Slow (a full sanitized build plus every test); run it before merging changes
# to shared state (caches, the TSDB head, parallel checks).
# Usage: scripts/tsan.sh [extra `swift test` arguments, e.g. --filter HeadTests]
# Exits non-zero when a test fails or TSan reports a data race.
set -euo pipefail
cd "$(dirname "$0")/.."
# TSan reports every race and then exits the test process with status 66, so the run fails. The suppressions
# cover TSan's blind spot for Synchronization.Mutex on Linux (see the file). Swift's backtracer keeps out of the way.
export TSAN_OPTIONS="suppressions=$PWD/scripts/tsan-suppressions.txt ${TSAN_OPTIONS:-}"
export SWIFT_BACKTRACE=enable=no
exec swift test --sanitize=thread --scratch-path .build-tsan --disable-xctest "$@"
