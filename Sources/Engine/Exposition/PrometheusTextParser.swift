/// Parser for the Prometheus text exposition format 0.0.4 (with Prometheus 3.x's quoted UTF-8 names).
///
/// Follows Prometheus's `textparse.PromParser` grammar: `# HELP`/`# TYPE` metadata (other comments are
/// skipped), `name{labels} value [timestamp_ms]`, optional whitespace around tokens, an optional comma
/// between labels, the metric name optionally quoted inside the braces (`{"my.metric", "a"="b"}`).
public struct PrometheusTextParser: Sendable {
    public init() {}

    /// Parses `bytes` and hands metadata and samples to `sink` in input order.
    public func parse<S: ExpositionSink>(_ bytes: [UInt8], into sink: inout S) throws(ExpositionError) {
        // Like Prometheus, treat the input as newline-terminated.
        if let last = bytes.last, last != 0x0A {
            try parse(bytes + [0x0A], into: &sink)
            return
        }
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

/// Lexer states of Prometheus's `promlex.l`, used to describe the offending token in error texts.
enum PromLexState {
    case initial, meta1, labels, labelValue, value, timestamp
}

struct PromTextState {
    var s: ByteScanner
    var pending: ExpositionMetadata?

    init(p: UnsafeBufferPointer<UInt8>) { s = ByteScanner(p: p) }

    mutating func flush<S: ExpositionSink>(_ sink: inout S) {
        if let m = pending { sink.metadata(m) }
        pending = nil
    }

    /// The token promlex would lex at `j` in `state`: its name and the end of the text Prometheus quotes
    /// as "got" (the token plus one byte for a valid token, one byte for an invalid one, the rest of the
    /// input for an unterminated quoted string).
    func token(at j: Int, _ state: PromLexState) -> (name: String, gotEnd: Int) {
        let c = s.at(j)
        func plusOne(_ end: Int) -> Int { min(s.n, end + 1) }
        if c == -1 { return ("EOF", j) }
        if c == 0x20 || c == 0x09 {
            var k = j
            while s.at(k) == 0x20 || s.at(k) == 0x09 { k += 1 }
            return ("WHITESPACE", plusOne(k))
        }
        switch state {
        case .initial, .meta1:
            if ByteScanner.isNameStart(c) {
                var k = j
                while ByteScanner.isNameChar(s.at(k)) { k += 1 }
                return ("MNAME", plusOne(k))
            }
            if state == .initial, c == 0x7B { return ("BOPEN", plusOne(j + 1)) }
            if state == .initial, c == 0x0A { return ("LINEBREAK", plusOne(j + 1)) }
            if state == .meta1, c == 0x22 { return quoted(at: j, name: "MNAME") }
        case .labels:
            if ByteScanner.isLabelStart(c) {
                var k = j
                while ByteScanner.isLabelChar(s.at(k)) { k += 1 }
                return ("LNAME", plusOne(k))
            }
            switch c {
            case 0x22: return quoted(at: j, name: "QSTRING")
            case 0x7D: return ("BCLOSE", plusOne(j + 1))
            case 0x3D: return ("EQUAL", plusOne(j + 1))
            case 0x2C: return ("COMMA", plusOne(j + 1))
            default: break
            }
        case .labelValue:
            if c == 0x22 { return quoted(at: j, name: "LVALUE") }
        case .value:
            if c == 0x7B { return ("BOPEN", plusOne(j + 1)) }
            if c != 0x0A && c != 0 {
                var k = j
                while k < s.n, !Self.endsValue(s.p[k]) { k += 1 }
                return ("VALUE", plusOne(k))
            }
        case .timestamp:
            if c >= 48 && c <= 57 {
                var k = j
                while s.at(k) >= 48 && s.at(k) <= 57 { k += 1 }
                return ("TIMESTAMP", plusOne(k))
            }
            if c == 0x0A { return ("LINEBREAK", plusOne(j + 1)) }
        }
        return ("INVALID", j + 1)
    }

    private func quoted(at j: Int, name: String) -> (name: String, gotEnd: Int) {
        var k = j + 1
        while k < s.n {
            if s.p[k] == 0x22 { return (name, min(s.n, k + 2)) }
            if s.p[k] == 0x5C { k += 1 }
            k += 1
        }
        return ("INVALID", s.n)
    }

    /// `EXPECTATION, got "TOKEN" ("TYPE") while parsing: "LINE SO FAR"`, positioned at `j`.
    func lexError(_ expectation: String, at j: Int, _ state: PromLexState, lineBegin: Int) -> ExpositionError {
        let (name, gotEnd) = token(at: j, state)
        let end = max(j, gotEnd)
        return s.error("\(expectation), got \(s.context(from: j, through: end - 1)) (\"\(name)\") while parsing: \(s.context(from: lineBegin, through: end - 1))", at: j)
    }

    /// Bytes ending a sample value (`[^{ \t\n]`, NUL being unmatched by promlex's classes).
    @inline(__always) static func endsValue(_ c: UInt8) -> Bool {
        c == 0x7B || c == 0x20 || c == 0x09 || c == 0x0A || c == 0
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
                    throw lexError("expected a valid start token", at: s.i, .initial, lineBegin: start)
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
                throw lexError("expected metric name after \(keyword)", at: s.i, .meta1, lineBegin: lineBegin)
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
            throw lexError("expected metric name after \(keyword)", at: s.i, .meta1, lineBegin: lineBegin)
        }
        // Text: the rest of the line minus its first byte (the separating blank), as Prometheus takes it.
        var j = s.i
        while j < s.n, s.p[j] != 0x0A { j += 1 }
        let textEnd = j
        let textBegin = min(s.i + 1, textEnd)
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

    /// The end of the series part of a sample line starting at `start` (name, blanks, `{…}` with quoted
    /// strings skipped), without parsing it; nil when it spans lines or does not end (the full parse then
    /// reports the problem).
    func seriesEnd(from start: Int) -> Int? {
        var j = start
        while j < s.n, ByteScanner.isNameChar(Int(s.p[j])) { j += 1 }
        let afterName = j
        while j < s.n, s.p[j] == 0x20 || s.p[j] == 0x09 { j += 1 }
        guard j < s.n, s.p[j] == 0x7B else { return afterName }
        j += 1
        while j < s.n {
            switch s.p[j] {
            case 0x7D: return j + 1
            case 0x0A: return nil
            case 0x22:
                j += 1
                while j < s.n, s.p[j] != 0x22 {
                    if s.p[j] == 0x0A { return nil }
                    if s.p[j] == 0x5C { j += 1 }
                    j += 1
                }
                j += 1
            default: j += 1
            }
        }
        return nil
    }

    mutating func series<S: ExpositionSink>(_ sink: inout S, lineBegin: Int, nameStart: Int?) throws(ExpositionError) {
        let sampleLine = s.line
        if S.recognizesSeries, let end = seriesEnd(from: s.i), end > s.i,
           sink.recognizes(series: UnsafeBufferPointer(rebasing: s.p[s.i..<end])) {
            s.i = end
            s.skipBlanks()
            let (value, ts) = try valueAndTimestamp(lineBegin: lineBegin)
            sink.knownSample(value: value, timestampMs: ts, line: sampleLine)
            return
        }
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
        // Value: [^{ \t\n]+
        guard let metricName = name else {
            var j = s.i
            while j < s.n, !Self.endsValue(s.p[j]) { j += 1 }
            throw s.error("metric name not set while parsing: \(s.context(from: lineBegin, through: j - 1))", at: lineBegin)
        }
        labels.insert(("__name__", metricName), at: 0)
        let (value, ts) = try valueAndTimestamp(lineBegin: lineBegin)
        sink.sample(ExpositionSample(labels: labels, value: value, timestampMs: ts, exemplar: nil, line: sampleLine))
    }

    /// The value and optional timestamp after a sample's series (at `s.i`), through the end of the line.
    mutating func valueAndTimestamp(lineBegin: Int) throws(ExpositionError) -> (Double, Int64?) {
        let vStart = s.i
        var j = s.i
        while j < s.n, !Self.endsValue(s.p[j]) { j += 1 }
        if j == vStart {
            throw lexError("expected value after metric", at: s.i, .value, lineBegin: lineBegin)
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
                throw lexError("expected next entry after timestamp", at: s.i, .timestamp, lineBegin: lineBegin)
            }
        } else if s.cur != 0x0A && s.cur != -1 {
            throw lexError("expected timestamp or new record", at: s.i, .timestamp, lineBegin: lineBegin)
        }
        skipLine()
        return (value, ts)
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
                guard let end = s.scanQuoted(allowNewline: true) else {
                    throw lexError("expected label name", at: s.i, .labels, lineBegin: lineBegin)
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
                throw lexError("expected label name", at: s.i, .labels, lineBegin: lineBegin)
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
                throw lexError("expected equal", at: s.i, .labels, lineBegin: lineBegin)
            }
            s.i += 1
            s.skipBlanks()
            guard s.cur == 0x22 else {
                throw lexError("expected label value", at: s.i, .labelValue, lineBegin: lineBegin)
            }
            let vStart = s.i
            let startLine = s.line, startLS = s.lineStart
            guard let vEnd = s.scanQuoted(allowNewline: true) else {
                s.line = startLine; s.lineStart = startLS
                throw lexError("expected label value", at: s.i, .labelValue, lineBegin: lineBegin)
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
}
