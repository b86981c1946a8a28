import Foundation
import Testing
import TestSupport

/// Our command line on its own (no promtool, no corpus needed): what promtool-swift adds or does where
/// promtool 2.42 cannot be asked (3.x-only commands and flags).
@Suite struct CommandLineTests {
    static let binary = PromtoolPair.builtBinary()

    private func run(_ arguments: [String]) throws -> RunResult {
        let program = try #require(Self.binary, "the promtool-swift binary was not built")
        return PromtoolPair.execute(program, Invocation(arguments: arguments, directory: SharedFiles.packageRoot, stdin: nil))
    }

    @Test func groupWithoutSubcommandIsAUsageError() throws {
        let r = try run(["promql", "label-matchers"])
        #expect(r.exit == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "promtool-swift: error: must select a subcommand of 'promql label-matchers', try --help\n")
    }

    @Test func helpCommandShowsThatCommandsHelp() throws {
        let r = try run(["help", "test", "promql"])
        #expect(r.exit == 0)
        #expect(r.stdout.contains("USAGE: promtool-swift test promql"))
        #expect(r.stderr.isEmpty)
        let check = try run(["help", "check", "config"])
        #expect(check.exit == 0 && check.stdout.contains("--lint-extended"))
    }

    @Test func versionHasPromtoolsShape() throws {
        let r = try run(["check", "--version"])
        #expect(r.exit == 0)
        let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("promtool-swift, version "))
        #expect(first.contains("(branch: ") && first.contains(", revision: ") && first.hasSuffix(")"))
    }

    @Test func labelMatchersSetAndDelete() throws {
        let set = try run(["--experimental", "promql", "label-matchers", "set", "-t", "=~", "rate(a[5m]) + b{job=\"x\"}", "job", "api.*"])
        #expect(set.exit == 0)
        #expect(set.stdout == "rate(a{job=~\"api.*\"}[5m]) + b{job=~\"api.*\"}\n")
        let delete = try run(["promql", "label-matchers", "delete", "sum(a{b=\"1\",c=\"2\"})", "b"])
        #expect(delete.exit == 0 && delete.stdout == "sum(a{c=\"2\"})\n")
        let badType = try run(["promql", "label-matchers", "set", "-t", "~", "a", "b", "c"])
        #expect(badType.exit == 1)
        #expect(badType.stderr == "promtool-swift: error: enum value must be one of =,!=,=~,!~, got '~', try --help\n")
        let badQuery = try run(["promql", "label-matchers", "delete", "sum(", "b"])
        #expect(badQuery.exit == 1 && badQuery.stderr.contains("parse error"))
    }

    /// `--lint=all` is promtool's (no findings of our linter); `--lint-extended` prints them and never
    /// changes the exit code, `--lint-fatal` included.
    @Test func lintExtendedIsSeparateAndInformational() throws {
        let plain = try run(["check", "config", "--lint=all", "--lint-fatal", "testdata/prometheus.yml"])
        #expect(plain.exit == 0)
        #expect(!plain.stderr.contains("LINT:"))
        let extended = try run(["check", "config", "--lint=all", "--lint-fatal", "--lint-extended", "testdata/prometheus.yml"])
        #expect(extended.exit == 0)
        #expect(extended.stderr.contains("  LINT:\n"))
        #expect(extended.stderr.contains("[cardinality/no-scrape-limits]"))
        // A quantile over classic buckets whose `le` the aggregation dropped: an error of our linter, still exit 0.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lint-extended-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yml").path
        try """
        groups:
        - name: g
          rules:
          - record: job:latency_seconds:p99
            expr: histogram_quantile(0.99, sum by (job) (rate(latency_seconds_bucket[5m])))
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let rules = try run(["check", "rules", "--lint-fatal", "--lint-extended", file])
        #expect(rules.exit == 0)
        #expect(rules.stderr.contains("[promql/histogram-quantile-le]"))
    }

    @Test func globalFlagsAfterTheCommand() throws {
        let r = try run(["check", "rules", "--experimental", "--enable-feature=bogus", "testdata/alerts/sse_alerts.yml"])
        #expect(r.exit == 0)
        #expect(r.stdout.hasPrefix("  WARNING: Unknown feature passed to --enable-feature: bogusChecking testdata/alerts/sse_alerts.yml\n"))
        let lookback = try run(["check", "--query.lookback-delta=10s", "config", "testdata/prometheus.yml"])
        #expect(lookback.exit == 0)
        #expect(lookback.stderr.contains("too long scrape interval found") == false)
        let withLint = try run(["check", "config", "--lint=too-long-scrape-interval", "--query.lookback-delta=10s", "testdata/prometheus.yml"])
        #expect(withLint.stderr.contains("too long scrape interval found, data point will be marked as stale - job: sse-application, interval: 15s"))
    }

    @Test func unknownFlagsAndCommandsExitOne() throws {
        for (args, message) in [(["--nope"], "unknown long flag '--nope'"), (["-z"], "unknown short flag '-z'"),
                                (["nope"], "expected command but got \"nope\""),
                                (["check", "config"], "required argument 'config-files' not provided"),
                                (["check", "rules", "--lint"], "expected argument for flag '--lint'"),
                                (["check", "metrics", "extra"], "unexpected extra")] {
            let r = try run(args)
            #expect(r.exit == 1, "\(args)")
            #expect(r.stderr == "promtool-swift: error: \(message), try --help\n", "\(args)")
        }
    }

    /// `test rules -o json --junit FILE`: both outputs from one run; stdout is the JSON document alone
    /// (failures and warnings go to stderr) and the exit code is text mode's.
    @Test func testRulesJSONWithJUnit() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rules-json-junit-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        groups:
        - name: g
          rules:
          - alert: Up
            expr: up == 1
        """.write(toFile: dir.appendingPathComponent("rules.yml").path, atomically: true, encoding: .utf8)
        let test = dir.appendingPathComponent("test.yml").path
        try """
        rule_files: [rules.yml, missing-*.yml]
        tests:
        - name: t
          input_series:
          - series: up{job="x"}
            values: 1 1
          alert_rule_test:
          - eval_time: 1m
            alertname: Up
        """.write(toFile: test, atomically: true, encoding: .utf8)
        for (file, exit) in [(test, Int32(1)), ("testdata/tests/sse_alerts_test.yml", Int32(0))] {
            let junit = dir.appendingPathComponent("junit-\(exit).xml").path
            let text = try run(["test", "rules", file])
            let r = try run(["test", "rules", "-o", "json", "--junit", junit, file])
            #expect(r.exit == exit && text.exit == exit)
            let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
            #expect(object?["status"] as? String == (exit == 0 ? "passed" : "failed"))
            #expect(r.stdout.hasPrefix("{") && r.stdout.hasSuffix("}\n") && r.stdout.split(separator: "\n").count == 1)
            let xml = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(xml.hasPrefix("<testsuites><testsuite name=\"\(file)\""))
            if exit == 1 {
                #expect(xml.contains("<testcase name=\"t\"><failure>"))
                #expect(r.stderr.hasPrefix("  WARNING: no file match pattern \(dir.path)/missing-*.yml\n  FAILED:\n    name: t,\n"))
                #expect(text.stderr == r.stderr)
            } else {
                #expect(r.stderr.isEmpty)
            }
        }
    }
}
