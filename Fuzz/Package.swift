// swift-tools-version:6.0
// Fuzz targets for every parser that reads untrusted input. Its own package so the main build stays lean.
// Build and run one with libFuzzer + ASan:  scripts/fuzz.sh FuzzYAML 60 [seed-dir]
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between checkouts.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

/// A libFuzzer target: one executable per parser, each on the shared harness and the modules it fuzzes.
func fuzzTarget(_ name: String, _ modules: String...) -> Target {
    .executableTarget(name: name, dependencies: ["FuzzSupport"] + modules.map { .product(name: $0, package: root) })
}

let package = Package(
    name: "promtool-swift-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        fuzzTarget("FuzzYAML", "ConfigModel"),
        fuzzTarget("FuzzConfig", "ConfigModel"),
        fuzzTarget("FuzzTargetGroups", "ConfigModel"),
        fuzzTarget("FuzzRuleFile", "ConfigModel", "Engine"),
        fuzzTarget("FuzzPromQL", "Engine"),
        fuzzTarget("FuzzPromQLTest", "Engine"),
        fuzzTarget("FuzzRulesTest", "ConfigModel", "Engine"),
        fuzzTarget("FuzzPromQLEval", "Engine"),
        fuzzTarget("FuzzTemplate", "Engine"),
        fuzzTarget("FuzzExposition", "Engine"),
        fuzzTarget("FuzzLint", "ConfigModel", "Lint"),
        fuzzTarget("FuzzAPIResponse", "Query"),
        fuzzTarget("FuzzProtobufExposition", "Engine"),
        fuzzTarget("FuzzWAL", "Engine"),
        fuzzTarget("FuzzTSDBIndex", "Engine"),
        fuzzTarget("FuzzTSDBChunk", "Engine"),
        fuzzTarget("FuzzBenchSeries", "Engine"),
    ]
)
