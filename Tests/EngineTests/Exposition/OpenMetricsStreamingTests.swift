import Testing
import TestSupport
@testable import Engine

/// Parsing an OpenMetrics input piece by piece (`parse(reading:)`, how `--input` files stream) gives what
/// parsing it whole gives: the same metadata, samples and lines, or the same positioned error.
@Suite struct OpenMetricsStreamingTests {
    /// Everything a parse produced, as comparable text.
    struct Recorder: ExpositionSink {
        var lines: [String] = []
        var repeatedSeries = 0
        mutating func metadata(_ m: ExpositionMetadata) {
            lines.append("meta \(m.name) \(m.type?.rawValue ?? "-") \(m.help ?? "-") \(m.unit ?? "-") @\(m.line)")
        }
        mutating func sample(_ s: ExpositionSample) {
            if s.sameSeriesAsPrevious { repeatedSeries += 1 }
            let labels = s.labels.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
            let exemplar = s.exemplar.map { e in " # \(e.labels.map { "\($0.name)=\($0.value)" }) \(e.value.bitPattern) \(e.timestampMs.map(String.init) ?? "-")" } ?? ""
            lines.append("sample \(labels) \(s.value.bitPattern) \(s.timestampMs.map(String.init) ?? "-") @\(s.line)\(exemplar)")
        }
    }

    static func whole(_ bytes: [UInt8], _ options: OpenMetricsParser.Options) -> ([String], ExpositionError?) {
        var r = Recorder()
        do { try OpenMetricsParser(options: options).parse(bytes, into: &r) } catch { return (r.lines, error) }
        return (r.lines, nil)
    }

    /// Hands `bytes` over `size` bytes at a time, as `parse(reading:)` asks for them.
    final class PieceReader {
        let bytes: [UInt8]
        let size: Int
        var offset = 0
        init(_ bytes: [UInt8], size: Int) {
            self.bytes = bytes
            self.size = size
        }
        func read(_ buffer: inout [UInt8]) -> Bool {
            let end = min(bytes.count, offset + size)
            buffer.append(contentsOf: bytes[offset..<end])
            offset = end
            return offset < bytes.count
        }
    }

    static func pieces(_ bytes: [UInt8], size: Int, _ options: OpenMetricsParser.Options) -> ([String], ExpositionError?) {
        var r = Recorder()
        let reader = PieceReader(bytes, size: size)
        do { try OpenMetricsParser(options: options).parse(reading: reader.read, into: &r) } catch { return (r.lines, error) }
        return (r.lines, nil)
    }

    static let options: [OpenMetricsParser.Options] = [.init(), .init(skipCreatedSeries: true, validate: false)]

    static func expectSame(_ bytes: [UInt8], _ name: String) {
        for o in options {
            let expected = whole(bytes, o)
            for size in [1, 5, 64, 1 << 20] {
                let got = pieces(bytes, size: size, o)
                #expect(got.1 == expected.1, "\(name), pieces of \(size), validate \(o.validate)")
                #expect(got.0 == expected.0, "\(name), pieces of \(size), validate \(o.validate)")
            }
        }
    }

    @Test(.needsCorpus, arguments: OpenMetricsCorpus.cases)
    func corpusCase(_ c: OpenMetricsCorpus.Case) {
        Self.expectSame(c.bytes, c.name)
    }

    @Test(arguments: 0..<OpenMetricsUpstreamErrorTests.cases.count)
    func upstreamErrorCase(_ index: Int) {
        Self.expectSame(OpenMetricsUpstreamErrorTests.cases[index].0, "upstream error case \(index)")
    }

    @Test(arguments: [
        "a 1 1\n# EOF\n", "a 1 1\n# EOF", "a 1 1\n# EOF\nb 2\n", "a 1 1\n# EOF\n\n", "a 1 1\n# EOF\nx",
        "a 1 1\n", "a 1 1", "", "\n", "# EOF\n",
        "# TYPE c counter\nc_total{x=\"1\"} 1 1\nc_total{x=\"1\"} 2 2\nc_created{x=\"1\"} 0 2\nc_total{x=\"1\"} 3 3\n# EOF\n",
        "a{b=\"c d\"} 1 1\na{b=\"c d\"} 2 2\na{b=\"c d\"}  3 3\na{b=\"c d\"}x 3 3\n# EOF\n",
    ])
    func edgeCases(_ text: String) {
        Self.expectSame(Array(text.utf8), text)
    }

    /// A series' samples in a row are marked as repeating it; a `_created` line in between breaks the run.
    @Test func repeatedSeriesAreMarked() throws {
        var r = Recorder()
        try OpenMetricsParser(options: .init(skipCreatedSeries: true, validate: false)).parse(
            "# TYPE c counter\nc_total{x=\"1\"} 1 1\nc_total{x=\"1\"} 2 2\nc_created{x=\"1\"} 0 2\nc_total{x=\"1\"} 3 3\nc_total{x=\"2\"} 1 3\n# EOF\n",
            into: &r)
        #expect(r.lines.count == 5) // the metadata and four samples
        #expect(r.repeatedSeries == 1)
    }
}
