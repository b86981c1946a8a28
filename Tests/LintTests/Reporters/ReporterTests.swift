import Foundation
import Testing
import TestSupport
@testable import Lint

@Suite struct ReporterTests {
    let sample: [Diagnostic] = [
        Diagnostic(file: "rules/a b.yml", range: SourceRange(start: SourcePosition(line: 3, column: 5),
                                                              end: SourcePosition(line: 3, column: 12)),
                   severity: .warning, message: "100% wrong,\nreally: yes", check: "labels/required-labels"),
        Diagnostic(file: "prometheus.yml", range: SourceRange(at: SourcePosition(line: 1, column: 1)),
                   severity: .error, message: "bad", check: InputErrors.config),
        Diagnostic(file: "x.yml", range: SourceRange(at: SourcePosition(line: 2, column: 1)),
                   severity: .info, message: "fyi", check: "rules/recording-name"),
    ]

    @Test func textIsPlainWithoutColour() {
        let out = TextReporter(colour: false).render(sample)
        #expect(out.hasPrefix("rules/a b.yml:3:5: warning: 100% wrong,\nreally: yes [labels/required-labels]\n"))
        #expect(out.contains("prometheus.yml:1:1: error: bad [input/config]\n"))
        #expect(!out.contains("\u{1B}"))
        #expect(TextReporter(colour: true).render(sample).contains("\u{1B}[1;33mwarning:"))
    }

    @Test func colourOnlyOnTerminalAndNotWithNoColor() {
        #expect(TextReporter.shouldColour(isTerminal: true, environment: [:]))
        #expect(!TextReporter.shouldColour(isTerminal: false, environment: [:]))
        #expect(!TextReporter.shouldColour(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(TextReporter.shouldColour(isTerminal: true, environment: ["NO_COLOR": ""]))
    }

    @Test func jsonIsAnArrayWithStableKeys() throws {
        let out = JSONReporter().render(sample)
        let parsed = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        let items = try #require(parsed)
        #expect(items.count == 3)
        #expect(Set(items[0].keys) == ["file", "line", "column", "endLine", "endColumn", "severity", "check", "message"])
        #expect(items[0]["endColumn"] as? Int == 12)
        #expect(items[1]["severity"] as? String == "error")
        #expect(JSONReporter().render([]) == "[]\n")
    }

    @Test func githubWorkflowCommandsAreEscaped() {
        let out = GitHubReporter().render(sample).split(separator: "\n").map(String.init)
        #expect(out[0] == "::warning file=rules/a b.yml,line=3,col=5,endLine=3,endColumn=12,title=labels/required-labels::100%25 wrong,%0Areally: yes")
        #expect(out[1] == "::error file=prometheus.yml,line=1,col=1,title=input/config::bad")
        #expect(out[2].hasPrefix("::notice "))
        #expect(GitHubReporter.escapeProperty("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A")
    }

    @Test(.needsReference) func sarifValidatesAgainstTheSchema() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let schema = root.deletingLastPathComponent().appendingPathComponent("shared/reference/sarif/sarif-schema-2.1.0.json").path
        #expect(FileManager.default.fileExists(atPath: schema), "schema missing at \(schema)")
        // Include an absolute path and a real lint run's output.
        var ds = sample
        ds.append(Diagnostic(file: "/abs/path/r.yml", range: SourceRange(at: SourcePosition(line: 9, column: 2)),
                             severity: .warning, message: "m", check: "rules/duplicate"))
        let sarif = SARIFReporter(catalogue: .standard, toolVersion: "0.1.0").render(ds)
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("sarif-\(UUID().uuidString).json").path
        try sarif.write(toFile: tmp, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tmp) }

        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            doc = json.load(open(sys.argv[2]))
            cls = jsonschema.validators.validator_for(schema)
            errors = sorted(cls(schema).iter_errors(doc), key=str)
            for e in errors: print(e.message, list(e.path))
            assert doc["runs"][0]["results"][0]["ruleId"] == "labels/required-labels"
            rules = doc["runs"][0]["tool"]["driver"]["rules"]
            assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] for r in rules)
            r0 = doc["runs"][0]["results"][0]
            idx = r0["ruleIndex"]; assert rules[idx]["id"] == r0["ruleId"]
            reg = r0["locations"][0]["physicalLocation"]["region"]
            assert (reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) == (3, 5, 3, 12)
            assert r0["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "rules/a%20b.yml"
            sys.exit(1 if errors else 0)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, schema, tmp]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "SARIF schema validation failed:\n\(out)")
    }

    @Test func formatsRenderThroughOutputFormat() {
        for f in OutputFormat.allCases {
            #expect(!f.render(sample).isEmpty)
        }
        #expect(OutputFormat.text.render([]) == "")
    }
}
