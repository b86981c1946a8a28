import Testing
import TestSupport
@testable import Engine
#if canImport(Glibc)
import Glibc
#endif

private let knownFailuresPath: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    parts.removeLast()
    return parts.joined(separator: "/") + "/known-failures.txt"
}()

/// `file.test:LINE` entries of evals that do not pass yet, each with its reason after ` # `.
private func knownFailures() -> Set<String> {
    guard let text = PromQLCorpus.readText(atPath: knownFailuresPath) else { return [] }
    var out: Set<String> = []
    for line in text.split(separator: "\n") {
        let entry = line.split(separator: "#", maxSplits: 1).first.map { String($0).trimmingSpaces() } ?? ""
        if !entry.isEmpty { out.insert(entry) }
    }
    return out
}

private extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

private let scripts = ["aggregators", "collision", "duration_expression", "extended_vectors", "fill-modifier", "functions",
                       "histograms", "info", "limit", "literals", "name_label_dropping", "native_histograms", "operators",
                       "range_queries", "staleness", "start_timestamps", "type_and_unit"]

/// Runs every upstream PromQL script. Evals listed in known-failures.txt are expected to fail (and the test
/// fails if one of them starts passing, so the list only shrinks); every other eval must pass.
@Suite(.needsCorpus) struct PromQLScriptCorpusTests {
    @Test(arguments: scripts)
    func script(name: String) throws {
        let text = try #require(PromQLCorpus.read("\(name).test"), "missing corpus script \(name)")
        let report = PromQLTestRunner().run(script: text, file: "\(name).test")
        #expect(report.scriptError == nil, "\(report.scriptError ?? "")")
        let known = knownFailures()
        for o in report.outcomes {
            let key = "\(name).test:\(o.line)"
            if known.contains(key) {
                #expect(!o.passed, "\(key) passes now: remove it from known-failures.txt")
            } else {
                #expect(o.passed, "\(key): \(o.failure ?? "")")
            }
        }
    }
}
