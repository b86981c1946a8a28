import GoCompat
import ConfigModel
import Foundation
import Testing
import TestSupport

/// promtool-swift against the real promtool (`/usr/bin/promtool`, 2.42) on the same inputs: stdout, stderr
/// and exit code must be equal (our `  at FILE:LINE:COL` lines aside), except where a row of
/// `drop-in-differences.tsv` says why 3.14 (which we follow) differs from 2.42.
///
/// Without promtool or the corpus the suite is skipped with a notice; under `CI=true` it fails instead.
@Suite(.serialized, .enabled(if: Differential.shouldRun, Comment(rawValue: Differential.skipNotice)))
struct DifferentialTests {
    @Test func prerequisitesArePresent() throws {
        // Under CI=true a missing promtool or corpus is a failure, not a skip.
        if let problem = Differential.problem { Issue.record(Comment(rawValue: problem)) }
    }

    @Test func theTableIsWellFormedAndPrintedInTheReadme() throws {
        let table = DropInDifferences.load()
        #expect(table.problems.isEmpty, Comment(rawValue: table.problems.joined(separator: "\n")))
        #expect(!table.rows.isEmpty)
        // README prints the table right after this header line, row for row.
        let readme = try String(contentsOfFile: SharedFiles.packageRoot + "/README.md", encoding: .utf8)
        let header = "| case | kind | reason | upstream change |\n| --- | --- | --- | --- |\n"
        let start = try #require(readme.firstRange(of: header), "README lacks the drop-in differences table")
        let printed = readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
            .prefix { $0.hasPrefix("|") }.map(String.init)
        let expected = table.rows.map { "| `\($0.pattern)` | \($0.kind) | \($0.reason) | \($0.upstream) |" }
        #expect(printed == expected, "README's table differs from drop-in-differences.tsv")
    }

    @Test func corpusFixtures() throws {
        let pair = try #require(Differential.pair, Comment(rawValue: Differential.problem ?? ""))
        let cases = DifferentialCase.corpus()
        #expect(cases.count > 900, "the corpus has \(cases.count) config, rule and metrics fixtures")
        Differential.check(DifferentialComparison(pair: pair, table: Differential.table).compare(cases),
                           rowPrefixes: ["config:", "rules:", "metrics:", "all:"])
    }

    /// The invalid-PromQL table (rows checked against promtool 2.42: `oracle: true`) as rule expressions;
    /// the rows that follow 3.x (`oracle: false`) are compared too and must differ as the table row says.
    @Test func invalidPromQL() throws {
        let pair = try #require(Differential.pair, Comment(rawValue: Differential.problem ?? ""))
        let dir = try Differential.scratch("promql")
        var cases: [DifferentialCase] = []
        for (i, c) in promQLErrorCases.enumerated() where !c.allFeatures {
            let file = "expr-\(i).yml"
            // Go's quoting is a valid YAML double-quoted scalar (the same escapes).
            let yaml = "groups:\n- name: g\n  rules:\n  - record: r\n    expr: \(goQuote(c.expr))\n"
            try yaml.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
            cases.append(DifferentialCase(kind: "rules", path: file, directory: dir,
                                          name: (c.oracle ? "promql:" : "promql-3x:") + c.expr))
        }
        #expect(cases.count > 200)
        Differential.check(DifferentialComparison(pair: pair, table: Differential.table).compare(cases),
                           rowPrefixes: ["promql:", "promql-3x:"])
    }

    /// Seeded mutations of valid configs and rule files.
    @Test func mutations() throws {
        let pair = try #require(Differential.pair, Comment(rawValue: Differential.problem ?? ""))
        let dir = try Differential.scratch("mutations")
        let configs = [SharedFiles.packageRoot + "/testdata/prometheus.yml",
                       SharedFiles.corpus + "/wild/configs/dockprom/prometheus/prometheus.yml",
                       SharedFiles.corpus + "/wild/configs/prometheus-examples/prometheus.yml",
                       SharedFiles.corpus + "/promtool/prometheus-config.good.yml"]
        let rules = [SharedFiles.packageRoot + "/testdata/alerts/sse_alerts.yml",
                     SharedFiles.corpus + "/promtool/rules.yml",
                     SharedFiles.corpus + "/wild/rules/node-mixin/node_alerts.yaml",
                     SharedFiles.corpus + "/wild/rules/awesome-prometheus-alerts/redis/oliver006-redis-exporter.yml"]
        var rng = TestRNG(seed: 12)
        var cases: [DifferentialCase] = []
        for (kind, bases) in [("config", configs), ("rules", rules)] {
            for base in bases {
                let text = try String(contentsOfFile: base, encoding: .utf8)
                let short = base.split(separator: "/").suffix(2).joined(separator: "/")
                for mutation in Mutation.allCases where kind == "rules" || mutation != .duplicateGroup {
                    for variant in 0..<4 {
                        guard let mutated = mutation.apply(to: text, pick: { Int(rng.next() % UInt64($0)) }) else { continue }
                        let file = "m\(cases.count).yml"
                        try mutated.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8)
                        cases.append(DifferentialCase(kind: kind, path: file, directory: dir,
                                                      name: "mutation:\(kind):\(short)#\(mutation.rawValue)#\(variant)"))
                    }
                }
            }
        }
        #expect(cases.count > 100)
        Differential.check(DifferentialComparison(pair: pair, table: Differential.table).compare(cases),
                           rowPrefixes: ["mutation:"])
    }

    /// promtool's command line: usage errors, lint flags, exit codes.
    @Test func commandLine() throws {
        let pair = try #require(Differential.pair, Comment(rawValue: Differential.problem ?? ""))
        let lint = "promtool/prometheus-config.lint.yml"
        let rulesLint = "promtool/prometheus-rules.lint.yml"
        let argumentLists: [[String]] = [
            ["--x"], ["-x"], ["foo"], ["check"], ["test"], ["check", "foo"], ["check", "--x"],
            ["check", "config"], ["check", "web-config"], ["check", "config", "--x", lint],
            ["check", "config", "-q", lint], ["check", "rules", "--lint"], ["check", "config", "--lint"],
            ["check", "metrics", "extra"], ["--enable-feature"], ["check", "config", "missing.yml"],
            ["check", "rules", "missing.yml"], ["check", "web-config", "missing.yml"], ["check", "config", "promtool"],
            ["check", "config", lint], ["check", "config", "--lint-fatal", lint],
            ["check", "config", "--lint=all", "--lint-fatal", lint], ["check", "config", "--lint=none", "--lint-fatal", lint],
            ["check", "config", "--lint=bogus", lint],
            ["check", "config", "--lint=too-long-scrape-interval", "promtool/prometheus-config.lint.too_long_scrape_interval.yml"],
            ["check", "config", "--lint=all", "--lint-fatal", "promtool/prometheus-config.lint.too_long_scrape_interval.yml"],
            ["check", "config", "--syntax-only", "promtool/config_with_rule_files.yml"],
            ["check", "rules", rulesLint], ["check", "rules", "--lint-fatal", rulesLint],
            ["check", "rules", "--lint=all", "--lint-fatal", rulesLint], ["check", "rules", "--lint=none", "--lint-fatal", rulesLint],
            ["check", "rules", "--lint=all,bogus", rulesLint],
            ["check", "rules", "--ignore-unknown-fields", "promtool/rules_extrafields.yml"],
            ["--enable-feature=promql-experimental-functions", "check", "rules", "promtool/rules.yml"],
            ["check", "rules", "--enable-feature=promql-experimental-functions", "promtool/rules.yml"],
        ]
        let invocations = argumentLists.map { Invocation(arguments: $0, directory: SharedFiles.corpus, stdin: nil) }
        var outcome = DifferentialComparison.Outcome(compared: invocations.count)
        for (inv, r) in zip(invocations, pair.run(invocations)) where r.ours != r.reference {
            let id = "usage:" + inv.arguments.joined(separator: " ")
            let streams = r.ours.differences(from: r.reference)
            if let row = Differential.table.explanation(for: id, exitDiffers: streams.contains("exit")) {
                outcome.used.insert(row.line)
            } else {
                outcome.unexplained.append("\(id): \(streams) differ\n  ours: \(r.ours)\n  2.42: \(r.reference)")
            }
        }
        Differential.check(outcome, rowPrefixes: ["usage:"])
    }

    /// `--version` has promtool's shape (its first line is what scripts read).
    @Test func versionLine() throws {
        let pair = try #require(Differential.pair, Comment(rawValue: Differential.problem ?? ""))
        let r = pair.run([Invocation(arguments: ["--version"], directory: "/", stdin: nil)])[0]
        #expect(r.ours.exit == 0 && r.reference.exit == 0)
        let ours = r.ours.stdout.split(separator: "\n").map(String.init)
        let theirs = r.reference.stdout.split(separator: "\n").map(String.init)
        #expect(ours.first?.hasPrefix("promtool, version ") == true)
        #expect(ours.first?.contains(" (branch: ") == true && ours.first?.contains(", revision: ") == true)
        #expect(ours.dropFirst().map { $0.prefix(20) }.contains("  build user:       "))
        #expect(theirs.first?.hasPrefix("promtool, version ") == true)
    }
}

/// What the suite shares: the binaries, the table, skip/fail policy.
enum Differential {
    static let made = PromtoolPair.make()
    static var pair: PromtoolPair? { made.pair }
    static let table = DropInDifferences.load()

    /// Why the suite cannot run (promtool or the corpus missing), if it cannot.
    static var problem: String? {
        if !SharedFiles.exists(SharedFiles.corpus) {
            return "needs \(SharedFiles.corpus) (missing; see README, \"Test corpus\")"
        }
        return made.problem
    }

    /// Runs when everything is present; under CI=true always (and fails in `prerequisitesArePresent`).
    static var shouldRun: Bool { SharedFiles.isCI || problem == nil }
    static var skipNotice: String { "differential tests skipped: " + (problem ?? "") }

    /// A fresh scratch folder for generated inputs.
    static func scratch(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "promtool-swift-differential-\(getpid())/\(name)"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Records each unexplained difference, and each row (of these prefixes) that explained nothing.
    static func check(_ outcome: DifferentialComparison.Outcome, rowPrefixes: [String]) {
        for u in outcome.unexplained {
            Issue.record(Comment(rawValue: "not explained by drop-in-differences.tsv:\n" + u))
        }
        for row in table.stale(prefixes: rowPrefixes, used: outcome.used) {
            Issue.record(Comment(rawValue: "drop-in-differences.tsv line \(row.line) (\(row.pattern)) explains no difference any more: remove it"))
        }
    }
}
