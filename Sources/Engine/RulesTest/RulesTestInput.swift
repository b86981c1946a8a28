import GoCompat
import ConfigModel

/// A test group's input series, parsed, loaded into a head lazily as promtool's `LazyLoader` does: only
/// samples up to the evaluation time reached so far are visible.
struct RulesTestInput {
    /// One series' values in flat arrays (no enum payloads to retain while appending in the hot loop).
    private struct Sequence {
        static let omitted: UInt8 = 0, float: UInt8 = 1, histogram: UInt8 = 2
        var labels: Labels
        var times: [Int64]
        var kinds: [UInt8]
        var floats: [Double]
        /// Histogram values by index.
        var histograms: [Int: FloatHistogram]
        var next = 0
        var previousHistogram: FloatHistogram?
        /// The head's ref once the series exists (appending by ref skips hashing the labels).
        var ref: SeriesRef?
    }

    private var sequences: [Sequence] = []

    /// Parses every `input_series` entry (series notation with `interval` between values, from `start`).
    /// The error is promtool's text for the first bad series.
    init(_ series: [UnitTestInputSeries], intervalMillis: Int64, startMillis: Int64, maxSamples: Int) throws(RulesTestInputError) {
        var total = 0
        for s in series {
            total = total.addingReportingOverflow(Self.expansionSize(s.values.value)).partialValue
            if total > maxSamples || total < 0 {
                throw RulesTestInputError(message: "input series \(goQuote(s.series.value)): the values expand to more than \(maxSamples) samples in this test group",
                                          mark: s.values.mark)
            }
            // promtool loads `series values` lines; its parse errors count lines within that line only (the
            // line offset it sets is lost on the error list), so every position reads `1:COL`.
            let line = s.series.value + " " + s.values.value
            let parsed: (labels: Labels, values: [SeriesValue])
            do {
                parsed = try SeriesDescriptionParser.parse(line, lineNumber: 1)
            } catch {
                throw RulesTestInputError(message: error.message, mark: s.mark)
            }
            var times: [Int64] = [], kinds: [UInt8] = [], floats: [Double] = []
            var histograms: [Int: FloatHistogram] = [:]
            times.reserveCapacity(parsed.values.count)
            kinds.reserveCapacity(parsed.values.count)
            floats.reserveCapacity(parsed.values.count)
            var t = startMillis
            for (k, v) in parsed.values.enumerated() {
                times.append(t)
                t = t.addingReportingOverflow(intervalMillis).partialValue
                if v.omitted {
                    kinds.append(Sequence.omitted)
                    floats.append(0)
                } else if let h = v.histogram {
                    kinds.append(Sequence.histogram)
                    floats.append(0)
                    histograms[k] = h.floatHistogram
                } else {
                    kinds.append(Sequence.float)
                    floats.append(v.value)
                }
            }
            sequences.append(Sequence(labels: parsed.labels, times: times, kinds: kinds, floats: floats, histograms: histograms))
        }
    }

    /// An upper bound on the number of values a `values` string expands to (before parsing it).
    static func expansionSize(_ values: String) -> Int {
        var total = 0
        for token in values.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            var n = 1
            if let x = token.lastIndex(of: "x") {
                let digits = token[token.index(after: x)...]
                if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    n = (Int(digits) ?? Int.max / 2).addingReportingOverflow(1).partialValue
                }
            }
            total = total.addingReportingOverflow(n).partialValue
            if total < 0 { return Int.max }
        }
        return total
    }

    /// Appends every sample with a timestamp up to `time` not appended yet. Returns the first append error.
    mutating func append(until time: Int64, to head: Head) -> String? {
        var app = head.appender()
        var failure: String? = nil
        for i in sequences.indices {
            while sequences[i].next < sequences[i].times.count {
                let k = sequences[i].next
                let t = sequences[i].times[k]
                if t > time { break }
                sequences[i].next = k &+ 1
                let kind = sequences[i].kinds[k]
                if kind == Sequence.omitted { continue }
                do throws(TSDBError) {
                    if kind == Sequence.histogram, let h = sequences[i].histograms[k] {
                        let stored = PromQLTestRunner.chunkHinted(h, after: sequences[i].previousHistogram)
                        sequences[i].previousHistogram = stored
                        try app.appendHistogram(sequences[i].labels, t: t, h: stored)
                    } else {
                        sequences[i].previousHistogram = nil
                        let v = sequences[i].floats[k]
                        if let ref = sequences[i].ref {
                            try app.append(ref: ref, t: t, v: v)
                        } else {
                            sequences[i].ref = try app.append(sequences[i].labels, t: t, v: v)
                        }
                    }
                } catch {
                    if failure == nil { failure = error.description }
                }
            }
        }
        app.commit()
        return failure
    }
}

/// A bad input series: promtool's text and the entry's position.
struct RulesTestInputError: Error {
    var message: String
    var mark: Mark
}
