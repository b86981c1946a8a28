import GoCompat

/// A native histogram written in a series description: `{{schema:0 sum:5 count:4 buckets:[1 2 1]}}`.
public struct HistogramLiteral: Sendable, Hashable {
    public var schema: Int64 = 0
    public var sum: Double = 0
    public var count: Double = 0
    /// `z_bucket`: observations in the zero bucket.
    public var zeroCount: Double = 0
    /// `z_bucket_w`: the zero bucket's threshold.
    public var zeroThreshold: Double = 0
    /// `buckets` with their starting index `offset`.
    public var positiveBuckets: [Double] = []
    public var positiveOffset: Int64 = 0
    /// `n_buckets` with `n_offset`.
    public var negativeBuckets: [Double] = []
    public var negativeOffset: Int64 = 0
    /// `custom_values` (bucket bounds of custom-bucket histograms).
    public var customValues: [Double] = []
    /// `counter_reset_hint`: `unknown`, `reset`, `not_reset` or `gauge`; nil when not written.
    public var counterResetHint: String?
    /// The histogram a `base+incrementxN` step stands for, once computed with histogram arithmetic
    /// (see `SeriesValue.resolvingHistogramSteps`); nil for a literal as written.
    public internal(set) var resolved: FloatHistogram?

    public init() {}

    /// The native histogram this literal describes (`resolved` when set); bucket lists are absolute counts.
    public var floatHistogram: FloatHistogram {
        if let resolved { return resolved }
        var h = FloatHistogram(schema: Int32(clamping: schema), zeroThreshold: zeroThreshold, zeroCount: zeroCount, count: count, sum: sum)
        if !positiveBuckets.isEmpty {
            h.positiveSpans = [FloatHistogram.Span(offset: Int32(clamping: positiveOffset), length: UInt32(clamping: positiveBuckets.count))]
            h.positiveBuckets = positiveBuckets
        }
        if !negativeBuckets.isEmpty {
            h.negativeSpans = [FloatHistogram.Span(offset: Int32(clamping: negativeOffset), length: UInt32(clamping: negativeBuckets.count))]
            h.negativeBuckets = negativeBuckets
        }
        h.customValues = customValues
        switch counterResetHint {
        case "gauge": h.counterResetHint = .gauge
        case "reset": h.counterResetHint = .counterReset
        case "not_reset": h.counterResetHint = .notCounterReset
        default: h.counterResetHint = .unknown
        }
        return h
    }

    public static func == (a: HistogramLiteral, b: HistogramLiteral) -> Bool {
        a.schema == b.schema && a.sum.bitPattern == b.sum.bitPattern && a.count.bitPattern == b.count.bitPattern
            && a.zeroCount.bitPattern == b.zeroCount.bitPattern && a.zeroThreshold.bitPattern == b.zeroThreshold.bitPattern
            && a.positiveBuckets.map(\.bitPattern) == b.positiveBuckets.map(\.bitPattern) && a.positiveOffset == b.positiveOffset
            && a.negativeBuckets.map(\.bitPattern) == b.negativeBuckets.map(\.bitPattern) && a.negativeOffset == b.negativeOffset
            && a.customValues.map(\.bitPattern) == b.customValues.map(\.bitPattern) && a.counterResetHint == b.counterResetHint
            && a.resolved == b.resolved
    }

    public func hash(into h: inout Hasher) {
        h.combine(schema)
        h.combine(sum.bitPattern)
        h.combine(count.bitPattern)
        h.combine(positiveBuckets.count)
        h.combine(counterResetHint)
    }
}

/// One sample of an expanded series description.
public enum SeriesValue: Sendable, Hashable {
    /// `_`: no sample at this step.
    case omitted
    /// A float sample (`stale` is the staleness marker NaN, bit pattern 0x7ff0000000000002).
    case float(Double)
    /// A histogram sample (boxed, so that float sequences stay small and repeats share one literal).
    indirect case histogram(HistogramLiteral)
    /// Sample `index` of `base+incrementxN` (or `base-incrementxN` when `subtract`): base ± index·increment,
    /// left to the histogram arithmetic of the consumer.
    indirect case histogramStep(base: HistogramLiteral, increment: HistogramLiteral, index: Int, subtract: Bool)

    public static func == (a: SeriesValue, b: SeriesValue) -> Bool {
        switch (a, b) {
        case (.omitted, .omitted): return true
        case let (.float(x), .float(y)): return x.bitPattern == y.bitPattern
        case let (.histogram(x), .histogram(y)): return x == y
        case let (.histogramStep(b1, i1, n1, s1), .histogramStep(b2, i2, n2, s2)):
            return b1 == b2 && i1 == i2 && n1 == n2 && s1 == s2
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .omitted: h.combine(0)
        case .float(let v): h.combine(v.bitPattern)
        case .histogram(let x): h.combine(x)
        case .histogramStep(let b, _, let n, _):
            h.combine(b)
            h.combine(n)
        }
    }

    /// Prometheus's staleness marker.
    public static let staleNaN = Double(bitPattern: 0x7FF0_0000_0000_0002)

    /// Whether this is `_` (no sample).
    public var omitted: Bool {
        if case .omitted = self { return true }
        return false
    }

    /// The float sample (0 for omitted values and histograms).
    public var value: Double {
        if case .float(let v) = self { return v }
        return 0
    }

    /// The histogram sample, nil for floats and omitted values. A step not yet resolved is computed here
    /// (cost grows with its index; resolve whole sequences with `resolvingHistogramSteps`); nil when its
    /// arithmetic fails.
    public var histogram: HistogramLiteral? {
        switch self {
        case .omitted, .float: return nil
        case .histogram(let h): return h
        case .histogramStep:
            return (try? Self.resolvingHistogramSteps([self]))?.first?.histogram
        }
    }

    /// The sequence with every `histogramStep` replaced by the histogram it stands for, computed as upstream's
    /// series-description parser does: the increment added to (or subtracted from) the running histogram once
    /// per step. Throws the message of a failed combination (`error combining histograms: …`).
    public static func resolvingHistogramSteps(_ values: [SeriesValue]) throws(HistogramStepError) -> [SeriesValue] {
        var out: [SeriesValue] = []
        out.reserveCapacity(values.count)
        // The run being expanded: its base, increment, direction, last index and running histogram.
        var run: (base: HistogramLiteral, increment: HistogramLiteral, subtract: Bool, index: Int, current: FloatHistogram)?
        for v in values {
            guard case .histogramStep(let base, let inc, let index, let subtract) = v else {
                out.append(v)
                run = nil
                continue
            }
            var current: FloatHistogram
            var from: Int
            if let r = run, r.index < index, r.subtract == subtract, r.base == base, r.increment == inc {
                current = r.current
                from = r.index
            } else {
                current = base.floatHistogram
                from = 0
            }
            let step = inc.floatHistogram
            while from < index {
                if current.schema > step.schema && !current.usesCustomBuckets {
                    throw HistogramStepError(message: "error combining histograms: cannot merge from schema \(step.schema) to \(current.schema)")
                }
                do {
                    if subtract { _ = try current.sub(step, reconcileCustomBounds: true) } else { _ = try current.add(step, reconcileCustomBounds: true) }
                } catch {
                    throw HistogramStepError(message: "error combining histograms: \(error)")
                }
                from += 1
            }
            var lit = base
            lit.resolved = current
            out.append(.histogram(lit))
            run = (base, inc, subtract, index, current)
        }
        return out
    }
}

/// A `base+incrementxN` histogram expansion whose arithmetic failed.
public struct HistogramStepError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension PromQLParser {
    /// Parses a metric with its labels (`name{a="b"}`), as Prometheus's `ParseMetric`.
    public static func parseMetric(_ input: String) throws(PromQLParseError) -> Labels {
        let bytes = Array(input.utf8)
        var p = SeriesParser(bytes)
        do {
            let labels = try p.parseMetric()
            try p.expectEnd()
            return labels
        } catch {
            throw p.error()
        }
    }

    /// Parses a vector selector and returns its matchers (name matcher last), as `ParseMetricSelector`.
    public static func parseMetricSelector(_ input: String) throws(PromQLParseError) -> [LabelMatcher] {
        let bytes = Array(input.utf8)
        var p = Parser(bytes, ParserOptions())
        guard let vs = p.parseSelectorOnly(), p.errors.isEmpty else { throw p.makeError() }
        return vs.matchers
    }

    /// Parses a series description (`metric{labels} 1+2x3 _ stale {{schema:0 count:1}}x2`) as promtool's
    /// unit tests and PromQL test scripts write them, expanding the value notation.
    public static func parseSeriesDescription(_ input: String) throws(PromQLParseError) -> (labels: Labels, values: [SeriesValue]) {
        let bytes = Array(input.utf8)
        var p = SeriesParser(bytes)
        do {
            let labels = try p.parseMetric()
            let values = try p.parseValues()
            if !p.errors.isEmpty { throw SeriesParser.Failure() }
            return (labels, values)
        } catch {
            throw p.error()
        }
    }
}

extension Parser {
    /// `START_METRIC_SELECTOR vector_selector EOF`.
    mutating func parseSelectorOnly() -> VectorSelector? {
        parseSelectorEntry()
    }
}

/// Parser for metrics and series descriptions (Prometheus's `START_METRIC` / `START_SERIES_DESCRIPTION`).
struct SeriesParser {
    let input: [UInt8]
    var pos = 0
    var errors: [(PositionRange, String)] = []

    init(_ input: [UInt8]) { self.input = input }

    struct Failure: Error {}

    func error() -> PromQLParseError {
        let items = errors.isEmpty ? [(PositionRange(start: 0, end: 0), "unexpected error")] : errors
        return PromQLParseError(errors: items.map { PromQLParseErrorItem(position: $0.0, message: $0.1, input: input) })
    }

    private mutating func fail(_ at: Int, _ end: Int, _ msg: String) -> Failure {
        errors.append((PositionRange(start: at, end: end), msg))
        return Failure()
    }

    private var peekByte: UInt8? { pos < input.count ? input[pos] : nil }

    private func text(_ a: Int, _ b: Int) -> String { String(decoding: input[a..<b], as: UTF8.self) }

    /// A token description for "unexpected" messages in label sets.
    private func describe(_ start: Int) -> (String, Int) {
        guard start < input.count else { return ("end of input", start) }
        let c = input[start]
        if PromQLLexer.isAlpha(c) {
            var e = start
            while e < input.count && PromQLLexer.isAlphaNumeric(input[e]) { e += 1 }
            return ("identifier " + GoQuote.quote(text(start, e)), e)
        }
        if c == 0x22 || c == 0x27 || c == 0x60 {
            var e = start + 1
            while e < input.count && input[e] != c {
                if input[e] == 0x5C && c != 0x60 { e += 1 }
                e += 1
            }
            let end = Swift.min(e + 1, input.count)
            let v = text(start, end)
            return ("string " + (end - start > 10 ? GoQuote.quoteTruncated(v) + "..." : GoQuote.quote(v)), end)
        }
        let (r, w) = PromQLLexer.decodeRune(input, start)
        var s = ""
        if let u = Unicode.Scalar(r) { s.unicodeScalars.append(u) }
        return (GoQuote.quote(s), start + Swift.max(w, 1))
    }

    private mutating func unexpected(_ at: Int, _ context: String, _ expected: String) -> Failure {
        let (d, end) = describe(at)
        var msg = "unexpected " + d
        if !context.isEmpty { msg += " in " + context }
        if !expected.isEmpty { msg += ", expected " + expected }
        return fail(at, end, msg)
    }

    private mutating func skipSpaces() {
        while let c = peekByte, PromQLLexer.isSpace(c) { pos += 1 }
    }

    /// Reads a quoted string token at `pos`; returns its unquoted value.
    private mutating func readString() throws(Failure) -> String {
        let start = pos
        let q = input[pos]
        pos += 1
        while true {
            guard pos < input.count else {
                throw fail(start, input.count, q == 0x60 ? "unterminated raw string" : "unterminated quoted string")
            }
            let c = input[pos]
            if c == q {
                pos += 1
                break
            }
            if c == 0x0A && q != 0x60 { throw fail(start, input.count, "unterminated quoted string") }
            if c == 0x5C && q != 0x60 { pos += 1 }
            pos += 1
        }
        guard let s = GoQuote.unquote(input[start..<Swift.min(pos, input.count)]) else {
            throw fail(start, pos, "error unquoting string " + GoQuote.quote(text(start, Swift.min(pos, input.count))) + ": invalid syntax")
        }
        return s
    }

    /// `metric: metric_identifier label_set | label_set`.
    mutating func parseMetric() throws(Failure) -> Labels {
        skipSpaces()
        var pairs: [(String, String)] = []
        var name: String?
        if let c = peekByte, PromQLLexer.isAlpha(c) || c == 0x3A {
            let s = pos
            while let d = peekByte, PromQLLexer.isAlphaNumeric(d) || d == 0x3A { pos += 1 }
            name = text(s, pos)
        }
        if peekByte == 0x7B {
            pos += 1
            try parseLabelSet(&pairs)
        }
        var dict: [(String, String)] = pairs
        if let n = name { dict.append(("__name__", n)) }
        return Labels(dict)
    }

    private mutating func parseLabelSet(_ pairs: inout [(String, String)]) throws(Failure) {
        skipSpaces()
        if peekByte == 0x7D {
            pos += 1
            return
        }
        while true {
            skipSpaces()
            guard let c = peekByte else { throw fail(pos, pos, "unexpected end of input inside braces") }
            var labelName: String
            var quotedName = false
            if PromQLLexer.isAlpha(c) {
                let s = pos
                while let d = peekByte, PromQLLexer.isAlphaNumeric(d) { pos += 1 }
                labelName = text(s, pos)
            } else if c == 0x22 || c == 0x27 || c == 0x60 {
                labelName = try readString()
                quotedName = true
            } else {
                throw unexpected(pos, "label set", "identifier or \"}\"")
            }
            skipSpaces()
            if peekByte == 0x3D {
                pos += 1
                skipSpaces()
                guard let v = peekByte, v == 0x22 || v == 0x27 || v == 0x60 else { throw unexpected(pos, "label set", "string") }
                let value = try readString()
                pairs.append((labelName, value))
            } else if quotedName {
                pairs.append(("__name__", labelName))
            } else {
                throw unexpected(pos, "label set", "\"=\"")
            }
            skipSpaces()
            if peekByte == 0x2C {
                pos += 1
                skipSpaces()
                if peekByte == 0x7D {
                    pos += 1
                    return
                }
                continue
            }
            if peekByte == 0x7D {
                pos += 1
                return
            }
            if peekByte == nil { throw fail(pos, pos, "unexpected end of input inside braces") }
            throw unexpected(pos, "label set", "\",\" or \"}\"")
        }
    }

    mutating func expectEnd() throws(Failure) {
        skipSpaces()
        if pos < input.count { throw unexpected(pos, "", "") }
    }

    // MARK: - Values

    /// Reads a number (no hex) at `pos`; nil when none.
    private mutating func readNumber() throws(Failure) -> Double? {
        let s = pos
        if let c = peekByte, PromQLLexer.isAlpha(c) {
            var e = pos
            while e < input.count && PromQLLexer.isAlpha(input[e]) { e += 1 }
            let w = text(s, e).lowercased()
            if w == "inf" { pos = e; return .infinity }
            if w == "nan" { pos = e; return .nan }
            return nil
        }
        while let c = peekByte, PromQLLexer.isDigit(c) || c == 0x2E || c == 0x65 || c == 0x45 || c == 0x5F
            || ((c == 0x2B || c == 0x2D) && pos > s && (input[pos - 1] == 0x65 || input[pos - 1] == 0x45)) {
            pos += 1
        }
        guard pos > s else { return nil }
        if let c = peekByte, PromQLLexer.isAlphaNumeric(c), c != 0x78 {
            while let d = peekByte, PromQLLexer.isAlphaNumeric(d) { pos += 1 }
            throw fail(s, input.count, "bad number syntax: " + GoQuote.quote(text(s, pos)))
        }
        let b = Array(input[s..<pos])
        if let i = GoStrconv.parseInt(b) { return Double(i) }
        switch GoStrconv.parseFloat(b) {
        case .value(let d): return d
        case let e:
            throw fail(s, pos, "error parsing number: strconv.ParseFloat: parsing " + GoQuote.quote(text(s, pos)) + ": "
                + (e == .outOfRange ? "value out of range" : "invalid syntax"))
        }
    }

    /// `[+-]number | stale`.
    private mutating func readValue() throws(Failure) -> Double? {
        let s = pos
        if peekByte == 0x2B || peekByte == 0x2D {
            let neg = peekByte == 0x2D
            pos += 1
            guard let v = try readNumber() else { throw unexpected(pos, "series values", "") }
            return neg ? -v : v
        }
        if let c = peekByte, PromQLLexer.isAlpha(c) {
            var e = pos
            while e < input.count && PromQLLexer.isAlphaNumeric(input[e]) { e += 1 }
            if text(s, e) == "stale" {
                pos = e
                return SeriesValue.staleNaN
            }
            if let v = try readNumber() { return v }
            throw fail(s, e, "unexpected identifier " + GoQuote.quote(text(s, e)) + " in series values, expected number or \"stale\"")
        }
        return try readNumber()
    }

    /// `x<uint>` after a value.
    private mutating func readTimes() throws(Failure) -> Int? {
        guard peekByte == 0x78 else { return nil }
        pos += 1
        let s = pos
        while let c = peekByte, PromQLLexer.isDigit(c) { pos += 1 }
        guard pos > s else { throw unexpected(pos, "series values", "") }
        let t = text(s, pos)
        guard let n = Int(t), n <= 10_000_000 else {
            throw fail(s, pos, "invalid repetition in series values: strconv.ParseUint: parsing " + GoQuote.quote(t) + ": value out of range")
        }
        return n
    }

    mutating func parseValues() throws(Failure) -> [SeriesValue] {
        var out: [SeriesValue] = []
        while pos < input.count {
            guard PromQLLexer.isSpace(input[pos]) else { throw unexpected(pos, "series values", "") }
            skipSpaces()
            guard pos < input.count else { break }
            let c = input[pos]
            if c == 0x5F {
                pos += 1
                if let n = try readTimes() {
                    out.append(contentsOf: repeatElement(.omitted, count: n))
                } else {
                    out.append(.omitted)
                }
            } else if c == 0x7B && pos + 1 < input.count && input[pos + 1] == 0x7B {
                let base = try readHistogram()
                if let n = try readTimes() {
                    out.append(contentsOf: repeatElement(.histogram(base), count: n + 1))
                } else if peekByte == 0x2B || peekByte == 0x2D {
                    let subtract = peekByte == 0x2D
                    pos += 1
                    guard peekByte == 0x7B else { throw unexpected(pos, "series values", "") }
                    let inc = try readHistogram()
                    guard let n = try readTimes() else { throw unexpected(pos, "series values", "") }
                    for i in 0...n { out.append(i == 0 ? .histogram(base) : .histogramStep(base: base, increment: inc, index: i, subtract: subtract)) }
                } else {
                    out.append(.histogram(base))
                }
            } else {
                guard let v = try readValue() else { throw unexpected(pos, "series values", "") }
                if let n = try readTimes() {
                    out.append(contentsOf: repeatElement(.float(v), count: n + 1))
                } else if peekByte == 0x2B || peekByte == 0x2D {
                    let neg = peekByte == 0x2D
                    pos += 1
                    guard let d = try readNumber() else { throw unexpected(pos, "series values", "") }
                    guard let n = try readTimes() else { throw unexpected(pos, "series values", "") }
                    var cur = v
                    let delta = neg ? -d : d
                    for _ in 0...n {
                        out.append(.float(cur))
                        cur += delta
                    }
                } else {
                    out.append(.float(v))
                }
            }
        }
        return out
    }

    private mutating func readHistogram() throws(Failure) -> HistogramLiteral {
        pos += 2
        var h = HistogramLiteral()
        var seen: Set<String> = []
        if let c = peekByte, c == 0x20, pos + 1 < input.count, PromQLLexer.isAlpha(input[pos + 1]) {
            var e = pos + 1
            while e < input.count && PromQLLexer.isAlpha(input[e]) { e += 1 }
            throw fail(pos + 1, e, "unexpected " + GoQuote.quote(text(pos + 1, e)) + " in series values")
        }
        while true {
            skipSpaces()
            guard pos < input.count else { throw fail(pos, pos, "histogram description incomplete unexpected: end of input") }
            if input[pos] == 0x7D && pos + 1 < input.count && input[pos + 1] == 0x7D {
                pos += 2
                return h
            }
            let s = pos
            while let c = peekByte, PromQLLexer.isAlpha(c) { pos += 1 }
            let key = text(s, pos).lowercased()
            guard !key.isEmpty else {
                throw fail(s, input.count, "histogram description incomplete unexpected: " + describe(s).0)
            }
            let known = ["schema", "sum", "count", "z_bucket", "z_bucket_w", "buckets", "n_buckets", "offset", "n_offset",
                         "custom_values", "counter_reset_hint"]
            guard known.contains(key) else { throw fail(s, input.count, "bad histogram descriptor found: " + GoQuote.quote(text(s, pos))) }
            guard peekByte == 0x3A else { throw fail(s, input.count, "missing `:` for histogram descriptor") }
            pos += 1
            if peekByte == 0x20 { throw fail(pos, pos + 1, "unexpected \" \" in series values") }
            if seen.contains(key) { errors.append((PositionRange(start: 0, end: 0), "duplicate key \"\(key)\" in histogram")) }
            seen.insert(key)
            switch key {
            case "schema", "offset", "n_offset":
                guard let v = try readValue(), v == v.rounded(), Swift.abs(v) < 9e18 else {
                    throw unexpected(pos, "histogram description", "histogram description key, e.g. buckets:[5 10 7]")
                }
                if key == "schema" { h.schema = Int64(v) } else if key == "offset" { h.positiveOffset = Int64(v) } else { h.negativeOffset = Int64(v) }
            case "sum", "count", "z_bucket", "z_bucket_w":
                guard let v = try readValue() else {
                    throw unexpected(pos, "histogram description", "histogram description key, e.g. buckets:[5 10 7]")
                }
                switch key {
                case "sum": h.sum = v
                case "count": h.count = v
                case "z_bucket": h.zeroCount = v
                default: h.zeroThreshold = v
                }
            case "counter_reset_hint":
                let hs = pos
                while let c = peekByte, PromQLLexer.isAlpha(c) { pos += 1 }
                let hint = text(hs, pos).lowercased()
                guard ["unknown", "reset", "not_reset", "gauge"].contains(hint) else {
                    throw fail(hs, input.count, "bad histogram descriptor found: " + GoQuote.quote(text(hs, pos)))
                }
                h.counterResetHint = hint
            default:
                guard peekByte == 0x5B else { throw unexpected(pos, "histogram description", "histogram description key, e.g. buckets:[5 10 7]") }
                pos += 1
                if peekByte == 0x20 { throw fail(pos, pos + 1, "unexpected \" \" in series values") }
                var list: [Double] = []
                while true {
                    skipSpaces()
                    if peekByte == 0x5D {
                        pos += 1
                        break
                    }
                    guard let v = try readValue() else {
                        throw fail(pos, input.count, "invalid character in buckets description: " + describe(pos).0)
                    }
                    list.append(v)
                }
                switch key {
                case "buckets": h.positiveBuckets = list
                case "n_buckets": h.negativeBuckets = list
                default: h.customValues = list
                }
            }
        }
    }
}
