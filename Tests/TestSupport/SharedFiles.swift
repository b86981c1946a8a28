#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the test suites find what lives beside the package rather than in it: `../shared/corpus`
/// (Prometheus's and OpenMetrics's own test fixtures at the pinned release, plus a real-world corpus) and
/// `../shared/reference` (specifications and schemas).
///
/// A fresh clone has neither. Suites that need them are skipped with one notice naming what is missing and
/// where it goes; under `CI=true` they run (and fail) instead, so CI can never pass without them.
public enum SharedFiles {
    /// The package root, from this file's path (`<root>/Tests/TestSupport/SharedFiles.swift`).
    public static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// `<package>/../shared`, without `..` (some callers build URLs from it).
    public static let sharedRoot: String = {
        var parts = packageRoot.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()
        return parts.joined(separator: "/") + "/shared"
    }()

    public static let corpus = sharedRoot + "/corpus"
    public static let reference = sharedRoot + "/reference"
    /// `../shared/findings`: reproducers of where promtool-swift differed from Prometheus 3.14.
    public static let findings = sharedRoot + "/findings"

    /// True when `CI` is set to `true` (or `1`): missing shared files are then failures, not skips.
    public static var isCI: Bool {
        guard let v = getenv("CI") else { return false }
        let s = String(cString: v).lowercased()
        return s == "true" || s == "1"
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Whether suites needing `path` (default: the corpus) should run: it exists, or this is CI.
    public static func shouldRun(needing path: String = corpus) -> Bool { isCI || exists(path) }

    /// The notice for a missing `path`: what it is and where it goes.
    public static func notice(missing path: String) -> String {
        let what = path.hasPrefix(reference)
            ? "the reference files are missing: \(path) does not exist. reference/ holds the OpenMetrics " +
              "specification (openmetrics/OpenMetrics.md) and the SARIF 2.1.0 schema (sarif/sarif-schema-2.1.0.json)."
            : path.hasPrefix(findings)
            ? "the findings are missing: \(path) does not exist. findings/ holds reproducers of differences from " +
              "Prometheus 3.14 (mutdiff/diffs/*: input files and a README with both tools' outputs)."
            : "the test corpus is missing: \(path) does not exist. corpus/ holds Prometheus v3.14.0's test " +
              "fixtures (config/testdata, model/rulefmt/testdata, promql/promqltest/testdata, " +
              "cmd/promtool/testdata), OpenMetrics's tests and the real-world corpus wild/."
        return what + " Place ../shared beside the package (README, \"Test corpus\"). The tests needing it " +
            "are skipped; with CI=true they fail."
    }
}
