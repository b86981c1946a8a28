#!/usr/bin/env bash
# Runs the whole test suite under Thread Sanitizer, in its own scratch path (.build-tsan) so the normal
# debug build is left alone. Slow (a full sanitized build plus every test); run it before merging changes
# to shared state (caches, the TSDB head, parallel checks).
# Usage: scripts/tsan.sh [extra `swift test` arguments, e.g. --filter HeadTests]
# Exits non-zero when a test fails or TSan reports a data race.
set -euo pipefail
cd "$(dirname "$0")/.."
# TSan reports every race and then exits the test process with status 66, so the run fails. No suppressions: every
# lock in the project is a Locking.SanitizedMutex, which announces itself to TSan (Synchronization.Mutex alone locks
# with futexes TSan cannot see). Swift's backtracer keeps out of the way.
export SWIFT_BACKTRACE=enable=no
exec swift test --sanitize=thread --scratch-path .build-tsan --disable-xctest "$@"
