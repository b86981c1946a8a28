import Foundation
import Testing
import TestSupport
@testable import Engine

/// The OpenMetrics project's parser conformance cases in `../shared/corpus/openmetrics`.
enum OpenMetricsCorpus {
    /// `<package root>/../shared/corpus/openmetrics`, the package root being three levels above this file's folder.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/openmetrics")

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var shouldParse: Bool
        var bytes: [UInt8]
        var description: String { name }
    }

    static let cases: [Case] = {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: root.path) else { return [] }
        var out: [Case] = []
        for name in names.sorted() {
            let dir = root.appendingPathComponent(name)
            let testJSON = dir.appendingPathComponent("test.json")
            guard let data = try? Data(contentsOf: testJSON),
                  let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let should = obj["shouldParse"] as? Bool else { continue }
            let file = (obj["file"] as? String) ?? "metrics"
            let metrics = (try? Data(contentsOf: dir.appendingPathComponent(file))) ?? Data()
            out.append(Case(name: name, shouldParse: should, bytes: Array(metrics)))
        }
        return out
    }()
}

@Suite(.needsCorpus) struct OpenMetricsConformanceTests {
    @Test func corpusIsPresent() {
        #expect(OpenMetricsCorpus.cases.count >= 150, "corpus at \(OpenMetricsCorpus.root.path)")
    }

    @Test(arguments: OpenMetricsCorpus.cases)
    func verdictMatches(_ c: OpenMetricsCorpus.Case) {
        var sink = CountingSink()
        var error: ExpositionError?
        do { try OpenMetricsParser().parse(c.bytes, into: &sink) } catch let e { error = e }
        if c.shouldParse {
            #expect(error == nil, "\(c.name) should parse but failed: \(error.map(String.init(describing:)) ?? "")")
        } else {
            #expect(error != nil, "\(c.name) should be rejected but parsed")
        }
    }
}
