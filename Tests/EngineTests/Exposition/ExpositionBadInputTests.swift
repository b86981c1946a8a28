import Testing
import TestSupport
@testable import Engine
import TestSupport

/// Hostile inputs: every parser must either report a positioned error or parse correctly, never crash.
@Suite struct ExpositionBadInputTests {
    enum Outcome { case parsed(Int), failed(ExpositionError) }

    static func run(_ format: ExpositionFormat, _ bytes: [UInt8]) -> Outcome {
        var sink = CountingSink()
        do {
            try format.parse(bytes, into: &sink)
            return .parsed(sink.samples)
        } catch {
            return .failed(error)
        }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    func expectPositioned(_ o: Outcome, _ bytes: [UInt8], _ what: String) {
        if case .failed(let e) = o {
            #expect(e.line >= 1 && e.line <= Self.lineCount(bytes), "\(what): line out of range: \(e)")
            #expect(e.column >= 1, "\(what): column out of range: \(e)")
            #expect(!e.message.isEmpty)
        }
    }

    @Test(arguments: ExpositionFormat.allCases)
    func binaryGarbage(_ format: ExpositionFormat) {
        var rng = TestRNG(seed: 42)
        for round in 0..<200 {
            let len = Int(rng.next() % 512)
            let bytes = (0..<len).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let o = Self.run(format, bytes)
            expectPositioned(o, bytes, "round \(round)")
        }
        // One large random blob must fail (not parse) for both formats.
        let blob = (0..<1_000_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let o = Self.run(format, blob)
        guard case .failed(let e) = o else {
            Issue.record("1 MB of random bytes parsed")
            return
        }
        expectPositioned(o, blob, "1 MB blob: \(e)")
    }

    @Test(arguments: ExpositionFormat.allCases)
    func mutatedValidInputs(_ format: ExpositionFormat) {
        let base: String
        switch format {
        case .prometheusText:
            base = """
            # HELP a_total Help \\n text.
            # TYPE a_total counter
            a_total{x="1",y="a\\"b"} 1 1700000000000
            {"u.tf8", "la.bel"="v"} +Inf
            h_bucket{le="+Inf"} 3

            """
        case .openMetrics:
            base = """
            # TYPE a counter
            # HELP a Help.
            a_total{x="1"} 1 1.5 # {t="x"} 2 3
            # TYPE h histogram
            h_bucket{le="1"} 1
            h_bucket{le="+Inf"} 3
            h_count 3
            h_sum 2
            # EOF

            """
        }
        let bytes = Array(base.utf8)
        var rng = TestRNG(seed: 7)
        let interesting: [UInt8] = Array("{}\",=# \n\\\t0aE+-.".utf8) + [0, 0xFF, 0xC3, 0xA9]
        for round in 0..<3000 {
            var m = bytes
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                guard !m.isEmpty else { break }
                let pos = Int(rng.next() % UInt64(m.count))
                switch rng.next() % 3 {
                case 0: m[pos] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: m.remove(at: pos)
                default: m.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: pos)
                }
            }
            expectPositioned(Self.run(format, m), m, "mutation round \(round)")
        }
    }

    @Test(arguments: ExpositionFormat.allCases)
    func invalidUTF8IsRejectedWithPosition(_ format: ExpositionFormat) {
        let tail: [UInt8] = format == .openMetrics ? Array("\n# EOF\n".utf8) : [0x0A]
        let inputs: [[UInt8]] = [
            Array("a{b=\"".utf8) + [0xC3, 0x28] + Array("\"} 1".utf8) + tail,
            Array("# HELP a ".utf8) + [0xFF] + tail,
        ]
        for input in inputs {
            let o = Self.run(format, input)
            guard case .failed(let e) = o else {
                Issue.record("invalid UTF-8 accepted: \(input)")
                continue
            }
            #expect(e.line == 1, "\(e)")
            expectPositioned(o, input, "utf8")
        }
    }

    @Test(arguments: ExpositionFormat.allCases)
    func oneMegabyteLabelValue(_ format: ExpositionFormat) throws {
        let big = String(repeating: "x", count: 1 << 20)
        var text = "# TYPE a gauge\na{b=\"\(big)\"} 1\n"
        if format == .openMetrics { text += "# EOF\n" }
        var sink = CollectingSink()
        try format.parse(Array(text.utf8), into: &sink)
        #expect(sink.samples.count == 1)
        #expect(sink.samples.first?.labels.last?.value.utf8.count == 1 << 20)
        // Unterminated: positioned error on line 2.
        let broken = Array("# TYPE a gauge\na{b=\"\(big)} 1\n".utf8)
        if case .failed(let e) = Self.run(format, broken) {
            #expect(e.line == 2)
        } else {
            Issue.record("unterminated 1 MB label value accepted")
        }
    }

    @Test(arguments: ExpositionFormat.allCases)
    func hundredThousandLabelsOnOneLine(_ format: ExpositionFormat) throws {
        let labels = (0..<100_000).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let eof = format == .openMetrics ? "# EOF\n" : ""
        var sink = CollectingSink()
        try format.parse(Array("a{\(labels)} 1\n\(eof)".utf8), into: &sink)
        #expect(sink.samples.first?.labels.count == 100_001)
        // The same with a repeated name at the end: a positioned error, found without quadratic work.
        let dupe = Array("a{\(labels),l5=\"w\"} 1\n\(eof)".utf8)
        guard case .failed(let e) = Self.run(format, dupe) else {
            Issue.record("duplicate label accepted")
            return
        }
        #expect(e.line == 1)
        #expect(e.message == "duplicate label name \"l5\"")
    }

    @Test(arguments: ExpositionFormat.allCases)
    func fiftyMegabytes(_ format: ExpositionFormat) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(52 << 20)
        var samples = 0
        var family = 0
        while bytes.count < 50 << 20 {
            let name = "family_\(family)"
            bytes += Array("# HELP \(name) Help text for \(family).\n# TYPE \(name) counter\n".utf8)
            for i in 0..<500 {
                let ts = format == .openMetrics ? "1700000000.\(i % 1000)" : "17000000\(i % 1000)"
                let series = format == .openMetrics ? name + "_total" : name
                bytes += Array("\(series){instance=\"host-\(i).example.com:9100\",job=\"node\",code=\"200\"} \(i).25 \(ts)\n".utf8)
                samples += 1
            }
            family += 1
        }
        if format == .openMetrics { bytes += Array("# EOF\n".utf8) }
        var sink = CountingSink()
        try format.parse(bytes, into: &sink)
        #expect(sink.samples == samples)
        #expect(sink.families == family)
        // A fault at the very end is reported on the last line.
        var broken = bytes
        if format == .openMetrics { broken.removeLast(6) }
        broken += Array("oops{ 1\n".utf8)
        if format == .openMetrics { broken += Array("# EOF\n".utf8) }
        guard case .failed(let e) = Self.run(format, broken) else {
            Issue.record("broken tail accepted")
            return
        }
        #expect(e.line == Self.lineCount(bytes) - (format == .openMetrics ? 1 : 0), "\(e)")
    }
}

@Suite struct ExpositionErrorSizeTests {
    @Test(arguments: ExpositionFormat.allCases)
    func longLinesGiveBoundedMessages(_ format: ExpositionFormat) {
        let big = String(repeating: "x", count: 1 << 20)
        var sink = CountingSink()
        do {
            try format.parse(Array("a{b=\"\(big)\"} 1 zz\n".utf8), into: &sink)
            Issue.record("accepted")
        } catch {
            #expect(error.message.utf8.count < 10_000, "\(error.message.utf8.count) bytes")
            #expect(error.line == 1)
        }
    }
}
