import Foundation
import Testing
import TestSupport
@testable import Engine

/// Alert annotations in the upstream rule-file fixtures parse (or fail) exactly as `promtool check rules` says.
@Suite(.needsCorpus) struct TemplateCorpusTests {
    static let corpus: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/corpus").standardized

    /// Files with alert templates, and the single failure upstream expects (from `promtool check rules`).
    static let files: [(String, [String: String])] = [
        ("config/first.rules", [:]),
        ("rulefmt/test.yaml", [:]),
        ("rulefmt/test_aliases.yaml", [:]),
        ("promtool/rules.yml", [:]),
        ("promtool/rules_extrafields.yml", [:]),
        ("promtool/rules-bad.yml",
         ["InstanceDown/summary": "template: __alert_InstanceDown:1: undefined variable \"$label\""]),
    ]

    struct Annotation {
        var alert: String
        var key: String
        var text: String
    }

    /// Extracts double-quoted `summary:`/`description:` values under `- alert:` entries.
    static func annotations(in source: String) -> [Annotation] {
        var out: [Annotation] = []
        var alert = ""
        for raw in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("- alert:") {
                alert = line.dropFirst("- alert:".count).trimmingCharacters(in: .whitespaces)
                continue
            }
            for key in ["summary", "description"] where line.hasPrefix(key + ":") {
                var value = line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("&"), let space = value.firstIndex(of: " ") {
                    value = value[space...].trimmingCharacters(in: .whitespaces)
                }
                guard value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 else { continue }
                let inner = String(value.dropFirst().dropLast())
                out.append(Annotation(alert: alert, key: key, text: inner))
            }
        }
        return out
    }

    @Test(arguments: files)
    func annotationsCheckLikePromtool(file: String, failures: [String: String]) throws {
        let source = try String(contentsOf: Self.corpus.appendingPathComponent(file), encoding: .utf8)
        let found = Self.annotations(in: source)
        #expect(!found.isEmpty, "no templates found in \(file)")
        var seenFailures: Set<String> = []
        for a in found {
            let err = AlertTemplateExpander.checkAlertTemplate(alertName: a.alert, text: a.text)
            let id = a.alert + "/" + a.key
            #expect(err?.description == failures[id], "\(file) \(id)")
            if err != nil { seenFailures.insert(id) }
        }
        #expect(seenFailures == Set(failures.keys))
    }

    @Test func corpusAnnotationExpands() throws {
        let e = AlertTemplateExpander(alertName: "InstanceDown", labels: ["instance": "localhost:9090", "job": "prometheus"],
                                      value: 0, timestampMillis: 0)
        #expect(try e.expand("{{ $labels.instance }} of job {{ $labels.job }} has been down for more than 5 minutes.")
                == "localhost:9090 of job prometheus has been down for more than 5 minutes.")
        #expect(e.expandForAlert("stuff's happening with {{ $.labels.service }}").hasSuffix(
            "can't evaluate field labels in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }>"))
    }
}
