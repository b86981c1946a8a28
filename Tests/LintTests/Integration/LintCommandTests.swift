import Foundation
import Testing

/// The `lint` subcommand as users run it: formats, exit codes, --list-checks and --explain.
@Suite struct LintCommandTests {
    func run(_ args: [String], files: [String: String] = [:], env: [String: String] = [:]) throws -> (Int32, String) {
        guard let binary = PreCommitHookTests.binary() else {
            Issue.record("promtool-swift binary not found next to the tests; build it (swift build) first")
            return (-1, "")
        }
        let f = try LintFixture(files)
        defer { f.remove() }
        let r = try PreCommitHookTests.run([binary] + args, in: f.root, env: env)
        return (r.status, r.output)
    }

    let bad = ruleFile("      - alert: A\n        expr: up == 0\n        labels: {severity: page, v: \"{{ $value }}\"}\n        annotations: {summary: s}\n")
    let good = ruleFile(alert("A", expr: "up == 0"))

    @Test func exitCodesFollowFailOn() throws {
        #expect(try run(["lint", "r.yml"], files: ["r.yml": good]).0 == 0)
        let (code, out) = try run(["lint", "r.yml"], files: ["r.yml": bad])
        #expect(code == 3)
        #expect(out.contains("r.yml:6:37: error: alert \"A\": label \"v\" uses the alert value"))
        #expect(out.hasSuffix("[labels/value-in-label]\n"))
        #expect(try run(["lint", "--fail-on", "never", "r.yml"], files: ["r.yml": bad]).0 == 0)
        #expect(try run(["lint", "r.yml"], files: ["r.yml": "groups: [\n"]).0 == 1)
        #expect(try run(["lint", "missing.yml"]).0 == 1)
    }

    @Test func outputFormats() throws {
        let (_, json) = try run(["lint", "-o", "json", "r.yml"], files: ["r.yml": bad])
        let items = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(items?.first?["check"] as? String == "labels/value-in-label")
        let (_, gh) = try run(["lint", "-o", "github", "r.yml"], files: ["r.yml": bad])
        #expect(gh.hasPrefix("::error file=r.yml,line=6,col=37,"))
        let (_, sarif) = try run(["lint", "--output", "sarif", "r.yml"], files: ["r.yml": bad])
        #expect(sarif.contains("\"version\" : \"2.1.0\""))
        // Not a terminal: never coloured.
        let (_, text) = try run(["lint", "r.yml"], files: ["r.yml": bad])
        #expect(!text.contains("\u{1B}["))
    }

    @Test func listAndExplain() throws {
        let (code, list) = try run(["lint", "--list-checks"])
        #expect(code == 0)
        #expect(list.contains("interval/rate-window"))
        #expect(list.contains("labels/template-dropped"))
        let (ecode, explain) = try run(["lint", "--explain", "interval/rate-window"])
        #expect(ecode == 0)
        #expect(explain.hasPrefix("interval/rate-window (default severity: warning)"))
        #expect(try run(["lint", "--explain", "nope/nope"]).0 == 1)
    }

    @Test func configFileAndVersionOptions() throws {
        let files = ["r.yml": ruleFile(record("job:a.b:sum", expr: "sum(up)")), "l.yml": "disable: [rules/recording-name]\n"]
        let (code, out) = try run(["lint", "--prometheus-version", "2.x", "--config-file", "l.yml", "r.yml"], files: files)
        #expect(code == 3)
        #expect(out.contains("[labels/utf8-name]"))
        #expect(try run(["lint", "--prometheus-version", "9", "r.yml"], files: files).0 != 0)
        #expect(try run(["lint", "--disable", "labels/*", "--disable", "rules/recording-name", "r.yml"], files: files).0 == 0)
        let (ecode, eout) = try run(["lint", "--prometheus-version", "2.x", "--disable", "all", "--enable", "labels/utf8-name", "r.yml"], files: files)
        #expect(ecode == 3)
        #expect(eout.split(separator: "\n").count == 1)
        #expect(eout.contains("[labels/utf8-name]"))
        #expect(try run(["lint", "--disable", "no/such", "r.yml"], files: files).0 != 0)
    }
}
