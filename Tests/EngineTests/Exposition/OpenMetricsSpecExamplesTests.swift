import Foundation
import Testing
import TestSupport
@testable import Engine

/// The examples of the OpenMetrics specification's text-format section (`../shared/reference/openmetrics`):
/// those introduced as "incorrect"/"invalid" (or breaking the ABNF's single-space separators) must be
/// rejected, all others accepted (`# EOF` appended).
enum OpenMetricsSpecExamples {
    struct Example: Sendable, CustomStringConvertible {
        var line: Int
        var intro: String
        var text: String
        var valid: Bool
        var description: String { "line \(line): \(intro.prefix(60))" }
    }

    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/reference/openmetrics/OpenMetrics.md")

    static let examples: [Example] = {
        guard let data = try? Data(contentsOf: path), let doc = String(data: data, encoding: .utf8) else { return [] }
        let lines = doc.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Example] = []
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("### Protobuf schema") { break }
            guard lines[i].hasPrefix("~~~~") else { i += 1; continue }
            let fence = lines[i]
            var j = i + 1
            while j < lines.count, !lines[j].hasPrefix("~~~~") { j += 1 }
            let body = Array(lines[(i + 1)..<min(j, lines.count)])
            var k = i - 1
            while k >= 0, lines[k].trimmingCharacters(in: .whitespaces).isEmpty { k -= 1 }
            let intro = k >= 0 ? lines[k] : ""
            let looksLikeExposition = body.contains { $0.hasPrefix("# TYPE") || $0.first.map { $0.isLetter } == true }
            if !fence.contains("abnf"), looksLikeExposition, !body.contains(where: { $0.contains("=") && $0.hasPrefix("  ") }) {
                var text = body.joined(separator: "\n") + "\n"
                if !text.hasSuffix("# EOF\n") { text += "# EOF\n" }
                let lower = intro.lowercased()
                // The ABNF separates tokens by exactly one SP: an example with a double space (the Histogram
                // exemplar example's `foo_created  1520430000.123`) is not a valid exposition whatever its prose says.
                let introducedBad = lower.contains("incorrect") || lower.contains("invalid")
                out.append(Example(line: i + 1, intro: intro, text: text,
                                   valid: !introducedBad && !text.contains("  ")))
            }
            i = j + 1
        }
        return out
    }()
}

@Suite(.needsReference) struct OpenMetricsSpecExamplesTests {
    @Test func examplesFound() {
        #expect(OpenMetricsSpecExamples.examples.count >= 25, "\(OpenMetricsSpecExamples.path.path)")
        #expect(OpenMetricsSpecExamples.examples.filter { !$0.valid }.count >= 3)
    }

    @Test(arguments: OpenMetricsSpecExamples.examples)
    func verdict(_ e: OpenMetricsSpecExamples.Example) {
        var sink = CountingSink()
        var error: ExpositionError?
        do { try OpenMetricsParser().parse(e.text, into: &sink) } catch let err { error = err }
        if e.valid {
            #expect(error == nil, "\(e): \(error.map(String.init(describing:)) ?? "")\n\(e.text)")
        } else {
            #expect(error != nil, "\(e) accepted:\n\(e.text)")
        }
    }
}
