// swift-tools-version:6.1
// Benchmarks live in their own package so the root build never compiles them.
//   swift package benchmark                          (in-process, ordo-one/benchmark; thresholds in Thresholds/)
//   swift run -c release --package-path Benchmarks QueryBench|CheckBench   (the tools scripts/bench drives)
import Foundation
import PackageDescription

// A path dependency's identity is its directory name, which differs between checkouts and worktrees.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        // The benchmark harness of the Swift server ecosystem (swift-nio uses it): statistics, malloc counts and
        // checked-in thresholds. Only the malloc interposer trait: the runtime interposer is not needed here.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                "BenchSupport",
                .product(name: "Engine", package: rootIdentity),
                .product(name: "ConfigModel", package: rootIdentity),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "CheckBench",
            dependencies: [
                "BenchSupport",
                .product(name: "Engine", package: rootIdentity),
                .product(name: "ConfigModel", package: rootIdentity),
                .product(name: "Lint", package: rootIdentity),
            ]
        ),
        .executableTarget(
            name: "QueryBench",
            dependencies: ["BenchSupport", .product(name: "Engine", package: rootIdentity)]
        ),
    ]
)
