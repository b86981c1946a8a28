import ConfigModel
import DemoTargets
import Engine
import Foundation
import Lint
import ScrapeHTTP
import Synchronization
import TestSupport

/// Makes scratch directory names unique within the process (parameterised tests run at once).
private let scratchCounter = Atomic<Int>(0)

/// A scratch directory with the files a probe test writes (configs, rule files), removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init(_ name: String) throws {
        let n = scratchCounter.add(1, ordering: .relaxed).newValue
        path = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(name)-\(getpid())-\(n)").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` to `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The fetcher the CLI uses: real HTTP through AsyncHTTPClient.
let httpFetcher: ConfigProbe.FetcherFactory = { @Sendable job throws(ScrapeFetchError) -> any ScrapeFetcher in
    try TransportScrapeFetcher(job: job)
}

/// Probes `config` (YAML text written to a scratch directory) through real HTTP.
func probe(_ config: String, in dir: ScratchDirectory, options: ProbeOptions = ProbeOptions()) async throws -> (ConfigProbe.Result, String) {
    let path = try dir.write("prometheus.yml", config)
    return (await ConfigProbe.run(configPath: path, options: options, fetcher: httpFetcher), path)
}

/// A config with one job `name` scraping `targets` on `path`, with `extra` lines under the job.
func oneJobConfig(_ name: String = "probe", targets: [String], path: String = "/metrics", extra: String = "", ruleFiles: [String] = []) -> String {
    let rules = ruleFiles.isEmpty ? "" : "rule_files:\n" + ruleFiles.map { "  - '\($0)'\n" }.joined()
    return """
    \(rules)scrape_configs:
      - job_name: '\(name)'
        metrics_path: '\(path)'
        static_configs:
          - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]
    \(extra)
    """
}

/// A server answering every path with `response`.
func server(_ response: DemoResponse) async throws -> DemoHTTPServer {
    try await DemoHTTPServer(port: 0) { _ in response }
}

/// The 1-based line of the first line of `text` containing `needle`, and the column where it starts.
func position(of needle: String, in text: String) -> SourcePosition? {
    for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if let r = line.range(of: needle) {
            return SourcePosition(line: i + 1, column: line.distance(from: line.startIndex, to: r.lowerBound) + 1)
        }
    }
    return nil
}

extension ConfigProbe.Result {
    func findings(_ check: CheckID) -> [Diagnostic] { diagnostics.filter { $0.check == check } }
}
