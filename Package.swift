// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "promtool-swift",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "promtool-swift", targets: ["promtool-swift"]),
        .library(name: "ConfigModel", targets: ["ConfigModel"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Lint", targets: ["Lint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "CRE2",
            linkerSettings: [.linkedLibrary("re2"), .linkedLibrary("stdc++")]
        ),
        .target(name: "Regexp", dependencies: ["CRE2"]),
        // Go's strconv/fmt texts (quoting, number parsing and formatting, errno wording): one copy for all.
        .target(name: "GoCompat"),
        .target(name: "ConfigModel", dependencies: ["CLibYAML", "Regexp", "GoCompat"]),
        .target(name: "Engine", dependencies: ["ConfigModel", "Regexp", "GoCompat"]),
        .target(name: "Lint", dependencies: ["Engine", "ConfigModel", "Regexp", "GoCompat"]),
        .executableTarget(
            name: "promtool-swift",
            dependencies: ["Lint", "Engine", "ConfigModel", "GoCompat", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Shared by the test targets: where ../shared is (and what to do when it is not), the seeded RNG,
        // the invalid-PromQL table.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RegexpTests", dependencies: ["Regexp"]),
        .testTarget(name: "GoCompatTests", dependencies: ["GoCompat"]),
        .testTarget(name: "ConfigModelTests", dependencies: ["ConfigModel", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"], exclude: ["PromQLTest/known-failures.txt"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "TestSupport"]),
        // Runs the built promtool-swift binary and /usr/bin/promtool on the same inputs.
        .testTarget(name: "DifferentialTests", dependencies: ["TestSupport", "ConfigModel", "promtool-swift"],
                    exclude: ["drop-in-differences.tsv"]),
    ],
    cxxLanguageStandard: .cxx17
)
