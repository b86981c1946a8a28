import Testing
import TestSupport
@testable import Engine

/// The `../shared/corpus/promql` directory, resolved from this file's location.
enum PromQLCorpus {
    static var directory: String {
        // Tests/EngineTests/PromQL/File.swift → package root is three levels up from the folder.
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(4)
        return parts.joined(separator: "/") + "/../shared/corpus/promql"
    }

    static let files = [
        "aggregators.test", "collision.test", "duration_expression.test", "extended_vectors.test",
        "fill-modifier.test", "functions.test", "histograms.test", "info.test", "limit.test", "literals.test",
        "name_label_dropping.test", "native_histograms.test", "operators.test", "range_queries.test",
        "staleness.test", "start_timestamps.test", "type_and_unit.test",
    ]

    struct Eval {
        var line: Int
        var expr: String
        var expectFail: Bool
        var failMessage: String?
    }

    /// The text of corpus file `name` (e.g. `functions.test`), nil when it is missing.
    static func read(_ name: String) -> String? { readText(atPath: directory + "/" + name) }

    /// A whole file as UTF-8 text (no Foundation), nil when it cannot be opened.
    static func readText(atPath path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buf[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Extracts every `eval` command's expression and its failure expectation.
    static func evals(_ text: String) -> [Eval] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Eval] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            guard line.hasPrefix("eval") else {
                i += 1
                continue
            }
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let cmd = words.first ?? ""
            var expectFail = cmd == "eval_fail"
            var expr = ""
            if words.count >= 5, words[1] == "instant", words[2] == "at" {
                expr = Self.tail(of: line, skippingWords: 4)
            } else if words.count >= 9, words[1] == "range", words[2] == "from", words[4] == "to", words[6] == "step" {
                expr = Self.tail(of: line, skippingWords: 8)
            }
            var failMessage: String?
            var j = i + 1
            while j < lines.count {
                let l = lines[j].trimmingLeadingWhitespace()
                if lines[j].isEmpty || !(lines[j].hasPrefix(" ") || lines[j].hasPrefix("\t")) { break }
                if l.hasPrefix("expect fail") {
                    expectFail = true
                    if l.hasPrefix("expect fail msg:") {
                        failMessage = String(l.dropFirst("expect fail msg:".count)).trimmingLeadingWhitespace()
                    }
                }
                if l.hasPrefix("expected_fail_message") { expectFail = true }
                j += 1
            }
            out.append(Eval(line: i + 1, expr: expr, expectFail: expectFail, failMessage: failMessage))
            i = j
        }
        return out
    }
}

extension String {
    func trimmingLeadingWhitespace() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }))
    }
}

extension PromQLCorpus {
    /// The rest of `line` after `n` space-separated words (inner spacing preserved).
    static func tail(of line: String, skippingWords n: Int) -> String {
        let b = Array(line.utf8)
        var i = 0
        for _ in 0..<n {
            while i < b.count && b[i] == 0x20 { i += 1 }
            while i < b.count && b[i] != 0x20 { i += 1 }
        }
        while i < b.count && b[i] == 0x20 { i += 1 }
        return String(decoding: b[i...], as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite(.needsCorpus) struct PromQLCorpusTests {
    @Test func corpusIsPresent() throws {
        for f in PromQLCorpus.files {
            let text = try #require(PromQLCorpus.read(f), "missing corpus file \(f)")
            #expect(!PromQLCorpus.evals(text).isEmpty, "no eval commands found in \(f)")
        }
    }

    /// Every eval expression parses (all experimental features on) unless the test expects a failure;
    /// printing and re-parsing gives the same printed form.
    @Test(arguments: PromQLCorpus.files)
    func corpusExpressionsParseAndRoundTrip(_ file: String) throws {
        let text = try #require(PromQLCorpus.read(file))
        let evals = PromQLCorpus.evals(text)
        #expect(!evals.isEmpty)
        for ev in evals {
            do {
                let expr = try PromQLParser.parse(ev.expr, options: .allEnabled)
                let printed = expr.description
                do {
                    let again = try PromQLParser.parse(printed, options: .allEnabled)
                    #expect(again.description == printed, "\(file):\(ev.line): round trip of \(ev.expr)")
                } catch {
                    Issue.record("\(file):\(ev.line): printed form \(printed) does not parse: \(error)")
                }
                let pretty = expr.prettyPrint()
                do {
                    let again = try PromQLParser.parse(pretty, options: .allEnabled)
                    #expect(again.description == printed, "\(file):\(ev.line): pretty form of \(ev.expr)")
                } catch {
                    Issue.record("\(file):\(ev.line): pretty form does not parse: \(pretty): \(error)")
                }
            } catch {
                if !ev.expectFail {
                    Issue.record("\(file):\(ev.line): \(ev.expr): \(error)")
                } else if let msg = ev.failMessage, msg.contains("parse error") {
                    #expect(error.description == msg || error.message == msg, "\(file):\(ev.line)")
                }
            }
        }
    }
}
