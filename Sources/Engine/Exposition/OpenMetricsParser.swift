#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parser for the OpenMetrics 1.0 text format.
///
/// Checks the line grammar (single spaces, `# EOF` terminator, exemplars, float-second timestamps,
/// quoted UTF-8 names) and, unless `validate` is off, the semantic rules of the specification (family
/// grouping and ordering, type-specific suffixes and labels, histogram buckets, counter-like values,
/// timestamps, clashing names): see `OpenMetricsValidator`.
public struct OpenMetricsParser: Sendable {
    /// Parser switches.
    public struct Options: Sendable {
        /// Do not hand `_created` samples of counters, summaries and histograms to the sink (they are still checked).
        public var skipCreatedSeries: Bool
        /// Check the semantic rules (on by default). Off, the parser accepts what Prometheus's own OpenMetrics
        /// parser accepts (grammar only, trailing commas in label sets allowed): use that for scraping.
        public var validate: Bool

        public init(skipCreatedSeries: Bool = false, validate: Bool = true) {
            self.skipCreatedSeries = skipCreatedSeries
            self.validate = validate
        }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Parses `bytes` and hands metadata and samples to `sink` in input order.
    public func parse<S: ExpositionSink>(_ bytes: [UInt8], into sink: inout S) throws(ExpositionError) {
        let options = self.options
        let result: Result<Void, ExpositionError> = bytes.withUnsafeBufferPointer { buf in
            var state = OMState(p: buf, options: options)
            do throws(ExpositionError) {
                try state.run(&sink)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    /// Parses input that arrives in pieces, so a large file never has to be in memory at once:
    /// `read` appends the next bytes of the input to the buffer it is given and returns false at the end
    /// of the input. Complete lines are parsed as they arrive; positions, errors and what `sink` receives
    /// are the same as for the whole input at once (OpenMetrics lines never contain a raw line break).
    public func parse<S: ExpositionSink>(reading read: (inout [UInt8]) throws(ExpositionError) -> Bool,
                                         into sink: inout S) throws(ExpositionError) {
        var buffer: [UInt8] = []
        var validator = OpenMetricsValidator(validate: options.validate, skipCreated: options.skipCreatedSeries)
        var line = 1
        var more = true
        var eofLine: Int?
        while more {
            more = try read(&buffer)
            if let eofLine {
                // Anything after `# EOF\n` (the whole-input parser reports it on the next line).
                if !buffer.isEmpty { throw ExpositionError(line: eofLine + 1, column: 1, message: "unexpected data after # EOF") }
                continue
            }
            // Parse up to the last line break; the rest waits for more input (all of it at the end).
            var complete = buffer.count
            if more {
                guard let lastBreak = buffer.lastIndex(of: 0x0A) else { continue }
                complete = lastBreak + 1
            }
            var outcome = piece(buffer, complete, final: !more, validator, line, into: &sink)
            if case .failed(_, let handed) = outcome, more {
                // The error's text may quote a token running on past this piece (a quoted string up to its
                // closing quote): read on (up to `errorLookahead` bytes) and parse the piece again, handing
                // over only what the first attempt did not.
                var extra = 0
                while more, extra < Self.errorLookahead {
                    let before = buffer.count
                    more = try read(&buffer)
                    extra += buffer.count - before
                }
                var skipping = SkippingSink(inner: sink, skip: handed - validator.handed)
                outcome = piece(buffer, complete, final: false, validator, line, into: &skipping)
                sink = skipping.inner
            }
            switch outcome {
            case .failed(let error, _):
                throw error
            case .parsed(let v, let nextLine, let sawEOF):
                validator = v
                line = nextLine
                buffer.removeFirst(complete)
                if sawEOF {
                    if !buffer.isEmpty { throw ExpositionError(line: nextLine + 1, column: 1, message: "unexpected data after # EOF") }
                    eofLine = nextLine
                }
            }
        }
    }

    /// How far past a failing piece `parse(reading:)` reads to word the error as the whole input would.
    static let errorLookahead = 64 << 20

    private enum PieceOutcome {
        case parsed(OpenMetricsValidator, nextLine: Int, sawEOF: Bool)
        /// The error, and how many items the validator had handed over (since the start) when it occurred.
        case failed(ExpositionError, handed: Int)
    }

    /// Parses `buffer[0..<complete]` (whole lines; the last piece of the input when `final`), the lines
    /// after it visible only to error texts.
    private func piece<S: ExpositionSink>(_ buffer: [UInt8], _ complete: Int, final: Bool, _ validator: OpenMetricsValidator,
                                          _ line: Int, into sink: inout S) -> PieceOutcome {
        let options = self.options
        return buffer.withUnsafeBufferPointer { all in
            var state = OMState(p: all, options: options)
            state.s.n = complete
            state.v = validator
            state.s.line = line
            state.isFinalPiece = final
            do throws(ExpositionError) {
                let sawEOF = try state.run(&sink)
                return .parsed(state.v, nextLine: state.s.line, sawEOF: sawEOF)
            } catch {
                return .failed(error, handed: state.v.handed)
            }
        }
    }

    /// Convenience: parses a string.
    public func parse<S: ExpositionSink>(_ text: String, into sink: inout S) throws(ExpositionError) {
        try parse(Array(text.utf8), into: &sink)
    }
}

/// Forwards to `inner` all but the first `skip` items (re-parsing a piece whose start was handed over).
private struct SkippingSink<Inner: ExpositionSink>: ExpositionSink {
    var inner: Inner
    var skip: Int

    mutating func metadata(_ metadata: ExpositionMetadata) {
        if skip > 0 { skip -= 1 } else { inner.metadata(metadata) }
    }

    mutating func sample(_ sample: ExpositionSample) {
        if skip > 0 { skip -= 1 } else { inner.sample(sample) }
    }
}

/// A sample as the OpenMetrics grammar produced it, before validation.
struct OMRawSample {
    var name: String
    var labels: [ExpositionLabel]   // without __name__
    /// The line's name and labels are byte for byte those of the previous sample line.
    var sameSeriesAsPrevious = false
    var value: Double
    var timestamp: Double?          // seconds
    var exemplar: Exemplar?
    var line: Int
}

/// Lexer states of Prometheus's `openmetricslex.l`, used to describe the offending token in error texts.
enum OMLexState {
    case initial, meta1, labels, labelValue, value, timestamp, exemplar, exemplarValue, exemplarNumber, exemplarTimestamp
}

struct OMState {
    var s: ByteScanner
    var v: OpenMetricsValidator
    let options: OpenMetricsParser.Options

    init(p: UnsafeBufferPointer<UInt8>, options: OpenMetricsParser.Options) {
        s = ByteScanner(p: p)
        v = OpenMetricsValidator(validate: options.validate, skipCreated: options.skipCreatedSeries)
        self.options = options
    }

    /// False while parsing a piece of a larger input that ends at a line break (more follows).
    var isFinalPiece = true
    /// The previous sample line's name-and-labels bytes (`p[previousSeriesStart..<+previousSeriesLength]`,
    /// length 0 when there is none) and what they parsed to: a line repeating them (a series' next sample)
    /// is not parsed again.
    var previousSeriesStart = 0
    var previousSeriesLength = 0
    var previousName = ""
    var previousLabels: [ExpositionLabel] = []

    /// End (exclusive) of the current line, i.e. the index of its `\n` or `n`.
    func lineEnd() -> Int {
        guard s.i < s.n, let base = s.p.baseAddress, let hit = memchr(base + s.i, 0x0A, s.n - s.i) else { return s.n }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    mutating func nextLine(_ end: Int) {
        s.i = end + 1
        s.line += 1
        s.lineStart = s.i
    }

    // MARK: error texts

    /// The token openmetricslex would produce at `j`: its name, its end, and the end of the "got" text
    /// (the token plus one byte; for an invalid token, up to and including the byte where matching failed).
    func token(at j: Int, _ state: OMLexState) -> (name: String, end: Int, gotEnd: Int) {
        // The whole buffer: a streamed piece's error quotes tokens running on past its end.
        let n = s.p.count
        func tok(_ name: String, _ end: Int) -> (String, Int, Int) { (name, end, min(n, end + 1)) }
        func invalid(failingAt k: Int) -> (String, Int, Int) { ("INVALID", min(n, k + 1), min(n, k + 1)) }
        func quotedString(_ name: String, newlines: Bool, nul: Bool = true) -> (String, Int, Int) {
            var k = j + 1
            while k < n {
                let c = s.p[k]
                if c == 0x22 { return tok(name, k + 1) }
                if (c == 0x0A && !newlines) || (c == 0 && !nul) { return invalid(failingAt: k) }
                if c == 0x5C { k += 1 }
                k += 1
            }
            return invalid(failingAt: n)
        }
        /// `{S}[^ \n]+`
        func spaced(_ name: String) -> (String, Int, Int)? {
            guard s.at(j) == 0x20 else { return nil }
            var k = j + 1
            while k < n, s.p[k] != 0x20, s.p[k] != 0x0A { k += 1 }
            if k == j + 1 { return invalid(failingAt: j + 1) }
            return tok(name, k)
        }
        let c = s.at(j)
        switch state {
        case .initial, .meta1:
            if ByteScanner.isNameStart(c) {
                var k = j
                while ByteScanner.isNameChar(s.at(k)) { k += 1 }
                return tok("MNAME", k)
            }
            if state == .meta1, c == 0x22 { return quotedString("MNAME", newlines: true) }
            if state == .initial, c == 0x7B { return tok("BOPEN", j + 1) }
            if state == .initial, c == 0x23 { return invalid(failingAt: j + 1) }
        case .labels, .exemplar:
            if ByteScanner.isLabelStart(c) {
                var k = j
                while ByteScanner.isLabelChar(s.at(k)) { k += 1 }
                return tok("LNAME", k)
            }
            switch c {
            case 0x22: return quotedString("QSTRING", newlines: state == .labels)
            case 0x7D: return tok("BCLOSE", j + 1)
            case 0x3D: return tok("EQUAL", j + 1)
            case 0x2C: return tok("COMMA", j + 1)
            default: break
            }
        case .labelValue, .exemplarValue:
            // Prometheus's lexer lets NUL bytes through only in metric label values.
            if c == 0x22 { return quotedString("LVALUE", newlines: false, nul: state == .labelValue) }
        case .value, .exemplarNumber:
            if state == .value, c == 0x7B { return tok("BOPEN", j + 1) }
            if let t = spaced("VALUE") { return t }
        case .timestamp, .exemplarTimestamp:
            if c == 0x0A { return tok("LINEBREAK", j + 1) }
            if state == .timestamp, c == 0x20, s.at(j + 1) == 0x23, s.at(j + 2) == 0x20, s.at(j + 3) == 0x7B {
                return tok("COMMENT", j + 4)
            }
            if let t = spaced("TIMESTAMP") { return t }
        }
        return invalid(failingAt: j)
    }

    /// `EXPECTATION, got "TOKEN" ("TYPE") while parsing: "LINE SO FAR"`, positioned at `j`. At the end of the
    /// input Prometheus reports the previous token (from `previous`) as "EOF".
    func lexError(_ expectation: String, at j: Int, _ state: OMLexState, lineBegin: Int, previous: Int? = nil) -> ExpositionError {
        if j >= s.n {
            let from = previous ?? lineBegin
            return s.error("\(expectation), got \(s.context(from: from, through: s.n - 1)) (\"EOF\") while parsing: \(s.context(from: lineBegin, through: s.n - 1))", at: j)
        }
        let (name, _, gotEnd) = token(at: j, state)
        let end = max(j + 1, gotEnd)
        return s.error("\(expectation), got \(s.context(from: j, through: end - 1)) (\"\(name)\") while parsing: \(s.context(from: lineBegin, through: end - 1))", at: j)
    }

    // MARK: lines

    /// Parses lines to `# EOF` (returning true), or to the end of a piece that is not the last (false).
    @discardableResult
    mutating func run<S: ExpositionSink>(_ sink: inout S) throws(ExpositionError) -> Bool {
        while true {
            if s.i >= s.n {
                if !isFinalPiece { return false }
                throw s.error("data does not end with # EOF")
            }
            let end = lineEnd()
            let c = s.p[s.i]
            if c == 0x23 {
                if try comment(end, &sink) { return true }
            } else if c == 0x7B || ByteScanner.isNameStart(Int(c)) {
                let raw = try sampleLine(end)
                try v.sample(raw, scanner: s, into: &sink)
            } else {
                throw lexError("expected a valid start token", at: s.i, .initial, lineBegin: s.i)
            }
            if end >= s.n {
                if !isFinalPiece { return false }
                throw s.error("data does not end with # EOF", at: end)
            }
            nextLine(end)
        }
    }

    /// Handles a `#` line; returns true at `# EOF`.
    mutating func comment<S: ExpositionSink>(_ end: Int, _ sink: inout S) throws(ExpositionError) -> Bool {
        let start = s.i
        let kwStart = start + 2
        // "# " then HELP/TYPE/UNIT followed by a space, or EOF; anything else is not a valid start.
        var keyword: String?
        if s.at(start + 1) == 0x20 {
            for k in ["HELP ", "TYPE ", "UNIT "] where s.text(kwStart, min(s.n, kwStart + 5)) == k {
                keyword = String(k.dropLast())
            }
            if keyword == nil, s.text(kwStart, min(s.n, kwStart + 3)) == "EOF" {
                if end != kwStart + 3 || (end < s.n && end + 1 < s.n) {
                    throw ExpositionError(line: end == kwStart + 3 ? s.line + 1 : s.line,
                                          column: end == kwStart + 3 ? 1 : kwStart + 4 - s.lineStart,
                                          message: "unexpected data after # EOF")
                }
                try v.finish(line: s.line, scanner: s, into: &sink)
                return true
            }
        }
        guard let keyword else {
            // Longest prefix of a valid comment start, as the lexer tried it.
            var fail = start + 1
            if s.at(start + 1) == 0x20 {
                var best = 0
                for k in ["HELP ", "TYPE ", "UNIT ", "EOF"] {
                    var m = 0
                    for (o, b) in k.utf8.enumerated() where m == o && s.at(kwStart + o) == Int(b) { m += 1 }
                    best = max(best, m)
                }
                fail = kwStart + best
            }
            let gotEnd = min(s.n, fail + 1)
            throw s.error("expected a valid start token, got \(s.context(from: start, through: gotEnd - 1)) (\"INVALID\") while parsing: \(s.context(from: start, through: gotEnd - 1))", at: start)
        }
        // Name.
        let nStart = kwStart + 5
        var nEnd = nStart
        let name: String
        if s.at(nStart) == 0x22 {
            s.i = nStart
            guard let qEnd = s.scanQuoted(allowNewline: false), qEnd <= end else {
                throw lexError("expected metric name after \(keyword)", at: nStart, .meta1, lineBegin: start)
            }
            guard s.validUTF8(nStart + 1, qEnd - 1) else {
                throw s.error("invalid UTF-8 metric name: \(s.context(from: nStart, through: qEnd - 1))", at: nStart)
            }
            name = s.unescaped(nStart + 1, qEnd - 1)
            nEnd = qEnd
        } else if nStart < end, ByteScanner.isNameStart(Int(s.p[nStart])) {
            while nEnd < end, ByteScanner.isNameChar(Int(s.p[nEnd])) { nEnd += 1 }
            name = s.text(nStart, nEnd)
        } else {
            throw lexError("expected metric name after \(keyword)", at: nStart, .meta1, lineBegin: start)
        }
        guard nEnd < end, s.p[nEnd] == 0x20 else {
            throw s.error("expected text in \(keyword)", at: nEnd)
        }
        let tStart = nEnd + 1
        s.i = start
        switch keyword {
        case "HELP":
            guard s.validUTF8(tStart, end) else {
                throw s.error("help text \(s.context(from: tStart, through: end - 1)) is not a valid utf8 string", at: tStart)
            }
            try v.help(name: name, text: s.unescaped(tStart, end), scanner: s, into: &sink)
        case "TYPE":
            let t = s.text(tStart, end)
            guard let type = MetricType(rawValue: t) else {
                throw s.error("invalid metric type \(s.context(from: tStart, through: end - 1))", at: tStart)
            }
            try v.type(name: name, type: type, scanner: s, into: &sink)
        default:
            guard s.validUTF8(tStart, end) else {
                throw s.error("invalid UTF-8 unit \(s.context(from: tStart, through: end - 1))", at: tStart)
            }
            let u = s.text(tStart, end)
            if !u.isEmpty, !(name.hasSuffix("_" + u)) {
                throw s.error("unit \(ExpositionQuote.string(u)) not a suffix of metric \(ExpositionQuote.string(name))", at: tStart)
            }
            try v.unit(name: name, unit: u, scanner: s, into: &sink)
        }
        return false
    }

    /// Parses a sample line `[name][{labels}] value [timestamp] [# {labels} value [timestamp]]`.
    mutating func sampleLine(_ end: Int) throws(ExpositionError) -> OMRawSample {
        let start = s.i
        let sampleLine = s.line
        var name: String?
        var previous = start
        var labels: [ExpositionLabel] = []
        let repeated = repeatsPreviousSeries(end)
        if repeated {
            name = previousName
            labels = previousLabels
            s.i = start + previousSeriesLength
            if s.p[s.i - 1] == 0x7D { previous = s.i - 1 }
        } else {
            labels.reserveCapacity(8)
            if s.p[s.i] != 0x7B {
                var j = s.i
                while j < end, ByteScanner.isNameChar(Int(s.p[j])) { j += 1 }
                name = s.text(s.i, j)
                s.i = j
            }
            if s.i < end, s.p[s.i] == 0x7B {
                s.i += 1
                try labelSet(&labels, name: &name, end: end, lineBegin: start, exemplar: false)
                previous = s.i - 1
            }
            if let name {
                previousSeriesStart = start
                previousSeriesLength = s.i - start
                previousName = name
                previousLabels = labels
            }
        }
        // Value: " " then [^ \n]+
        guard s.i < end, s.p[s.i] == 0x20, s.i + 1 < end, s.p[s.i + 1] != 0x20 else {
            throw lexError("expected value after metric", at: s.i, .value, lineBegin: start, previous: previous)
        }
        var vEnd = s.i + 1
        while vEnd < end, s.p[vEnd] != 0x20 { vEnd += 1 }
        guard let metricName = name else {
            throw s.error("metric name not set while parsing: \(s.context(from: start, through: vEnd - 1))", at: start)
        }
        let value = try number(from: s.i + 1, to: vEnd, lineBegin: start)
        s.i = vEnd
        var timestamp: Double?
        var exemplar: Exemplar?
        if s.i < end {
            let (t, tEnd, _) = token(at: s.i, .timestamp)
            switch t {
            case "COMMENT":
                exemplar = try exemplarPart(end: end, lineBegin: start)
            case "TIMESTAMP":
                let ts = try number(from: s.i + 1, to: tEnd, lineBegin: start)
                guard ts.isFinite else {
                    throw s.error("invalid timestamp \(ExpositionNumber.formatSpecial(ts))", at: s.i + 1)
                }
                timestamp = ts
                s.i = tEnd
                if s.i < end {
                    guard token(at: s.i, .timestamp).name == "COMMENT" else {
                        throw lexError("expected next entry after timestamp", at: s.i, .timestamp, lineBegin: start)
                    }
                    exemplar = try exemplarPart(end: end, lineBegin: start)
                }
            default:
                throw lexError("expected timestamp or # symbol", at: s.i, .timestamp, lineBegin: start)
            }
        }
        return OMRawSample(name: metricName, labels: labels, sameSeriesAsPrevious: repeated, value: value,
                           timestamp: timestamp, exemplar: exemplar, line: sampleLine)
    }

    /// Whether this line (from `s.i` to `end`) starts with the previous sample line's name and labels,
    /// followed by the space before the value; the remembered position moves to this line.
    mutating func repeatsPreviousSeries(_ end: Int) -> Bool {
        let length = previousSeriesLength
        let start = s.i
        guard length > 0, end - start > length, s.p[start + length] == 0x20,
              let base = s.p.baseAddress, memcmp(base + start, base + previousSeriesStart, length) == 0 else {
            previousSeriesLength = 0
            return false
        }
        previousSeriesStart = start
        return true
    }

    /// Parses the number `p[from..<to]` (a value or timestamp token) with Go's rules.
    func number(from: Int, to: Int, lineBegin: Int) throws(ExpositionError) -> Double {
        switch ExpositionNumber.parseFloat(s.p, from, to) {
        case .value(let v):
            return v
        case let r:
            throw s.error("\(ExpositionNumber.floatError(r, s.text(from, to))) while parsing: \(s.context(from: lineBegin, through: to - 1))", at: from)
        }
    }

    /// Parses ` # {labels} value [timestamp]` starting at the space before `#`.
    mutating func exemplarPart(end: Int, lineBegin: Int) throws(ExpositionError) -> Exemplar {
        s.i += 4 // " # {"
        var labels: [ExpositionLabel] = []
        var unusedName: String?
        try labelSet(&labels, name: &unusedName, end: end, lineBegin: lineBegin, exemplar: true)
        var length = 0
        for l in labels { length += l.name.unicodeScalars.count + l.value.unicodeScalars.count }
        if options.validate, length > 128 {
            throw s.error("exemplar labels have \(length) UTF-8 characters, exceeding the limit of 128", at: s.i)
        }
        let (t, vEnd, _) = token(at: s.i, .exemplarNumber)
        guard s.i < end, t == "VALUE" else {
            throw lexError("expected value after exemplar labels", at: s.i, .exemplarNumber, lineBegin: lineBegin, previous: s.i - 1)
        }
        let value = try number(from: s.i + 1, to: vEnd, lineBegin: lineBegin)
        s.i = vEnd
        var ts: Int64?
        if s.i < end {
            let (t2, tEnd, _) = token(at: s.i, .exemplarTimestamp)
            guard t2 == "TIMESTAMP" else {
                throw lexError("expected timestamp or comment", at: s.i, .exemplarTimestamp, lineBegin: lineBegin)
            }
            let t = try number(from: s.i + 1, to: tEnd, lineBegin: lineBegin)
            guard t.isFinite else {
                throw s.error("invalid exemplar timestamp \(ExpositionNumber.formatSpecial(t))", at: s.i + 1)
            }
            ts = ExpositionNumber.secondsToMillis(t)
            s.i = tEnd
            if s.i < end {
                throw lexError("expected next entry after exemplar timestamp", at: s.i, .exemplarTimestamp, lineBegin: lineBegin)
            }
        }
        return Exemplar(labels: labels, value: value, timestampMs: ts)
    }

    /// Parses labels after `{` through `}` on one line (no blanks allowed, no trailing comma).
    mutating func labelSet(_ labels: inout [ExpositionLabel], name: inout String?, end: Int, lineBegin: Int, exemplar: Bool) throws(ExpositionError) {
        var dup = DuplicateLabelCheck()
        let lstate: OMLexState = exemplar ? .exemplar : .labels
        let vstate: OMLexState = exemplar ? .exemplarValue : .labelValue
        if s.i < end, s.p[s.i] == 0x7D { s.i += 1; return }
        while true {
            let tokStart = s.i
            let c = s.at(s.i)
            var labelName: String
            var quoted = false
            if c == 0x22, s.i < end {
                guard let qEnd = s.scanQuoted(allowNewline: false), qEnd <= end else {
                    throw lexError("expected label name", at: s.i, lstate, lineBegin: lineBegin)
                }
                guard s.validUTF8(tokStart + 1, qEnd - 1) else {
                    throw s.error("invalid UTF-8 label name: \(s.context(from: tokStart, through: qEnd - 1))", at: tokStart)
                }
                labelName = s.unescaped(tokStart + 1, qEnd - 1)
                s.i = qEnd
                quoted = true
            } else if s.i < end, ByteScanner.isLabelStart(c) {
                var j = s.i
                while j < end, ByteScanner.isLabelChar(Int(s.p[j])) { j += 1 }
                labelName = s.text(s.i, j)
                s.i = j
            } else {
                throw lexError("expected label name", at: s.i, lstate, lineBegin: lineBegin, previous: s.i - 1)
            }
            let next = s.i < end ? Int(s.p[s.i]) : -1
            if next == 0x2C || next == 0x7D {
                if exemplar {
                    throw lexError("expected label name", at: s.i, lstate, lineBegin: lineBegin)
                }
                if name != nil {
                    throw s.error("metric name already set while parsing: \(s.context(from: lineBegin, through: s.i))", at: tokStart)
                }
                if quoted {
                    name = labelName
                    s.i += 1
                    if next == 0x7D { return }
                    continue
                }
            }
            guard next == 0x3D else {
                throw lexError("expected equal", at: s.i, lstate, lineBegin: lineBegin, previous: tokStart)
            }
            s.i += 1
            guard s.i < end, s.p[s.i] == 0x22 else {
                throw lexError("expected label value", at: s.i, vstate, lineBegin: lineBegin, previous: s.i - 1)
            }
            let vStart = s.i
            guard let vEnd = s.scanQuoted(allowNewline: false), vEnd <= end else {
                throw lexError("expected label value", at: s.i, vstate, lineBegin: lineBegin)
            }
            if exemplar, token(at: vStart, vstate).name != "LVALUE" {
                throw lexError("expected label value", at: vStart, vstate, lineBegin: lineBegin)
            }
            guard s.validUTF8(vStart + 1, vEnd - 1) else {
                throw s.error("invalid UTF-8 label value: \(s.context(from: vStart, through: vEnd - 1))", at: vStart)
            }
            if dup.isDuplicate(labelName, in: labels) {
                throw s.error("duplicate label name \(ExpositionQuote.string(labelName))", at: tokStart)
            }
            labels.append((labelName, s.unescaped(vStart + 1, vEnd - 1)))
            s.i = vEnd
            let d = s.i < end ? Int(s.p[s.i]) : -1
            if d == 0x7D { s.i += 1; return }
            guard d == 0x2C else {
                throw lexError("expected comma or brace close", at: s.i, lstate, lineBegin: lineBegin, previous: vStart)
            }
            s.i += 1
            if s.i < end, s.p[s.i] == 0x7D {
                // Prometheus's parser accepts a trailing comma; the specification does not.
                if !options.validate { s.i += 1; return }
                throw s.error("unexpected \"}\" after a trailing comma (OpenMetrics allows no trailing comma) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
        }
    }
}
