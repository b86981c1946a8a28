#!/usr/bin/env bash
# Regenerates Sources/Engine/Exposition/Protobuf/metrics.pb.swift from scripts/proto/metrics.proto.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift built from swift-protobuf at the version
# Package.swift names (1.39.0), outside the repository:
#   git clone https://github.com/apple/swift-protobuf /tmp/sp && git -C /tmp/sp checkout 1.39.0
#   (cd /tmp/sp && swift build -c release --product protoc-gen-swift)
#   PROTOC_GEN_SWIFT=/tmp/sp/.build/release/protoc-gen-swift scripts/proto/generate.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
plugin="${PROTOC_GEN_SWIFT:?set PROTOC_GEN_SWIFT to the protoc-gen-swift binary}"
out=Sources/Engine/Exposition/Protobuf
mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath \
    --proto_path=scripts/proto --swift_out="$out" scripts/proto/metrics.proto
