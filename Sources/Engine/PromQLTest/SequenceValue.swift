/// One value of a series in the promqltest notation: a float, a native histogram, or omitted (`_`).
public struct SequenceValue: Sendable {
    public var value: Double
    public var histogram: ScriptHistogram?
    public var omitted: Bool

    public init(value: Double = 0, histogram: ScriptHistogram? = nil, omitted: Bool = false) {
        self.value = value
        self.histogram = histogram
        self.omitted = omitted
    }

    public static let blank = SequenceValue(omitted: true)
}

/// A native histogram written as `{{schema:0 sum:5 count:4 buckets:[1 2 1] …}}`.
public struct ScriptHistogram: Sendable, Equatable {
    public var schema: Int32 = 0
    public var sum: Double = 0
    public var count: Double = 0
    public var zeroThreshold: Double = 0
    public var zeroCount: Double = 0
    public var buckets: [Double] = []
    public var offset: Int32 = 0
    public var negativeBuckets: [Double] = []
    public var negativeOffset: Int32 = 0
    public var customValues: [Double] = []
    public var counterResetHint: String? = nil
    /// The histogram computed by a `a+bxN` / `a-bxN` expansion (histogram arithmetic, as upstream does).
    public var resolved: FloatHistogram? = nil

    public init() {}

    /// Element-wise `self + k * step` as the `a+bxN` expansion needs (bucket lists padded with zeros).
    func adding(_ step: ScriptHistogram, times k: Double) -> ScriptHistogram {
        var out = self
        out.sum += k * step.sum
        out.count += k * step.count
        out.zeroCount += k * step.zeroCount
        func addBuckets(_ a: [Double], _ b: [Double]) -> [Double] {
            var r = a
            if b.count > r.count { r.append(contentsOf: Array(repeating: 0, count: b.count - r.count)) }
            for (i, v) in b.enumerated() { r[i] += k * v }
            return r
        }
        out.buckets = addBuckets(buckets, step.buckets)
        out.negativeBuckets = addBuckets(negativeBuckets, step.negativeBuckets)
        return out
    }
}

/// Errors in a promqltest script, with the 1-based line they are on.
public struct PromQLTestError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }
    public var description: String { "\(line): \(message)" }
}

/// Parses `metric{a="b"} 1 2+3x4 _ stale {{…}}` lines.
public enum SeriesDescriptionParser {
    /// Splits a line into its label set and its expanded values.
    public static func parse(_ line: String, lineNumber: Int) throws(PromQLTestError) -> (labels: Labels, values: [SequenceValue]) {
        var s = Scanner(Array(line.utf8))
        let labels = try parseMetric(&s, lineNumber: lineNumber)
        let values = try parseValues(&s, lineNumber: lineNumber)
        return (labels, values)
    }

    /// Parses only a label set such as `{a="b"}` or `metric{…}` (for expected-result lines).
    static func parseMetric(_ s: inout Scanner, lineNumber: Int) throws(PromQLTestError) -> Labels {
        s.skipSpaces()
        var pairs: [(String, String)] = []
        if let c = s.peek, c != UInt8(ascii: "{") {
            if c == UInt8(ascii: "\"") {
                let name = try s.quoted(lineNumber)
                pairs.append(("__name__", name))
            } else {
                let name = s.identifier(allowColon: true)
                guard !name.isEmpty else { throw PromQLTestError(line: lineNumber, "expected metric name, got \(s.rest)") }
                pairs.append(("__name__", name))
            }
        }
        if s.peek == UInt8(ascii: "{") {
            s.advance()
            while true {
                s.skipSpaces()
                if s.peek == UInt8(ascii: "}") { s.advance(); break }
                var name: String
                if s.peek == UInt8(ascii: "\"") {
                    name = try s.quoted(lineNumber)
                } else {
                    name = s.identifier(allowColon: false)
                }
                s.skipSpaces()
                if s.peek == UInt8(ascii: ",") || s.peek == UInt8(ascii: "}") {
                    // A bare quoted string inside braces is the metric name.
                    pairs.append(("__name__", name))
                    if s.peek == UInt8(ascii: ",") { s.advance() }
                    continue
                }
                guard !name.isEmpty, s.peek == UInt8(ascii: "=") else {
                    throw PromQLTestError(line: lineNumber, "unexpected character in label set: \(s.rest)")
                }
                s.advance()
                s.skipSpaces()
                let value = try s.quoted(lineNumber)
                pairs.append((name, value))
                s.skipSpaces()
                if s.peek == UInt8(ascii: ",") { s.advance() }
            }
        }
        return Labels(pairs)
    }

    static func parseValues(_ s: inout Scanner, lineNumber: Int) throws(PromQLTestError) -> [SequenceValue] {
        var out: [SequenceValue] = []
        while true {
            s.skipSpaces()
            guard s.peek != nil else { break }
            if s.startsWith("{{") {
                let h = try parseHistogram(&s, lineNumber: lineNumber)
                if s.peek == UInt8(ascii: "x") {
                    s.advance()
                    let n = try s.count(lineNumber)
                    for _ in 0...n { out.append(SequenceValue(histogram: h)) }
                } else if let sign = s.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                    s.advance()
                    let step = try parseHistogram(&s, lineNumber: lineNumber)
                    guard s.peek == UInt8(ascii: "x") else { throw PromQLTestError(line: lineNumber, "expected x after histogram step") }
                    s.advance()
                    let n = try s.count(lineNumber)
                    let negate = sign == UInt8(ascii: "-")
                    let inc = step.floatHistogram
                    var cur = h.floatHistogram
                    out.append(SequenceValue(histogram: h))
                    for _ in 0..<n {
                        if cur.schema > inc.schema && !cur.usesCustomBuckets {
                            throw PromQLTestError(line: lineNumber, "error combining histograms: cannot merge from schema \(inc.schema) to \(cur.schema)")
                        }
                        do {
                            if negate { try cur.sub(inc, reconcileCustomBounds: true) } else { try cur.add(inc, reconcileCustomBounds: true) }
                        } catch {
                            throw PromQLTestError(line: lineNumber, "error combining histograms: \(error)")
                        }
                        var lit = h
                        lit.resolved = cur
                        out.append(SequenceValue(histogram: lit))
                    }
                } else {
                    out.append(SequenceValue(histogram: h))
                }
                continue
            }
            let token = s.token()
            try expand(token, into: &out, lineNumber: lineNumber)
        }
        return out
    }

    /// Expands one whitespace-free item: `_`, `_xN`, `stale`, `v`, `vxN`, `v+dxN`, `v-dxN`.
    static func expand(_ token: String, into out: inout [SequenceValue], lineNumber: Int) throws(PromQLTestError) {
        if token == "_" { out.append(.blank); return }
        if token.hasPrefix("_x") {
            guard let n = Int(token.dropFirst(2)), n >= 0, n <= maxExpansion else {
                throw PromQLTestError(line: lineNumber, "invalid repetition in \(token)")
            }
            for _ in 0..<n { out.append(.blank) }
            return
        }
        // Find the 'x' count suffix (not part of a hex literal like 0x1f).
        var body = Substring(token)
        var count: Int? = nil
        if let xi = token.lastIndex(of: "x"), xi != token.startIndex {
            let digits = token[token.index(after: xi)...]
            if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                guard let n = Int(digits), n <= maxExpansion else { throw PromQLTestError(line: lineNumber, "invalid repetition in \(token)") }
                count = n
                body = token[..<xi]
            }
        }
        // Split start and step on a sign that is not the leading one and not after an exponent.
        var start = body
        var step: Substring? = nil
        var negativeStep = false
        var idx = body.index(after: body.startIndex)
        while idx < body.endIndex {
            let c = body[idx]
            let prev = body[body.index(before: idx)]
            if (c == "+" || c == "-") && prev != "e" && prev != "E" {
                start = body[..<idx]
                step = body[body.index(after: idx)...]
                negativeStep = c == "-"
                break
            }
            idx = body.index(after: idx)
        }
        guard let startValue = parseNumber(String(start)) else {
            throw PromQLTestError(line: lineNumber, "invalid value \(goQuoteString(token))")
        }
        if let step {
            guard let n = count else { throw PromQLTestError(line: lineNumber, "missing repetition count in \(token)") }
            guard let stepValue = parseNumber(String(step)) else {
                throw PromQLTestError(line: lineNumber, "invalid step in \(token)")
            }
            let d = negativeStep ? -stepValue : stepValue
            var cur = startValue
            for _ in 0...n {
                out.append(SequenceValue(value: cur))
                cur += d
            }
        } else if let n = count {
            for _ in 0...n { out.append(SequenceValue(value: startValue)) }
        } else {
            out.append(SequenceValue(value: startValue))
        }
    }

    /// Repetition counts above this are refused (a script asking for more is hostile or a typo).
    static let maxExpansion = 1_000_000

    /// A float as PromQL writes it: decimal, hex, exponent, `Inf`, `NaN`, `stale` (the stale marker).
    public static func parseNumber(_ s: String) -> Double? {
        let lower = s.lowercased()
        switch lower {
        case "stale": return StaleNaN
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        var body = Substring(lower)
        var negative = false
        if body.hasPrefix("-") { negative = true; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        if body.hasPrefix("0x"), let v = UInt64(body.dropFirst(2), radix: 16) {
            return negative ? -Double(v) : Double(v)
        }
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        guard let v = Double(body) else { return nil }
        return negative ? -v : v
    }

    static func parseHistogram(_ s: inout Scanner, lineNumber: Int) throws(PromQLTestError) -> ScriptHistogram {
        guard s.startsWith("{{") else { throw PromQLTestError(line: lineNumber, "expected {{") }
        s.advance(); s.advance()
        var h = ScriptHistogram()
        while true {
            s.skipSpaces()
            if s.startsWith("}}") { s.advance(); s.advance(); break }
            guard s.peek != nil else { throw PromQLTestError(line: lineNumber, "unterminated histogram") }
            let key = s.identifier(allowColon: false)
            guard s.peek == UInt8(ascii: ":") else { throw PromQLTestError(line: lineNumber, "expected : after \(key) in histogram") }
            s.advance()
            s.skipSpaces()
            func list() throws(PromQLTestError) -> [Double] {
                guard s.peek == UInt8(ascii: "[") else { throw PromQLTestError(line: lineNumber, "expected [ after \(key)") }
                s.advance()
                var vals: [Double] = []
                while true {
                    s.skipSpaces()
                    if s.peek == UInt8(ascii: "]") { s.advance(); break }
                    let t = s.token(stopAt: [UInt8(ascii: "]")])
                    guard !t.isEmpty, let v = parseNumber(t) else { throw PromQLTestError(line: lineNumber, "invalid bucket value \(t)") }
                    vals.append(v)
                }
                return vals
            }
            func number() throws(PromQLTestError) -> Double {
                let t = s.token(stopAt: [UInt8(ascii: "}")])
                guard let v = parseNumber(t) else { throw PromQLTestError(line: lineNumber, "invalid number \(t) for \(key)") }
                return v
            }
            switch key {
            case "schema": h.schema = clampedInt32(try number())
            case "sum": h.sum = try number()
            case "count": h.count = try number()
            case "z_bucket": h.zeroCount = try number()
            case "z_bucket_w": h.zeroThreshold = try number()
            case "buckets": h.buckets = try list()
            case "offset": h.offset = clampedInt32(try number())
            case "n_buckets": h.negativeBuckets = try list()
            case "n_offset": h.negativeOffset = clampedInt32(try number())
            case "custom_values": h.customValues = try list()
            case "counter_reset_hint": h.counterResetHint = s.token(stopAt: [UInt8(ascii: "}")])
            default: throw PromQLTestError(line: lineNumber, "unknown histogram field \(key)")
            }
        }
        return h
    }
}

/// `v` converted to Int32, clamped, NaN as 0 (input-derived, must never trap).
func clampedInt32(_ v: Double) -> Int32 {
    if v.isNaN { return 0 }
    if v >= Double(Int32.max) { return Int32.max }
    if v <= Double(Int32.min) { return Int32.min }
    return Int32(v)
}

func goQuoteString(_ s: String) -> String { quoteLabelValue(s) }

/// A byte cursor over one line.
struct Scanner {
    let b: [UInt8]
    var i = 0
    init(_ b: [UInt8]) { self.b = b }

    var peek: UInt8? { i < b.count ? b[i] : nil }
    var rest: String { String(decoding: b[min(i, b.count)...], as: UTF8.self) }
    mutating func advance() { if i < b.count { i += 1 } }
    mutating func skipSpaces() { while let c = peek, c == 0x20 || c == 0x09 { i += 1 } }
    func startsWith(_ s: String) -> Bool {
        let p = Array(s.utf8)
        return i + p.count <= b.count && Array(b[i..<(i + p.count)]) == p
    }

    mutating func identifier(allowColon: Bool) -> String {
        let start = i
        while let c = peek {
            let ok = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || (i > start && c >= 0x30 && c <= 0x39) || (allowColon && c == 0x3A)
            if !ok { break }
            i += 1
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Reads until whitespace (or one of `stopAt`).
    mutating func token(stopAt: [UInt8] = []) -> String {
        let start = i
        while let c = peek, c != 0x20, c != 0x09, !stopAt.contains(c) { i += 1 }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    mutating func count(_ line: Int) throws(PromQLTestError) -> Int {
        let t = token()
        guard let n = Int(t), n >= 0, n <= SeriesDescriptionParser.maxExpansion else { throw PromQLTestError(line: line, "invalid repetition count \(t)") }
        return n
    }

    /// A double-, single- or back-quoted string with Go escapes.
    mutating func quoted(_ line: Int) throws(PromQLTestError) -> String {
        guard let q = peek, q == 0x22 || q == 0x27 || q == 0x60 else {
            throw PromQLTestError(line: line, "expected quoted string, got \(rest)")
        }
        advance()
        var out: [UInt8] = []
        while let c = peek {
            advance()
            if c == q { return String(decoding: out, as: UTF8.self) }
            if c == 0x5C && q != 0x60, let e = peek {
                advance()
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "'"): out.append(0x27)
                case UInt8(ascii: "x"):
                    var v: UInt8 = 0
                    for _ in 0..<2 {
                        guard let h = peek, let d = hexValue(h) else { throw PromQLTestError(line: line, "invalid escape") }
                        v = v &* 16 &+ d
                        advance()
                    }
                    out.append(v)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "u") ? 4 : 8
                    var v: UInt32 = 0
                    for _ in 0..<n {
                        guard let h = peek, let d = hexValue(h) else { throw PromQLTestError(line: line, "invalid escape") }
                        v = v &* 16 &+ UInt32(d)
                        advance()
                    }
                    guard let scalar = Unicode.Scalar(v) else { throw PromQLTestError(line: line, "invalid escape") }
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    out.append(e)
                }
            } else {
                out.append(c)
            }
        }
        throw PromQLTestError(line: line, "unterminated quoted string")
    }

    private func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}
