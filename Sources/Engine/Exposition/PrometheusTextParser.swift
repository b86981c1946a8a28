/// Parser for the Prometheus text exposition format 0.0.4 (with Prometheus 3.x's quoted UTF-8 names).
///
/// Follows Prometheus's `textparse.PromParser` grammar: `# HELP`/`# TYPE` metadata (other comments are
/// skipped), `name{labels} value [timestamp_ms]`, optional whitespace around tokens, an optional comma
/// between labels, the metric name optionally quoted inside the braces (`{"my.metric", "a"="b"}`).
public struct PrometheusTextParser: Sendable {
    public init() {}

    /// Parses `bytes` and hands metadata and samples to `sink` in input order.
    public func parse<S: ExpositionSink>(_ bytes: [UInt8], into sink: inout S) throws(ExpositionError) {
        let result: Result<Void, ExpositionError> = bytes.withUnsafeBufferPointer { buf in
            var state = PromTextState(p: buf)
            do throws(ExpositionError) {
                try state.run(&sink)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Convenience: parses a string.
    public func parse<S: ExpositionSink>(_ text: String, into sink: inout S) throws(ExpositionError) {
        try parse(Array(text.utf8), into: &sink)
    }
}

/// Shared byte-level helpers of both parsers.
struct ByteScanner {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var i = 0
    var line = 1
    var lineStart = 0

    init(p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
    }

    /// The byte at `j`, or -1 past the end.
    @inline(__always) func at(_ j: Int) -> Int { j >= 0 && j < n ? Int(p[j]) : -1 }
    @inline(__always) var cur: Int { at(i) }

    @inline(__always) static func isNameStart(_ c: Int) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 58
    }
    @inline(__always) static func isNameChar(_ c: Int) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
    @inline(__always) static func isLabelStart(_ c: Int) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    @inline(__always) static func isLabelChar(_ c: Int) -> Bool { isLabelStart(c) || (c >= 48 && c <= 57) }

    func error(_ msg: String, at pos: Int? = nil) -> ExpositionError {
        let at = pos ?? i
        return ExpositionError(line: line, column: max(1, at - lineStart + 1), message: msg)
    }

    /// The bytes of the current line from `from` up to and including `i` (clipped), for "while parsing" texts.
    func context(from: Int, through end: Int? = nil) -> String {
        let e = min(n, (end ?? i) + 1)
        let s = max(0, min(from, e))
        return ExpositionQuote.string(UnsafeBufferPointer(rebasing: p[s..<e]))
    }

    func text(_ s: Int, _ e: Int) -> String {
        guard s >= 0, e <= n, s < e else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self)
    }

    mutating func skipBlanks() {
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
    }

    /// Scans a double-quoted string starting at `i` (which must be `"`): `"(\\.|[^\\"])*"`, optionally
    /// forbidding raw newlines. Returns the end (exclusive, after the closing quote) or nil if unterminated.
    /// Updates line counting for embedded newlines.
    mutating func scanQuoted(allowNewline: Bool) -> Int? {
        var j = i + 1
        while j < n {
            let c = p[j]
            if c == 0x22 { return j + 1 }
            if c == 0x5C {
                guard j + 1 < n else { return nil }
                if p[j + 1] == 0x0A {
                    if !allowNewline { return nil }
                    line += 1
                    lineStart = j + 2
                }
                j += 2
                continue
            }
            if c == 0x0A {
                if !allowNewline { return nil }
                line += 1
                lineStart = j + 1
            }
            j += 1
        }
        return nil
    }

    /// Unescapes `\"`, `\\`, `\n` (others kept verbatim) of `p[s..<e]`, as Prometheus's label-value replacer.
    func unescaped(_ s: Int, _ e: Int, quotes: Bool = true) -> String {
        guard s >= 0, e <= n, s < e else { return "" }
        var hasBackslash = false
        for j in s..<e where p[j] == 0x5C { hasBackslash = true; break }
        if !hasBackslash { return text(s, e) }
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var j = s
        while j < e {
            let c = p[j]
            if c == 0x5C, j + 1 < e {
                let d = p[j + 1]
                if d == 0x5C { out.append(0x5C); j += 2; continue }
                if d == UInt8(ascii: "n") { out.append(0x0A); j += 2; continue }
                if quotes, d == 0x22 { out.append(0x22); j += 2; continue }
            }
            out.append(c)
            j += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func validUTF8(_ s: Int, _ e: Int) -> Bool {
        guard s >= 0, e <= n, s < e else { return true }
        var it = UnsafeBufferPointer(rebasing: p[s..<e]).makeIterator()
        var dec = UTF8()
        while true {
            switch dec.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

/// Detects repeated label names in one label set; switches to a hash set for long sets (hostile input).
struct DuplicateLabelCheck {
    var names: Set<String> = []

    /// Whether `name` is `__name__` or already in `labels` (to be called before appending it).
    mutating func isDuplicate(_ name: String, in labels: [ExpositionLabel]) -> Bool {
        if name == "__name__" { return true }
        if labels.count < 16 { return labels.contains { $0.name == name } }
        if names.count != labels.count { names = Set(labels.map(\.name)) }
        return !names.insert(name).inserted
    }
}

struct PromTextState {
    var s: ByteScanner
    var pending: ExpositionMetadata?

    init(p: UnsafeBufferPointer<UInt8>) { s = ByteScanner(p: p) }

    mutating func flush<S: ExpositionSink>(_ sink: inout S) {
        if let m = pending { sink.metadata(m) }
        pending = nil
    }

    mutating func run<S: ExpositionSink>(_ sink: inout S) throws(ExpositionError) {
        while true {
            let start = s.i
            s.skipBlanks()
            let c = s.cur
            switch c {
            case -1:
                flush(&sink)
                return
            case 0x0A:
                s.i += 1
                s.line += 1
                s.lineStart = s.i
            case 0x23: // '#'
                try comment(&sink, lineBegin: start)
            case 0x7B: // '{'
                flush(&sink)
                try series(&sink, lineBegin: start, nameStart: nil)
            default:
                if ByteScanner.isNameStart(c) {
                    flush(&sink)
                    try series(&sink, lineBegin: start, nameStart: s.i)
                } else {
                    throw s.error("expected a valid start token, got \(s.context(from: s.i, through: s.i)) (\"INVALID\") while parsing: \(s.context(from: start))")
                }
            }
        }
    }

    /// Skips to after the end of the current line.
    mutating func skipLine() {
        while s.i < s.n, s.p[s.i] != 0x0A { s.i += 1 }
        if s.i < s.n {
            s.i += 1
            s.line += 1
            s.lineStart = s.i
        }
    }

    mutating func comment<S: ExpositionSink>(_ sink: inout S, lineBegin: Int) throws(ExpositionError) {
        s.i += 1 // '#'
        let afterHash = s.i
        s.skipBlanks()
        if s.i == afterHash { skipLine(); return }
        // HELP / TYPE followed by blanks?
        var keyword: String?
        if s.i + 4 <= s.n {
            let k = s.text(s.i, s.i + 4)
            if (k == "HELP" || k == "TYPE"), s.at(s.i + 4) == 0x20 || s.at(s.i + 4) == 0x09 { keyword = k }
        }
        guard let keyword else { skipLine(); return }
        s.i += 4
        s.skipBlanks()
        // Metric name, plain or quoted.
        let nameStart = s.i
        let name: String
        if s.cur == 0x22 {
            let startLine = s.line, startLS = s.lineStart
            guard let end = s.scanQuoted(allowNewline: true) else {
                s.line = startLine; s.lineStart = startLS
                throw s.error("expected metric name after \(keyword), got \(s.context(from: s.i)) (\"INVALID\") while parsing: \(s.context(from: lineBegin))")
            }
            guard s.validUTF8(nameStart + 1, end - 1) else {
                throw s.error("invalid UTF-8 metric name: \(s.context(from: nameStart, through: end - 1))", at: nameStart)
            }
            name = s.unescaped(nameStart + 1, end - 1)
            s.i = end
        } else if ByteScanner.isNameStart(s.cur) {
            var j = s.i
            while ByteScanner.isNameChar(s.at(j)) { j += 1 }
            name = s.text(s.i, j)
            s.i = j
        } else {
            let got = s.cur == 0x0A ? "LINEBREAK" : "INVALID"
            throw s.error("expected metric name after \(keyword), got \(s.context(from: s.i, through: s.i)) (\"\(got)\") while parsing: \(s.context(from: lineBegin))")
        }
        // Text: the rest of the line, minus one separating blank.
        let c = s.cur
        var textStart = s.i
        if c == 0x20 || c == 0x09 {
            textStart = s.i + 1
        } else if c != 0x0A && c != -1 {
            throw s.error("expected text in \(keyword), got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin))")
        }
        var j = s.i
        while j < s.n, s.p[j] != 0x0A { j += 1 }
        let textEnd = j
        let textBegin = min(textStart, textEnd)
        if keyword == "HELP" {
            guard s.validUTF8(textBegin, textEnd) else {
                throw s.error("help text \(s.context(from: textBegin, through: textEnd - 1)) is not a valid utf8 string", at: textBegin)
            }
            let help = s.unescaped(textBegin, textEnd, quotes: false)
            if var m = pending, m.name == name, m.help == nil {
                m.help = help
                pending = m
            } else {
                flush(&sink)
                pending = ExpositionMetadata(name: name, type: nil, help: help, unit: nil, line: s.line)
            }
        } else {
            let t = s.text(textBegin, textEnd)
            let type: MetricType
            switch t {
            case "counter": type = .counter
            case "gauge": type = .gauge
            case "histogram": type = .histogram
            case "summary": type = .summary
            case "untyped": type = .unknown
            default:
                throw s.error("invalid metric type \(ExpositionQuote.string(Array(s.p[textBegin..<textEnd])))", at: textBegin)
            }
            if var m = pending, m.name == name, m.type == nil {
                m.type = type
                pending = m
            } else {
                flush(&sink)
                pending = ExpositionMetadata(name: name, type: type, help: nil, unit: nil, line: s.line)
            }
        }
        s.i = textEnd
        skipLine()
    }

    mutating func series<S: ExpositionSink>(_ sink: inout S, lineBegin: Int, nameStart: Int?) throws(ExpositionError) {
        let sampleLine = s.line
        var labels: [ExpositionLabel] = []
        labels.reserveCapacity(8)
        var name: String?
        if let ns = nameStart {
            var j = ns
            while ByteScanner.isNameChar(s.at(j)) { j += 1 }
            name = s.text(ns, j)
            s.i = j
            s.skipBlanks()
        }
        if s.cur == 0x7B {
            s.i += 1
            try labelSet(&labels, name: &name, lineBegin: lineBegin)
            s.skipBlanks()
        }
        guard let metricName = name else {
            throw s.error("metric name not set while parsing: \(s.context(from: lineBegin, through: s.i - 1))", at: lineBegin)
        }
        labels.insert(("__name__", metricName), at: 0)
        // Value: [^{ \t\n]+
        let vStart = s.i
        var j = s.i
        while j < s.n {
            let c = s.p[j]
            if c == 0x7B || c == 0x20 || c == 0x09 || c == 0x0A { break }
            j += 1
        }
        if j == vStart {
            throw s.error("expected value after metric, got \(s.context(from: s.i, through: s.i)) (\"\(s.cur == -1 ? "EOF" : "INVALID")\") while parsing: \(s.context(from: lineBegin))")
        }
        let value: Double
        switch ExpositionNumber.parseFloat(s.p, vStart, j) {
        case .value(let v): value = v
        case let r:
            throw s.error("\(ExpositionNumber.floatError(r, s.text(vStart, j))) while parsing: \(s.context(from: lineBegin, through: j - 1))", at: vStart)
        }
        s.i = j
        s.skipBlanks()
        var ts: Int64?
        if s.cur >= 48 && s.cur <= 57 {
            let tStart = s.i
            var k = s.i
            while s.at(k) >= 48 && s.at(k) <= 57 { k += 1 }
            switch ExpositionNumber.parseInt(s.p, tStart, k) {
            case .value(let v): ts = v
            case let r:
                throw s.error("\(ExpositionNumber.intError(r, s.text(tStart, k))) while parsing: \(s.context(from: lineBegin, through: k - 1))", at: tStart)
            }
            s.i = k
            s.skipBlanks()
            if s.cur != 0x0A && s.cur != -1 {
                throw s.error("expected next entry after timestamp, got \(s.context(from: s.i, through: s.i)) (\"INVALID\") while parsing: \(s.context(from: lineBegin))")
            }
        } else if s.cur != 0x0A && s.cur != -1 {
            throw s.error("expected timestamp or new record, got \(s.context(from: s.i, through: s.i)) (\"INVALID\") while parsing: \(s.context(from: lineBegin))")
        }
        skipLine()
        sink.sample(ExpositionSample(labels: labels, value: value, timestampMs: ts, exemplar: nil, line: sampleLine))
    }

    /// Parses label pairs after `{` up to and including `}`.
    mutating func labelSet(_ labels: inout [ExpositionLabel], name: inout String?, lineBegin: Int) throws(ExpositionError) {
        var dup = DuplicateLabelCheck()
        s.skipBlanks()
        while true {
            let c = s.cur
            if c == 0x7D { s.i += 1; return }
            let tokStart = s.i
            var labelName: String
            var quoted = false
            if c == 0x22 {
                guard let end = s.scanQuoted(allowNewline: false) else {
                    throw s.error("expected label name, got \(s.context(from: s.i)) (\"INVALID\") while parsing: \(s.context(from: lineBegin))")
                }
                guard s.validUTF8(tokStart + 1, end - 1) else {
                    throw s.error("invalid UTF-8 label name: \(s.context(from: tokStart, through: end - 1))", at: tokStart)
                }
                labelName = s.unescaped(tokStart + 1, end - 1)
                s.i = end
                quoted = true
            } else if ByteScanner.isLabelStart(c) {
                var j = s.i
                while ByteScanner.isLabelChar(s.at(j)) { j += 1 }
                labelName = s.text(s.i, j)
                s.i = j
            } else {
                throw s.error("expected label name, got \(s.context(from: s.i, through: s.i)) (\"\(tokenName(c))\") while parsing: \(s.context(from: lineBegin))")
            }
            s.skipBlanks()
            if quoted && (s.cur == 0x2C || s.cur == 0x7D) {
                if name != nil {
                    throw s.error("metric name already set while parsing: \(s.context(from: lineBegin))", at: tokStart)
                }
                name = labelName
                if s.cur == 0x7D { s.i += 1; return }
                s.i += 1
                s.skipBlanks()
                continue
            }
            guard s.cur == 0x3D else {
                throw s.error("expected equal, got \(s.context(from: s.i, through: s.i)) (\"\(tokenName(s.cur))\") while parsing: \(s.context(from: lineBegin))")
            }
            s.i += 1
            s.skipBlanks()
            guard s.cur == 0x22 else {
                throw s.error("expected label value, got \(s.context(from: s.i, through: s.i)) (\"\(tokenName(s.cur))\") while parsing: \(s.context(from: lineBegin))")
            }
            let vStart = s.i
            let startLine = s.line, startLS = s.lineStart
            guard let vEnd = s.scanQuoted(allowNewline: true) else {
                s.line = startLine; s.lineStart = startLS
                throw s.error("expected label value, got \(s.context(from: s.i)) (\"INVALID\") while parsing: \(s.context(from: lineBegin))")
            }
            guard s.validUTF8(vStart + 1, vEnd - 1) else {
                throw s.error("invalid UTF-8 label value: \(s.context(from: vStart, through: vEnd - 1))", at: vStart)
            }
            if dup.isDuplicate(labelName, in: labels) {
                throw s.error("duplicate label name \(ExpositionQuote.string(labelName))", at: tokStart)
            }
            labels.append((labelName, s.unescaped(vStart + 1, vEnd - 1)))
            s.i = vEnd
            s.skipBlanks()
            if s.cur == 0x2C {
                s.i += 1
                s.skipBlanks()
            }
        }
    }

    func tokenName(_ c: Int) -> String {
        switch c {
        case -1: return "EOF"
        case 0x0A: return "INVALID"
        case 0x2C: return "COMMA"
        case 0x3D: return "EQUAL"
        case 0x7D: return "BCLOSE"
        case 0x7B: return "BOPEN"
        default: return "INVALID"
        }
    }
}
