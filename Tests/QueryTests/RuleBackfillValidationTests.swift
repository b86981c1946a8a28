import Foundation
import Query
import Testing
import TestSupport

/// `tsdb create-blocks-from rules` validates the rule files (the `check rules` checks: structure, names, PromQL,
/// alert templates) before it sends any query, and fails as promtool 3.14 does: `rule importer parse error: FILE:
/// <first error>` on stderr and exit code 1 (`importRules` in `cmd/promtool/main.go`).
@Suite struct RuleBackfillValidationTests {
    static let matrixBody = #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[1700000000,"1"]]}]}}"#

    func run(_ files: [String], server: TestHTTPServer, output dir: String) -> (Int32, RemoteQueryServerTests.Captured) {
        let captured = RemoteQueryServerTests.Captured()
        let settings = RuleBackfill.Settings(start: "1700000000", end: "1700003600", outputDirectory: dir + "/out",
                                             evalInterval: 60_000_000_000, maxBlockDuration: 0, ruleFiles: files)
        let code = RuleBackfill.run(RemoteQuery.Connection(server: server.url, timeout: .seconds(10)), settings, output: captured.output)
        return (code, captured)
    }

    func write(_ text: String, _ name: String, in dir: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The messages are promtool 2.42's for the same files (3.14 words these the same way).
    static let invalid: [(name: String, text: String, message: String)] = [
        ("expr.yml", "groups:\n  - name: g\n    rules:\n      - record: job:x:sum\n        expr: sum(rate(x[5m]) by (job)\n",
         #"5:15: group "g", rule 1, "job:x:sum": could not parse expression: 1:17: parse error: unexpected <by> in aggregation"#),
        ("template.yml", "groups:\n  - name: g\n    rules:\n      - record: ok\n        expr: up\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: \"{{ $labels.x \"\n",
         #"group "g", rule 2, "A": annotation "summary": template: __alert_A:1: unclosed action"#),
        ("structure.yml", "groups:\n  - name: g\n    rules:\n      - record: r\n        alert: A\n        expr: up\n",
         #"4:17: 5:16: group "g", rule 1, "A": only one of 'record' and 'alert' must be set"#),
    ]

    @Test(arguments: 0..<invalid.count) func invalidRuleFilesFailBeforeAnyQuery(index: Int) async throws {
        let dir = try Processes.temporaryDirectory("rule-backfill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await TestHTTPServer { _ in .init(body: Self.matrixBody) }
        let good = try write("groups:\n  - name: ok\n    rules:\n      - record: fine\n        expr: up\n", "good.yml", in: dir)
        let bad = try write(Self.invalid[index].text, Self.invalid[index].name, in: dir)
        let (code, out) = run([good, bad], server: server, output: dir)
        await server.stop()
        #expect(code == 1)
        #expect(out.err == "rule importer parse error: \(bad): \(Self.invalid[index].message)\n")
        #expect(server.requests.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func missingRuleFileIsAParseError() async throws {
        let dir = try Processes.temporaryDirectory("rule-backfill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await TestHTTPServer { _ in .init(body: Self.matrixBody) }
        let (code, out) = run([dir + "/none.yml"], server: server, output: dir)
        await server.stop()
        #expect(code == 1)
        #expect(out.err == "rule importer parse error: \(dir)/none.yml: open \(dir)/none.yml: no such file or directory\n")
        #expect(server.requests.isEmpty)
    }

    @Test func validRuleFilesAreQueried() async throws {
        let dir = try Processes.temporaryDirectory("rule-backfill")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try await TestHTTPServer { _ in .init(body: Self.matrixBody) }
        let good = try write("groups:\n  - name: ok\n    rules:\n      - record: fine\n        expr: sum by (job) (rate(up[5m]))\n", "good.yml", in: dir)
        let (code, out) = run([good], server: server, output: dir)
        await server.stop()
        #expect(code == 0, "\(out.err)")
        let request = try #require(server.requests.first)
        #expect(request.uri == "/api/v1/query_range")
        #expect(request.bodyText.contains("query=sum+by+%28job%29+%28rate%28up%5B5m%5D%29%29") || request.bodyText.contains("query=sum%20by"))
    }
}
