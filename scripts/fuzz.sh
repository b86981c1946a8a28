#!/usr/bin/env bash
# Builds one fuzz target of Fuzz/ with libFuzzer and AddressSanitizer and runs it for N seconds.
# Usage: scripts/fuzz.sh TARGET [SECONDS=60] [SEED_DIR] [extra libFuzzer flags...]
# (lld, because gold fails on the sanitized Swift objects.)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?target, e.g. FuzzYAML}
seconds=${2:-60}
seeds=${3:-}
shift $(( $# < 3 ? $# : 3 ))
swift build --package-path Fuzz --scratch-path .build-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld --product "$target"
corpus=".build-fuzz/corpus-$target"
artifacts=".build-fuzz/artifacts-$target/"
mkdir -p "$corpus" "$artifacts"
# Swift's own backtracer fights ASan over the crash; ASan's report is the one we want.
export SWIFT_BACKTRACE=enable=no
exec ".build-fuzz/debug/$target" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=4096 -artifact_prefix="$artifacts" "$@" "$corpus" ${seeds:+"$seeds"}
