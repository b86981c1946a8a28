// swift-tools-version:6.0
// Benchmarks live in their own package so the root build never compiles them:
//   swift run -c release --package-path Benchmarks TSDBBench
import Foundation
import PackageDescription

// A path dependency's identity is its directory name, which differs between checkouts and worktrees.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "Benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .target(name: "BenchSupport"),
        .executableTarget(
            name: "TSDBBench",
            dependencies: ["BenchSupport", .product(name: "Engine", package: rootIdentity)]
        ),
        .executableTarget(
            name: "ParserBench",
            dependencies: [
                "BenchSupport",
                .product(name: "Engine", package: rootIdentity),
                .product(name: "ConfigModel", package: rootIdentity),
            ]
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
