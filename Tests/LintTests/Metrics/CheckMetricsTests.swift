import Foundation
import Testing
import TestSupport
@testable import Lint

@Suite struct CheckMetricsTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/promtool/metrics-test.prom")

    static func input() throws -> [UInt8] { [UInt8](try Data(contentsOf: corpus)) }

    @Test(.needsCorpus) func corpusFileIsClean() throws {
        let out = CheckMetrics().run(try Self.input())
        #expect(out == CheckMetrics.Output(stdout: "", stderr: "", exitCode: 0))
    }

    @Test(.needsCorpus) func corpusFileExtendedTable() throws {
        let out = CheckMetrics(extended: true).run(try Self.input())
        let expected = """
        Metric                                         Cardinality    Percentage    
        prometheus_tsdb_compaction_chunk_size_bytes    15             55.56%        
        go_gc_duration_seconds                         7              25.93%        
        net_conntrack_dialer_conn_attempted_total      4              14.81%        
        go_info                                        1              3.70%         
        Total                                          27             100%          

        """
        #expect(out.stdout == expected)
        #expect(out.stderr == "")
        #expect(out.exitCode == 0)
    }

    @Test func lintNoneWithoutExtendedIsAnError() {
        let out = CheckMetrics(extended: false, lint: "none").run(Array("a 1\n".utf8))
        #expect(out.exitCode == 1)
        #expect(out.stderr == "error: at least one of --extended or linting must be enabled\nUse --extended for cardinality analysis, or remove --lint=none to enable linting\n")
    }

    @Test func lintNoneWithExtendedSkipsLinting() {
        let out = CheckMetrics(extended: true, lint: "none").run(Array("fooBar 1\n".utf8))
        #expect(out.exitCode == 0)
        #expect(out.stderr == "")
        #expect(out.stdout.hasPrefix("Metric    Cardinality    Percentage    \nfooBar    1              100.00%       \n"))
    }

    @Test func lintProblemsExitThreeAndStillPrintTable() {
        let out = CheckMetrics(extended: true).run(Array("http_requests 1\n".utf8))
        #expect(out.exitCode == 3)
        #expect(out.stderr == "http_requests no help text\n")
        #expect(out.stdout.contains("http_requests    1              100.00%"))
    }

    @Test(arguments: [
        ("a 1\na x\n", "text format parsing error in line 2: expected float as value, got \"x\""),
        ("a{b=\"c\" 1\n", "text format parsing error in line 1: unexpected end of label value \"c\""),
        ("a 1", "text format parsing error in line 1: unexpected end of input stream"),
        ("# TYPE a foo\na 1\n", "text format parsing error in line 1: unknown metric type \"foo\""),
        ("a{b=\"c\",b=\"d\"} 1\n", "text format parsing error in line 1: duplicate label names for metric \"a\""),
        ("# HELP a x\n# HELP a y\n", "text format parsing error in line 2: second HELP line for metric name \"a\""),
        ("a 1\n# TYPE a gauge\n", "text format parsing error in line 2: second TYPE line for metric name \"a\", or TYPE reported after samples"),
        ("a 1 2 \n", "text format parsing error in line 1: spurious string after timestamp: \" \""),
        ("a 1 \n", "text format parsing error in line 1: expected integer as timestamp, got \"\""),
        ("\u{7F} garbage\n", "text format parsing error in line 1: invalid metric name"),
        ("# HELP a h\\t\n", "text format parsing error in line 1: invalid escape sequence '\\t'"),
        ("# TYPE s summary\ns{quantile=\"x\"} 1\n", "text format parsing error in line 2: expected float as value for 'quantile' label, got \"x\""),
        ("a{__name__=\"b\"} 1\n", "text format parsing error in line 1: label name \"__name__\" is reserved"),
        ("a{b=\"c\"} 1 1 1\n", "text format parsing error in line 1: spurious string after timestamp: \" 1\""),
        ("a\n", "text format parsing error in line 1: expected float as value, got \"\""),
        ("{\"a\", \"b\"} 1\n", "text format parsing error in line 1: multiple metric names for metric \"a\""),
    ] as [(String, String)])
    func parseErrorsMatchGo(_ input: String, _ message: String) {
        let out = CheckMetrics().run(Array(input.utf8))
        #expect(out.exitCode == 1)
        #expect(out.stderr == "error while linting: \(message)\n")
        let ext = CheckMetrics(extended: true, lint: "none").run(Array(input.utf8))
        #expect(ext.exitCode == 1)
        #expect(ext.stderr == "error while parsing text to metric families: \(message)\n")
    }

    @Test func invalidUTF8LabelValue() {
        let out = CheckMetrics().run(Array("a{b=\"".utf8) + [0xFF] + Array("\"} 1\n".utf8))
        #expect(out.stderr == "error while linting: text format parsing error in line 1: invalid label value \"\\xff\"\n")
    }

    @Test func quotedNameInBracesIsUntyped() throws {
        let fams = try MetricFamilyTextParser().parse(Array("{\"a.b\", c=\"d\"} 1\n".utf8))
        #expect(fams.count == 1)
        #expect(fams[0].name == "a.b")
        #expect(fams[0].type == .untyped)
        #expect(fams[0].metrics[0].labels == [MetricFamilyLabel("c", "d")])
    }

    @Test func histogramAndSummaryCardinality() throws {
        let text = """
        # HELP h h
        # TYPE h histogram
        h_bucket{x="1",le="1"} 1
        h_bucket{x="1",le="+Inf"} 1
        h_sum{x="1"} 1
        h_count{x="1"} 1
        h_bucket{x="2",le="1"} 1
        h_bucket{x="2",le="+Inf"} 1
        # HELP s s
        # TYPE s summary
        s{quantile="0.5"} 1
        s_sum 1
        s_count 1

        """
        let fams = try MetricFamilyTextParser().parse(Array(text.utf8))
        let c = MetricsCardinality(families: fams)
        #expect(c.stats.map(\.name) == ["h", "s"])
        #expect(c.stats.map(\.cardinality) == [8, 3])
        #expect(c.total == 11)
    }

    @Test func emptyInputPrintsOnlyHeaderAndTotal() {
        let out = CheckMetrics(extended: true).run([])
        #expect(out.exitCode == 0)
        #expect(out.stdout == "Metric    Cardinality    Percentage    \nTotal     0              100%          \n")
    }

    @Test func largeFamiliesAndLabelSetsStayLinear() {
        var bytes = Array("# HELP big h\n# TYPE big gauge\n".utf8)
        for i in 0..<100_000 { bytes += Array("big{i=\"\(i % 50_000)\"} 1\n".utf8) }
        let out = CheckMetrics().run(bytes)
        #expect(out.exitCode == 3)
        #expect(out.stderr.split(separator: "\n").count == 50_000)
        let labels = (0..<50_000).map { "l\($0)=\"v\"" }.joined(separator: ",")
        let dup = CheckMetrics().run(Array("a{\(labels),l7=\"x\"} 1\n".utf8))
        #expect(dup.stderr == "error while linting: text format parsing error in line 1: duplicate label names for metric \"a\"\n")
    }

    @Test func hugeInputDoesNotCrash() {
        var bytes: [UInt8] = []
        for i in 0..<20000 { bytes += Array("# HELP m\(i) h\nm\(i){x=\"\(i)\"} \(i)\n".utf8) }
        let out = CheckMetrics().run(bytes)
        #expect(out.exitCode == 0)
        let garbage = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2654435761) }
        #expect(CheckMetrics().run(garbage).exitCode == 1)
    }
}

/// Mutated and random inputs never crash the Go-compatible parser; errors carry a line within the input.
@Suite struct MetricFamilyTextParserRobustnessTests {
    @Test(.needsCorpus) func mutations() throws {
        let base = try CheckMetricsTests.input() + Array("{\"u.tf8\", \"la.bel\"=\"v\"} 1\n# HELP x \\\\ \\n\nx{a=\"\\\"\"} 1 2\n".utf8)
        var rng = TestRNG(seed: 99)
        let interesting: [UInt8] = Array("{}\",=# \n\\\t0aE+-._:".utf8) + [0, 0xFF, 0xC3]
        for round in 0..<2000 {
            var m = base
            for _ in 0..<(1 + Int(rng.next() % 3)) {
                guard !m.isEmpty else { break }
                let pos = Int(rng.next() % UInt64(m.count))
                switch rng.next() % 3 {
                case 0: m[pos] = interesting[Int(rng.next() % UInt64(interesting.count))]
                case 1: m.remove(at: pos)
                default: m.insert(interesting[Int(rng.next() % UInt64(interesting.count))], at: pos)
                }
            }
            let lines = m.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            do {
                _ = try MetricFamilyTextParser().parse(m)
            } catch {
                #expect(error.line >= 1 && error.line <= lines, "round \(round): \(error)")
            }
            _ = CheckMetrics(extended: true).run(m)
        }
    }

    @Test func randomBytes() {
        var rng = TestRNG(seed: 5)
        for _ in 0..<300 {
            let bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let out = CheckMetrics(extended: true).run(bytes)
            #expect([0, 1, 3].contains(out.exitCode))
        }
    }
}
