import Foundation
import Testing
import TestSupport
@testable import ConfigModel

/// `check config` on promtool's own fixtures, as upstream's promtool tests expect (see corpus README).
@Suite(.needsCorpus) struct PromtoolFixtureTests {
    static let dir = Corpus.promtool.path

    func check(_ name: String, syntaxOnly: Bool = false, lint: Bool = true) -> ConfigCheckResult {
        ConfigChecker.check(path: Self.dir + "/" + name, options: ConfigCheckOptions(syntaxOnly: syntaxOnly, lintTooLongScrapeInterval: lint))
    }

    @Test func goodConfigPasses() {
        let r = check("prometheus-config.good.yml")
        #expect(r.error == nil)
        #expect(r.lintProblems.isEmpty)
    }

    @Test func badConfigFails() {
        let r = check("prometheus-config.bad.yml")
        #expect(r.error != nil)
        #expect(r.error?.mark != nil)
    }

    @Test func missingFileFails() {
        let r = check("does-not-exist.yml")
        #expect(r.error?.message == "open \(Self.dir)/does-not-exist.yml: no such file or directory")
    }

    @Test func lintFixtureLoadsAndNamesItsRuleFile() {
        let r = check("prometheus-config.lint.yml")
        #expect(r.error == nil)
        #expect(r.ruleFiles == [Self.dir + "/prometheus-rules.lint.yml"])
    }

    @Test func tooLongScrapeIntervalLint() throws {
        let r = check("prometheus-config.lint.too_long_scrape_interval.yml")
        #expect(r.error == nil)
        let problem = try #require(r.lintProblems.first)
        #expect(problem.message.hasPrefix("too long scrape interval found, data point will be marked as stale - job: "))
        #expect(problem.mark != nil)
        #expect(check("prometheus-config.lint.too_long_scrape_interval.yml", lint: false).lintProblems.isEmpty)
    }

    @Test func ruleFilesMustExistUnlessSyntaxOnly() {
        #expect(check("config_with_rule_files.yml", syntaxOnly: true).error == nil)
        let r = check("config_with_rule_files.yml")
        #expect(r.error?.message == "\"\(Self.dir)/non-existent-file.yml\" does not point to an existing file")
        #expect(r.error?.mark != nil)
    }

    @Test func missingFileSDFileIsOnlyAWarning() {
        for syntaxOnly in [false, true] {
            let r = check("config_with_service_discovery_files.yml", syntaxOnly: syntaxOnly)
            #expect(r.error == nil)
            #expect(r.warnings.count == (syntaxOnly ? 0 : 2))
        }
        let w = check("config_with_service_discovery_files.yml").warnings
        #expect(w.first?.message == "file \"\(Self.dir)/nonexistent_file.yml\" for file_sd in scrape job \"prometheus\" does not exist")
        #expect(w.last?.message == "file \"\(Self.dir)/nonexistent_file.yml\" for file_sd in alertmanager config does not exist")
    }

    @Test func tlsFilesMustExistUnlessSyntaxOnly() {
        #expect(check("config_with_tls_files.yml", syntaxOnly: true).error == nil)
        let f = Self.dir + "/nonexistent_cert_file.yml"
        #expect(check("config_with_tls_files.yml").error?.message == "error checking client cert file \"\(f)\": stat \(f): no such file or directory")
    }

    @Test func credentialsFileMustExist() {
        #expect(check("authorization_credentials_file.good.yml").error == nil)
        #expect(check("authorization_credentials_file.bad.yml", syntaxOnly: true).error == nil)
        let msg = check("authorization_credentials_file.bad.yml").error?.message ?? ""
        #expect(msg.hasPrefix("error checking authorization credentials or bearer token file \""))
        #expect(msg.hasSuffix(": no such file or directory"))
    }

    @Test func urlsInTargetGroupsAfterRelabelling() {
        #expect(check("url_in_scrape_targetgroup_with_relabel_config.bad.yml").error?.message
                == "instance 0 in group 0: \"http://bad\" is not a valid hostname")
        #expect(check("url_in_scrape_targetgroup_with_relabel_config.good.yml").error == nil)
        #expect(check("url_in_alert_targetgroup_with_relabel_config.bad.yml").error?.message == "\"http://bad\" is not a valid hostname")
        #expect(check("url_in_alert_targetgroup_with_relabel_config.good.yml").error == nil)
    }

    @Test(arguments: ["good-sd-file.yml", "good-sd-file.yaml", "good-sd-file.json"])
    func goodSDFilesLoad(_ name: String) throws {
        let groups = try TargetGroupFile.load(Self.dir + "/" + name)
        #expect(groups.flatMap(\.targets) == ["localhost:9100"])
        #expect(groups.contains { $0.labels["job"] == "node" })
    }

    @Test func badSDFiles() {
        #expect(throws: ConfigError("invalid file extension: \".nonexistent\"")) {
            _ = try TargetGroupFile.load(Self.dir + "/bad-sd-file-extension.nonexistent")
        }
        #expect(performing: { _ = try TargetGroupFile.load(Self.dir + "/bad-sd-file-format.yml") }, throws: { error in
            guard let e = error as? ConfigError else { return false }
            return e.message.contains("field targats not found in type struct { Targets []string") && e.mark == Mark(line: 1, column: 3)
        })
    }
}

/// file_sd files are input too: malformed JSON and YAML fail with one positioned error.
@Suite struct SDFileHostileInputTests {
    func load(_ name: String, _ bytes: [UInt8]) -> ConfigError? {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sdfile-\(getpid())-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            Issue.record("cannot write \(path)")
            return nil
        }
        do { _ = try TargetGroupFile.load(path); return nil } catch { return error }
    }

    @Test func jsonErrorsUseGoTexts() {
        #expect(load("a.json", Array(#"[{"targets": ["a:1"],}]"#.utf8))?.message == "invalid character '}' looking for beginning of object key string")
        #expect(load("a.json", Array(#"[{"targets": "a:1"}]"#.utf8))?.message == "json: cannot unmarshal string into Go struct field .targets of type []string")
        #expect(load("a.json", Array(#"[{"targats": []}]"#.utf8))?.message == #"json: unknown field "targats""#)
        #expect(load("a.json", Array("[".utf8))?.message == "unexpected end of JSON input")
        #expect(load("a.json", Array("[null]".utf8))?.message == "nil target group item found (index 0)")
    }

    @Test func deepAndHugeInputs() {
        let deep = Array(String(repeating: "[", count: 100_000).utf8)
        let e = load("deep.json", deep)
        #expect(e?.message == "exceeded max depth")
        #expect(e?.mark != nil)
        var line = "["
        for i in 0..<50_000 { line += "{\"targets\": [\"h\(i):80\"]}," }
        line += "{\"targets\": 5}]"
        let huge = load("huge.json", Array(line.utf8))
        #expect(huge?.message == "json: cannot unmarshal number into Go struct field .targets of type []string")
        #expect(huge?.mark?.line == 1)
        var garbage: [UInt8] = []
        for i in 0..<4096 { garbage.append(UInt8(truncatingIfNeeded: i &* 2654435761 >> 7)) }
        #expect(load("g.yml", garbage) != nil)
        #expect(load("g.json", garbage) != nil)
    }
}
