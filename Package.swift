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
        .library(name: "Query", targets: ["Query"]),
        .library(name: "HTTPTransport", targets: ["HTTPTransport"]),
        .library(name: "ScrapeHTTP", targets: ["ScrapeHTTP"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP transport (query, check healthy/ready, later scraping): HTTP/1.1 + 2, TLS, gzip on SwiftNIO.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
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
        // Thread Sanitizer's annotation hooks (weak symbols) and the Mutex wrapper that uses them, so TSan sees our locks.
        .target(name: "CTSanHooks"),
        .target(name: "Locking", dependencies: ["CTSanHooks"]),
        .target(name: "Regexp", dependencies: ["CRE2", "Locking"]),
        // Go's strconv/fmt texts (quoting, number parsing and formatting, errno wording): one copy for all.
        .target(name: "GoCompat"),
        .target(name: "ConfigModel", dependencies: ["CLibYAML", "Regexp", "GoCompat", "Locking"]),
        .target(name: "Engine", dependencies: ["ConfigModel", "Regexp", "GoCompat", "Locking"]),
        .target(name: "Lint", dependencies: ["Engine", "ConfigModel", "Regexp", "GoCompat", "Locking"]),
        .target(
            name: "HTTPTransport",
            dependencies: [
                "ConfigModel", "GoCompat",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "Query", dependencies: ["Engine", "ConfigModel", "GoCompat", "HTTPTransport"]),
        // The scraper's HTTP side: Engine/Scrape's fetcher protocol on HTTPTransport (Engine itself stays HTTP-free).
        .target(
            name: "ScrapeHTTP",
            dependencies: ["Engine", "ConfigModel", "HTTPTransport", .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        .executableTarget(
            name: "promtool-swift",
            dependencies: ["Lint", "Engine", "ConfigModel", "GoCompat", "Query", "HTTPTransport", "ScrapeHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Shared by the test targets: where ../shared is (and what to do when it is not), the seeded RNG,
        // the invalid-PromQL table.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "RegexpTests", dependencies: ["Regexp"]),
        .testTarget(name: "GoCompatTests", dependencies: ["GoCompat"]),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "ConfigModelTests", dependencies: ["ConfigModel", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport", "Locking"], exclude: ["PromQLTest/known-failures.txt"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "TestSupport"]),
        .testTarget(
            name: "ScrapeTests",
            dependencies: [
                "ScrapeHTTP", "Engine", "ConfigModel", "GoCompat", "TestSupport", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "QueryTests",
            dependencies: [
                "Query", "HTTPTransport", "Engine", "ConfigModel", "GoCompat", "TestSupport", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Runs the built promtool-swift binary and /usr/bin/promtool on the same inputs.
        .testTarget(name: "DifferentialTests", dependencies: ["TestSupport", "ConfigModel", "GoCompat", "Locking", "promtool-swift"],
                    exclude: ["drop-in-differences.tsv"]),
    ],
    cxxLanguageStandard: .cxx17
)
