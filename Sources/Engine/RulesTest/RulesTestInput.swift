import GoCompat
import ConfigModel

/// A test group's input series, parsed, loaded into a head lazily as promtool's `LazyLoader` does: only
/// samples up to the evaluation time reached so far are visible.
struct RulesTestInput {
    /// One series' values, compressed: float samples in an `XORChunk` whose "timestamps" are the values' indices
    /// (a sample's time is `start + index·interval`), histogram samples apart in index order. A 6 h input at
    /// 15 s costs about a byte per sample instead of the 17 of flat time, kind and value arrays.
    private struct Sequence {
        var labels: Labels
        var floatIterator: XORChunkIterator
        /// The next float sample not appended yet (decoded ahead), as (index, value).
        var nextFloat: (index: Int64, value: Double)?
        var histograms: [(index: Int64, h: FloatHistogram)]
        var nextHistogram = 0
        var previousHistogram: FloatHistogram?
        /// The head's ref once the series exists (appending by ref skips hashing the labels).
        var ref: SeriesRef?

        init(labels: Labels, floats: XORChunk, histograms: [(index: Int64, h: FloatHistogram)]) {
            self.labels = labels
            self.histograms = histograms
            floatIterator = floats.makeIterator()
            advanceFloat()
        }

        mutating func advanceFloat() {
            nextFloat = floatIterator.next() ? (floatIterator.t, floatIterator.value) : nil
        }

        /// Index of the next value to append (float or histogram), nil when all are appended.
        var nextIndex: Int64? {
            let h = nextHistogram < histograms.count ? histograms[nextHistogram].index : nil
            guard let f = nextFloat?.index else { return h }
            guard let h else { return f }
            return min(f, h)
        }
    }

    private let startMillis: Int64
    private let intervalMillis: Int64
    private var sequences: [Sequence] = []

    /// Parses every `input_series` entry (series notation with `interval` between values, from `start`).
    /// The error is promtool's text for the first bad series.
    init(_ series: [UnitTestInputSeries], intervalMillis: Int64, startMillis: Int64, maxSamples: Int) throws(RulesTestInputError) {
        self.startMillis = startMillis
        self.intervalMillis = intervalMillis
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
            var floats = XORChunk()
            var histograms: [(index: Int64, h: FloatHistogram)] = []
            for (k, v) in parsed.values.enumerated() {
                if v.omitted { continue }
                if let h = v.histogram {
                    histograms.append((Int64(k), h.floatHistogram))
                } else {
                    floats.append(t: Int64(k), v: v.value)
                }
            }
            sequences.append(Sequence(labels: parsed.labels, floats: floats, histograms: histograms))
        }
    }

    /// The time of value `index`: `start + index·interval` (wrapping, as adding the interval value by value did).
    private func sampleTime(index: Int64) -> Int64 { startMillis &+ index &* intervalMillis }

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
            while let k = sequences[i].nextIndex {
                let t = sampleTime(index: k)
                if t > time { break }
                do throws(TSDBError) {
                    if let f = sequences[i].nextFloat, f.index == k {
                        sequences[i].advanceFloat()
                        sequences[i].previousHistogram = nil
                        if let ref = sequences[i].ref {
                            try app.append(ref: ref, t: t, v: f.value)
                        } else {
                            sequences[i].ref = try app.append(sequences[i].labels, t: t, v: f.value)
                        }
                    } else {
                        let h = sequences[i].histograms[sequences[i].nextHistogram].h
                        sequences[i].nextHistogram &+= 1
                        let stored = PromQLTestRunner.chunkHinted(h, after: sequences[i].previousHistogram)
                        sequences[i].previousHistogram = stored
                        try app.appendHistogram(sequences[i].labels, t: t, h: stored)
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
