// swift-tools-version:6.0
// Fuzz targets for every parser that reads untrusted input. Its own package so the main build stays lean.
// Build and run one with libFuzzer + ASan:  scripts/fuzz.sh FuzzYAML 60 [seed-dir]
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which differs between checkouts.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "promtool-swift-fuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(
            name: "FuzzYAML",
            dependencies: ["FuzzSupport", .product(name: "ConfigModel", package: root)]
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzSupport", .product(name: "ConfigModel", package: root)]
        ),
        .executableTarget(
            name: "FuzzTargetGroups",
            dependencies: ["FuzzSupport", .product(name: "ConfigModel", package: root)]
        ),
        .executableTarget(
            name: "FuzzRuleFile",
            dependencies: ["FuzzSupport", .product(name: "ConfigModel", package: root), .product(name: "Engine", package: root)]
        ),
        .executableTarget(
            name: "FuzzPromQL",
            dependencies: ["FuzzSupport", .product(name: "Engine", package: root)]
        ),
        .executableTarget(
            name: "FuzzPromQLTest",
            dependencies: ["FuzzSupport", .product(name: "Engine", package: root)]
        ),
        .executableTarget(
            name: "FuzzPromQLEval",
            dependencies: ["FuzzSupport", .product(name: "Engine", package: root)]
        ),
        .executableTarget(
            name: "FuzzTemplate",
            dependencies: ["FuzzSupport", .product(name: "Engine", package: root)]
        ),
        .executableTarget(
            name: "FuzzExposition",
            dependencies: ["FuzzSupport", .product(name: "Engine", package: root)]
        ),
    ]
)
