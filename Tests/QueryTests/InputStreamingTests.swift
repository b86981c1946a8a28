import Engine
import Foundation
import Query
import Testing

/// `--input` files above the streaming threshold (OpenMetrics and Prometheus text) are parsed piece by
/// piece: the head ends up the same as when the file is parsed whole, and errors keep their positions.
@Suite struct InputStreamingTests {
    /// About 12 MB of OpenMetrics: 300 series × 400 samples, series after series, plus a `_created` line each.
    static func text(badLineAt bad: Int? = nil) -> String {
        var out = "# HELP big_requests Requests.\n# TYPE big_requests counter\n"
        var line = 3
        for s in 0..<300 {
            let labels = "instance=\"host-\(s % 10):9100\",path=\"/api/v1/\(s)/with/a/long/enough/path\",job=\"stream\""
            out += "big_requests_created{\(labels)} 1699999000\n"
            line += 1
            for i in 0..<400 {
                out += line == bad ? "big_requests_total{\(labels)} bad \(1_700_000_000 + i * 15)\n"
                                   : "big_requests_total{\(labels)} \(i * (s % 7 + 1)) \(1_700_000_000 + i * 15)\n"
                line += 1
            }
        }
        return out + "# EOF\n"
    }

    func write(_ text: String) throws -> String {
        let path = try Processes.temporaryDirectory("stream") + "/big.om"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func streamedFileLoadsAsTheWholeFile() throws {
        let text = Self.text()
        #expect(text.utf8.count > 8 << 20)
        let path = try write(text)
        let streamed = Head(), whole = Head()
        let n = try InputLoader(head: streamed, defaultTime: 0).load(path: path)
        let m = try InputLoader(head: whole, defaultTime: 0).load(bytes: Array(text.utf8), name: path)
        #expect(n == 120_000)
        #expect(n == m)
        #expect(streamed.stats == whole.stats)
        let matchers = [try LabelMatcher(.equal, "__name__", "big_requests_total")]
        let a = streamed.select(matchers, mint: .min, maxt: .max), b = whole.select(matchers, mint: .min, maxt: .max)
        #expect(a.map(\.labels) == b.map(\.labels))
        #expect(a.map { $0.samples.count } == b.map { $0.samples.count })
    }

    @Test func anErrorDeepInAStreamedFileIsPositioned() throws {
        let text = Self.text(badLineAt: 100_000)
        let path = try write(text)
        let badLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(99_999).first)
        let column = try #require(badLine.range(of: " bad ")).lowerBound.utf16Offset(in: badLine) + 2
        do {
            _ = try InputLoader(head: Head(), defaultTime: 0).load(path: path)
            Issue.record("the bad line loaded")
        } catch {
            #expect(error.line == 100_000)
            #expect(error.column == column)
            #expect(error.message.hasPrefix("strconv.ParseFloat: parsing \"bad\": invalid syntax"))
        }
    }

    /// About 12 MB of Prometheus text: 300 series × 400 samples (timestamps in ms), every 50th series with a
    /// label value spanning two lines, and one sample per series without a timestamp (taken at the load's
    /// default time).
    static func promText(badLineAt bad: Int? = nil) -> String {
        var out = "# HELP big_requests_total Requests.\n# TYPE big_requests_total counter\n"
        var line = 3
        for s in 0..<300 {
            let note = s % 50 == 0 ? "two\nlines" : "one line"
            let labels = "instance=\"host-\(s % 10):9100\",path=\"/api/v1/\(s)/with/a/long/enough/path\",note=\"\(note)\""
            for i in 0..<400 {
                let value = line == bad ? "bad" : "\(i * (s % 7 + 1))"
                out += "big_requests_total{\(labels)} \(value) \(1_700_000_000_000 + i * 15_000)\n"
                line += s % 50 == 0 ? 2 : 1
            }
            out += "big_requests_untimed{\(labels)} \(s)\n"
            line += s % 50 == 0 ? 2 : 1
        }
        return out
    }

    @Test func streamedTextFileLoadsAsTheWholeFile() throws {
        let text = Self.promText()
        #expect(text.utf8.count > 8 << 20)
        let path = try write(text)
        let streamed = Head(), whole = Head()
        let defaultTime: Int64 = 1_700_009_000_000
        let n = try InputLoader(head: streamed, defaultTime: defaultTime).load(path: path)
        let m = try InputLoader(head: whole, defaultTime: defaultTime).load(bytes: Array(text.utf8), name: path)
        #expect(n == 120_300)
        #expect(n == m)
        #expect(streamed.stats == whole.stats)
        for name in ["big_requests_total", "big_requests_untimed"] {
            let matchers = [try LabelMatcher(.equal, "__name__", name)]
            let a = streamed.select(matchers, mint: .min, maxt: .max), b = whole.select(matchers, mint: .min, maxt: .max)
            #expect(a.count == 300)
            #expect(a.map(\.labels) == b.map(\.labels))
            #expect(a.map { $0.samples.count } == b.map { $0.samples.count })
            #expect(a.map { $0.samples.map(\.t) } == b.map { $0.samples.map(\.t) })
            #expect(a.map { $0.samples.map { $0.float ?? .nan } } == b.map { $0.samples.map { $0.float ?? .nan } })
        }
        let untimed = streamed.select([try LabelMatcher(.equal, "__name__", "big_requests_untimed")], mint: .min, maxt: .max)
        #expect(untimed.allSatisfy { $0.samples.map(\.t) == [defaultTime] })
        #expect(untimed.contains { $0.labels["note"] == "two\nlines" })
    }

    @Test func anErrorDeepInAStreamedTextFileIsPositioned() throws {
        let text = Self.promText(badLineAt: 100_002)
        let path = try write(text)
        let badLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(100_001).first)
        let column = try #require(badLine.range(of: "} bad ")).lowerBound.utf16Offset(in: badLine) + 3
        do {
            _ = try InputLoader(head: Head(), defaultTime: 0).load(path: path)
            Issue.record("the bad line loaded")
        } catch {
            #expect(error.line == 100_002)
            #expect(error.column == column)
            #expect(error.message.hasPrefix("strconv.ParseFloat: parsing \"bad\": invalid syntax"))
        }
    }
}
