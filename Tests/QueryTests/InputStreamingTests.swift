import Engine
import Foundation
import Query
import Testing

/// `--input` files above the streaming threshold are parsed piece by piece: the head ends up the same as
/// when the file is parsed whole, and errors keep their positions.
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
}
