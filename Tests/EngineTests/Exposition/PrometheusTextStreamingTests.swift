import ConfigModel
import Testing
import TestSupport
@testable import Engine

/// Parsing a Prometheus text-format input piece by piece (`parse(reading:)`, how large `--input` files
/// stream) gives what parsing it whole gives: the same metadata, samples and lines, or the same positioned
/// error, however the pieces fall, including records whose quoted strings hold raw line breaks.
@Suite struct PrometheusTextStreamingTests {
    typealias Recorder = OpenMetricsStreamingTests.Recorder

    static func whole(_ bytes: [UInt8]) -> ([String], ExpositionError?) {
        var r = Recorder()
        do { try PrometheusTextParser().parse(bytes, into: &r) } catch { return (r.lines, error) }
        return (r.lines, nil)
    }

    static func pieces(_ bytes: [UInt8], size: Int) -> ([String], ExpositionError?) {
        var r = Recorder()
        let reader = OpenMetricsStreamingTests.PieceReader(bytes, size: size)
        do { try PrometheusTextParser().parse(reading: reader.read, into: &r) } catch { return (r.lines, error) }
        return (r.lines, nil)
    }

    static func expectSame(_ bytes: [UInt8], _ name: String) {
        let expected = whole(bytes)
        for size in [1, 2, 7, 64, 1 << 20] {
            let got = pieces(bytes, size: size)
            #expect(got.1 == expected.1, "\(name), pieces of \(size)")
            #expect(got.0 == expected.0, "\(name), pieces of \(size)")
        }
    }

    @Test(arguments: 0..<PrometheusTextParserUpstreamErrorTests.cases.count)
    func upstreamCase(_ index: Int) {
        Self.expectSame(PrometheusTextParserUpstreamErrorTests.cases[index].input, "upstream case \(index)")
    }

    @Test(.needsCorpus, arguments: ["dump-test-1.prom", "dump-series-1.prom", "metrics-test.prom",
                                    "dump-openmetrics-roundtrip-test.prom"])
    func corpusFile(_ name: String) throws {
        let bytes = try FileSystem.readFile(SharedFiles.corpus + "/promtool/" + name).get()
        Self.expectSame(bytes, name)
    }

    @Test(arguments: [
        "a 1\nb 2\n", "a 1", "", "\n", "\n\n a 1\n\n", "a 1\n# comment \"with\n quote\nb 2\n",
        // Quoted strings holding raw line breaks, in label values, quoted names and `# HELP`/`# TYPE`.
        "a{b=\"x\ny\"} 1\nc 2\n", "a{\"my.metric\nname\", b=\"c\"} 1 5\nd 3\n",
        "# HELP \"a.b\nc\" help\n# TYPE \"a.b\nc\" gauge\n{\"a.b\nc\"} 1\n",
        "a{b=\"\\\"\n\\\\\"} 1\nc{d=\"}\"} 2\n",
        // Metadata of one metric in consecutive comment lines stays merged.
        "# HELP a h\n# TYPE a gauge\na 1\n# TYPE b counter\n# HELP c x\nc 2\n",
        // Errors after line breaks inside quotes, and unterminated quotes.
        "a{b=\"x\ny\"} 1\nc{d=e} 2\n", "a 1\nb{c=\"unterminated\n\nd 2\n", "a 1\n# HELP \"unterminated\nx 1\n",
        "a{b=\"c\"\n} 1\n", "a 1 2 3\nb 1\n",
    ])
    func edgeCase(_ text: String) {
        Self.expectSame(Array(text.utf8), text)
    }

    /// A generated input of many records, some with multi-line label values, read in uneven pieces.
    @Test func generatedInputInUnevenPieces() {
        var text = "# HELP gen Generated.\n# TYPE gen gauge\n"
        for i in 0..<2_000 {
            text += i % 7 == 0 ? "gen{i=\"\(i)\",note=\"line\nbreak \\\" here\"} \(i) \(i * 1000)\n"
                               : "gen{i=\"\(i)\"} \(Double(i) / 3)\n"
            if i % 100 == 0 { text += "# a comment\n\n" }
        }
        let bytes = Array(text.utf8)
        let expected = Self.whole(bytes)
        #expect(expected.1 == nil)
        #expect(expected.0.count == 2_001)
        for size in [3, 17, 1000, 4093] {
            let got = Self.pieces(bytes, size: size)
            #expect(got.1 == nil)
            #expect(got.0 == expected.0, "pieces of \(size)")
        }
    }
}
