import Foundation
import TestSupport

/// One input both binaries check: `check config|rules FILE` or `check metrics < FILE`, identified as
/// `KIND:PATH` (PATH relative to `directory`, as both binaries are given it and print it).
struct DifferentialCase: Sendable {
    var kind: String
    var path: String
    var directory: String
    /// Extra arguments after `check KIND` (before the files).
    var flags: [String] = []
    /// Overrides the `KIND:PATH` id (PromQL and mutation cases).
    var name: String? = nil

    var id: String { name ?? "\(kind):\(path)" }

    var invocation: Invocation { Self.invocation(kind: kind, flags: flags, paths: [path], directory: directory) }

    static func invocation(kind: String, flags: [String], paths: [String], directory: String) -> Invocation {
        if kind == "metrics" {
            return Invocation(arguments: ["check", "metrics"] + flags, directory: directory,
                              stdin: directory + "/" + (paths.first ?? ""))
        }
        return Invocation(arguments: ["check", kind] + flags + paths, directory: directory, stdin: nil)
    }

    /// Every config, rule and metrics fixture of the corpus (upstream's and the real-world one).
    static func corpus() -> [DifferentialCase] {
        let root = SharedFiles.corpus
        func files(_ dir: String, recursive: Bool, _ keep: (String) -> Bool) -> [String] {
            let base = root + "/" + dir
            let names: [String]
            if recursive {
                names = (FileManager.default.enumerator(atPath: base)?.allObjects as? [String]) ?? []
            } else {
                names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
            }
            return names.filter(keep).map { dir + "/" + $0 }.sorted()
        }
        let yaml: (String) -> Bool = { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }
        var out: [DifferentialCase] = []
        func add(_ kind: String, _ paths: [String]) {
            out += paths.map { DifferentialCase(kind: kind, path: $0, directory: root) }
        }
        add("config", files("config", recursive: false, yaml))
        add("config", files("promtool", recursive: false) { name in
            yaml(name) && (name.contains("config") || name.hasPrefix("prometheus-") && !name.contains("rules")
                || name.hasPrefix("url_in_") || name.hasPrefix("authorization_"))
        })
        add("config", files("wild/configs", recursive: true, yaml))
        add("rules", files("rulefmt", recursive: false, yaml))
        add("rules", ["rules.yml", "rules-bad.yml", "prometheus-rules.lint.yml", "rules_duplicates.yml",
                      "rules_large.yml", "features.yml", "rules_extrafields.yml", "at-modifier.yml",
                      "negative-offset.yml", "bad-rules-error.yml", "bad-rules-syntax.yml"].map { "promtool/" + $0 })
        add("rules", files("wild/rules", recursive: true, yaml))
        add("rules", files("wild/manifests", recursive: true, yaml))
        add("metrics", ["promtool/metrics-test.prom"])
        add("metrics", files("openmetrics", recursive: true) { $0.hasSuffix("/metrics") })
        return out
    }
}

/// Runs cases with both binaries and explains every difference from the table.
struct DifferentialComparison {
    let pair: PromtoolPair
    let table: DropInDifferences

    struct Outcome {
        /// Differences no row explains, with the two outputs.
        var unexplained: [String] = []
        /// Line numbers of the rows that explained a difference.
        var used: Set<Int> = []
        var compared = 0
    }

    /// Compares `cases`, batching to spare process starts (one process per binary for up to `batch` files of
    /// the same kind, flags and folder):
    /// - cases no row expects to differ run together; a batch whose results differ is rerun file by file;
    /// - cases one row expects to differ (a family, such as every PrometheusRule manifest) run together too,
    ///   and the batch must differ as that row says.
    func compare(_ cases: [DifferentialCase], batch: Int = 40) -> Outcome {
        var groups: [(cases: [DifferentialCase], row: DropInDifferences.Row?)] = []
        var index: [String: Int] = [:]
        for c in cases {
            let row = table.row(matching: c.id)
            let folder = (c.path as NSString).deletingLastPathComponent
            let key = "\(c.kind)|\(c.flags)|\(c.directory)|\(folder)|\(row?.line ?? 0)"
            if c.kind != "metrics", let i = index[key], groups[i].cases.count < batch {
                groups[i].cases.append(c)
            } else {
                index[key] = groups.count
                groups.append(([c], row))
            }
        }
        let batchRuns = pair.run(groups.map { g in
            DifferentialCase.invocation(kind: g.cases[0].kind, flags: g.cases[0].flags, paths: g.cases.map(\.path),
                                        directory: g.cases[0].directory)
        })
        var outcome = Outcome(compared: cases.count)
        var single: [DifferentialCase] = []
        for (g, run) in zip(groups, batchRuns) where run.ours != run.reference {
            var r = run
            let used = normalise(g.cases, &r.reference)
            guard r.ours != r.reference else {
                outcome.used.formUnion(used)
                continue
            }
            guard let row = g.row else {
                single += g.cases
                continue
            }
            if row.kind == "exit" || r.ours.exit == r.reference.exit {
                outcome.used.insert(row.line)
            } else {
                outcome.unexplained.append(describe(g.cases.map(\.id).joined(separator: ", ") + " (row \(row.line) says output only)",
                                                    g.cases.count == 1 ? g.cases[0].invocation : nil, r))
            }
        }
        let singleRuns = pair.run(single.map(\.invocation))
        for (c, run) in zip(single, singleRuns) where run.ours != run.reference {
            var r = run
            outcome.used.formUnion(normalise([c], &r.reference))
            guard r.ours != r.reference else { continue }
            outcome.unexplained.append(describe(c.id, c.invocation, r))
        }
        return outcome
    }

    private func describe(_ what: String, _ invocation: Invocation?, _ r: (ours: RunResult, reference: RunResult)) -> String {
        let streams = r.ours.differences(from: r.reference)
        let args = invocation.map { " (\($0.arguments.joined(separator: " ")))" } ?? ""
        return """
            \(what)\(args): \(streams.joined(separator: ", ")) differ
              promtool-swift: exit \(r.ours.exit)
                stdout: \(r.ours.stdout.prefix(600).debugDescription)
                stderr: \(r.ours.stderr.prefix(600).debugDescription)
              promtool 2.42:  exit \(r.reference.exit)
                stdout: \(r.reference.stdout.prefix(600).debugDescription)
                stderr: \(r.reference.stderr.prefix(600).debugDescription)
            """
    }

    /// Applies the systematic differences the table lists (`all:NAME` rows) to 2.42's result of checking
    /// `cases` in one run; returns the lines of the rows that changed it.
    private func normalise(_ cases: [DifferentialCase], _ reference: inout RunResult) -> Set<Int> {
        var used: Set<Int> = []
        for (name, rewrite) in SystematicDifference.all {
            guard let row = table.rows.first(where: { $0.pattern == "all:" + name }) else { continue }
            let before = reference
            rewrite(cases, &reference)
            if before != reference { used.insert(row.line) }
        }
        return used
    }
}

/// Differences 3.14 makes in every output of a sort, named by an `all:NAME` row of the table: 2.42's output
/// is rewritten to 3.14's before comparing (only when that row is present).
enum SystematicDifference {
    static let all: [(String, @Sendable ([DifferentialCase], inout RunResult) -> Void)] = [
        ("no-blank-line-after-a-rule-file-that-fails-to-load", { cases, ref in
            // 2.42 prints an empty stdout line after the errors of a rule file that does not load; 3.14
            // moves on to the next file. A lint failure keeps its empty line in both, so outputs with one
            // are left alone.
            guard let kind = cases.first?.kind, kind == "rules" || kind == "config",
                  ref.stderr.contains("  FAILED:\n"), !ref.stderr.contains("duplicate rule(s) found") else { return }
            // A config that fails keeps its empty line in both; only its rule files' lines change.
            let configs = Set(cases.filter { $0.kind == "config" }.map { "Checking \($0.path)" })
            var lines = ref.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var i = 0
            while i + 1 < lines.count {
                // "Checking F" directly followed by an empty line: F printed nothing else, so it failed to load.
                if lines[i].hasPrefix("Checking "), !configs.contains(lines[i]), lines[i + 1].isEmpty, i + 2 < lines.count {
                    lines.remove(at: i + 1)
                }
                i += 1
            }
            ref.stdout = lines.joined(separator: "\n")
        }),
    ]
}
