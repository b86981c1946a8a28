import Foundation
@testable import ConfigModel

/// Locations of the shared corpus, computed from this file's path (package root is four levels up).
enum Corpus {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let root = packageRoot.appendingPathComponent("../shared/corpus").standardized
    static let config = root.appendingPathComponent("config")
    static let promtool = root.appendingPathComponent("promtool")
    static let testdata = packageRoot.appendingPathComponent("testdata")

    static func files(in dir: URL, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// `EXPECTED-ERRORS.tsv`: file → expected message substring (`\"` unescaped; `\xff` kept as Go prints it).
    static let expectedErrors: [String: String] = {
        guard let text = try? String(contentsOf: config.appendingPathComponent("EXPECTED-ERRORS.tsv"), encoding: .utf8) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            // Upstream loads `testdata/NAME`; we load from the corpus folder.
            out[String(parts[0])] = String(parts[1]).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "parsing YAML file testdata/", with: "parsing YAML file \(config.path)/")
        }
        return out
    }()

    /// Loads `name` from the config corpus as `check config` does: the file, then its scrape config files.
    static func loadFully(_ path: String, agentMode: Bool = false) throws(ConfigError) -> PrometheusConfig {
        let cfg = try PrometheusConfig.load(path: path, agentMode: agentMode)
        _ = try cfg.allScrapeConfigs()
        return cfg
    }
}
