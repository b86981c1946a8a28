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
        // The seed's scrape targets on 127.0.0.1 for README, tests and benchmarks; not part of the CLI.
        .executable(name: "promtool-swift-demo", targets: ["promtool-swift-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP transport (query, check healthy/ready, later scraping): HTTP/1.1 + 2, TLS, gzip on SwiftNIO.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        // Already in the graph through async-http-client; HTTPTransport's own NIO path (a plain request to a
        // proxy in absolute form, `server_name` TLS) decompresses gzip with its NIOHTTPCompression.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.20.0"),
        // The demo targets' metrics come from a real client library, as the seed's app would use.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The runtime of the protobuf exposition format (`scrape_protocols: [PrometheusProto]`, the only way
        // a scrape yields native histograms): the io.prometheus.client messages are generated from
        // scripts/proto/metrics.proto once and committed (no build plugin); decoding, wire-format checks,
        // UTF-8 validation and recursion limits are the library's, not a hand-written varint walker.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The WAL's record compression (Prometheus writes snappy by default, zstd optionally): the distributions'
        // C libraries, never hand-written decompressors.
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
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
        .target(
            name: "Engine",
            dependencies: [
                "ConfigModel", "Regexp", "GoCompat", "Locking", "CSnappy", "CZstd",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]
        ),
        .target(name: "Lint", dependencies: ["Engine", "ConfigModel", "Regexp", "GoCompat", "Locking"]),
        .target(
            name: "HTTPTransport",
            dependencies: [
                "ConfigModel", "GoCompat", "Locking",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
            ]
        ),
        .target(name: "Query", dependencies: ["Engine", "ConfigModel", "GoCompat", "HTTPTransport", "Locking"]),
        // The scraper's HTTP side: Engine/Scrape's fetcher protocol on HTTPTransport (Engine itself stays HTTP-free).
        .target(
            name: "ScrapeHTTP",
            dependencies: ["Engine", "ConfigModel", "HTTPTransport", .product(name: "NIOHTTP1", package: "swift-nio")]
        ),
        // The demo's servers (SSE app instances, NGINX stub_status, a redis exporter) as a library, so tests
        // start them in-process; HTTP on SwiftNIO (already a dependency), metrics from swift-prometheus.
        .target(
            name: "DemoTargets",
            dependencies: [
                "Locking",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "promtool-swift-demo",
            dependencies: ["DemoTargets", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "promtool-swift",
            dependencies: ["Lint", "Engine", "ConfigModel", "GoCompat", "Query", "HTTPTransport", "ScrapeHTTP", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // Linked as promtool itself is on Linux: a non-PIE executable with its runtime inside. The Swift
            // runtime and Foundation (which swift-protobuf and AsyncHTTPClient import) come from the toolchain's
            // static archives, so the binary runs on a machine without the Swift toolchain, and start-up
            // neither relocates a dozen shared libraries nor runs Foundation's loader work: `--version`
            // peaks at 12 MiB instead of 20 MiB. Not exporting the executable's symbols keeps the dynamic
            // loader off a 7 MB symbol table. Foundation's static archives do not name `_FoundationICU` and
            // its siblings in their autolink entries, hence the explicit group. Release only: SwiftPM links an
            // executable target's settings into the test bundle too, and XCTest/Testing have no static archives.
            linkerSettings: [
                .unsafeFlags([
                    "-static-stdlib",
                    "-Xlinker", "-no-pie",
                    "-Xlinker", "--no-export-dynamic",
                    "-Xlinker", "--start-group",
                    "-lFoundation", "-lCoreFoundation", "-l_FoundationICU", "-lFoundationInternationalization",
                    "-lFoundationEssentials", "-l_FoundationCShims", "-l_FoundationCollections",
                    "-lswiftDispatch", "-ldispatch", "-lBlocksRuntime",
                    "-Xlinker", "--end-group",
                ], .when(platforms: [.linux], configuration: .release))
            ]
        ),
        // Shared by the test targets: where ../shared is (and what to do when it is not), the seeded RNG,
        // the invalid-PromQL table, the TLS files and the NIO HTTP test server.
        .target(
            name: "TestSupport",
            dependencies: [
                "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/TestSupport", exclude: ["TLS"]
        ),
        .testTarget(name: "RegexpTests", dependencies: ["Regexp"]),
        .testTarget(name: "GoCompatTests", dependencies: ["GoCompat"]),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "ConfigModelTests", dependencies: ["ConfigModel", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport", "Locking", "CSnappy", "CZstd"], exclude: ["PromQLTest/known-failures.txt"]),
        .testTarget(name: "LintTests", dependencies: ["Lint", "TestSupport"]),
        .testTarget(
            name: "ScrapeTests",
            dependencies: [
                "ScrapeHTTP", "HTTPTransport", "Engine", "ConfigModel", "GoCompat", "TestSupport", "Locking",
                // Encodes the protobuf expositions the tests serve (with Engine's generated messages).
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ProbeTests", dependencies: ["Lint", "ScrapeHTTP", "DemoTargets", "Engine", "ConfigModel", "TestSupport"]),
        .testTarget(
            name: "QueryTests",
            dependencies: [
                "Query", "HTTPTransport", "Engine", "ConfigModel", "GoCompat", "TestSupport", "Locking",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
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
