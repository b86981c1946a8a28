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
        /// Check the semantic rules (on by default); off accepts anything grammatical, like Prometheus's scraper.
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

    /// Convenience: parses a string.
    public func parse<S: ExpositionSink>(_ text: String, into sink: inout S) throws(ExpositionError) {
        try parse(Array(text.utf8), into: &sink)
    }
}

/// A sample as the OpenMetrics grammar produced it, before validation.
struct OMRawSample {
    var name: String
    var labels: [ExpositionLabel]   // without __name__
    var value: Double
    var timestamp: Double?          // seconds
    var exemplar: Exemplar?
    var line: Int
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

    /// End (exclusive) of the current line, i.e. the index of its `\n` or `n`.
    func lineEnd() -> Int {
        var j = s.i
        while j < s.n, s.p[j] != 0x0A { j += 1 }
        return j
    }

    mutating func nextLine(_ end: Int) {
        s.i = end + 1
        s.line += 1
        s.lineStart = s.i
    }

    mutating func run<S: ExpositionSink>(_ sink: inout S) throws(ExpositionError) {
        while true {
            if s.i >= s.n {
                throw s.error("data does not end with # EOF")
            }
            let end = lineEnd()
            let c = s.p[s.i]
            if c == 0x0A {
                throw s.error("unexpected blank line (expected a valid start token)")
            }
            if c == 0x23 {
                if try comment(end, &sink) { return }
            } else if c == 0x7B || ByteScanner.isNameStart(Int(c)) {
                let raw = try sampleLine(end)
                try v.sample(raw, scanner: s, into: &sink)
            } else {
                throw s.error("expected a valid start token, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: s.i, through: end - 1))")
            }
            if end >= s.n {
                throw s.error("data does not end with # EOF", at: end)
            }
            nextLine(end)
        }
    }

    /// Handles a `#` line; returns true at `# EOF`.
    mutating func comment<S: ExpositionSink>(_ end: Int, _ sink: inout S) throws(ExpositionError) -> Bool {
        let start = s.i
        let lineText = s.context(from: start, through: end - 1)
        guard s.at(start + 1) == 0x20 else {
            throw s.error("invalid comment line (only \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\" are allowed): \(lineText)")
        }
        let kwStart = start + 2
        // # EOF
        if end - kwStart == 3, s.text(kwStart, end) == "EOF" {
            try v.finish(line: s.line, scanner: s, into: &sink)
            if end < s.n, end + 1 < s.n {
                throw ExpositionError(line: s.line + 1, column: 1, message: "unexpected data after # EOF")
            }
            return true
        }
        var kwEnd = kwStart
        while kwEnd < end, s.p[kwEnd] != 0x20 { kwEnd += 1 }
        let keyword = s.text(kwStart, kwEnd)
        guard keyword == "HELP" || keyword == "TYPE" || keyword == "UNIT" else {
            throw s.error("invalid comment line (only \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\" are allowed): \(lineText)")
        }
        guard kwEnd < end else {
            throw s.error("expected metric name after \(keyword), got \"\\n\" while parsing: \(lineText)", at: kwEnd)
        }
        // Name.
        let nStart = kwEnd + 1
        var nEnd = nStart
        let name: String
        if s.at(nStart) == 0x22 {
            s.i = nStart
            guard let qEnd = s.scanQuoted(allowNewline: false), qEnd <= end else {
                throw s.error("expected metric name after \(keyword), got \(s.context(from: nStart, through: end - 1)) while parsing: \(lineText)", at: nStart)
            }
            guard s.validUTF8(nStart + 1, qEnd - 1) else {
                throw s.error("invalid UTF-8 metric name: \(s.context(from: nStart, through: qEnd - 1))", at: nStart)
            }
            name = s.unescaped(nStart + 1, qEnd - 1)
            nEnd = qEnd
        } else if ByteScanner.isNameStart(s.at(nStart)) {
            while nEnd < end, ByteScanner.isNameChar(Int(s.p[nEnd])) { nEnd += 1 }
            name = s.text(nStart, nEnd)
        } else {
            throw s.error("expected metric name after \(keyword), got \(s.context(from: nStart, through: nStart)) while parsing: \(lineText)", at: nStart)
        }
        guard nEnd < end, s.p[nEnd] == 0x20 else {
            throw s.error("expected text in \(keyword) (a space after the metric name), got \(s.context(from: nEnd, through: nEnd)) while parsing: \(lineText)", at: nEnd)
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
        if s.p[s.i] != 0x7B {
            var j = s.i
            while j < end, ByteScanner.isNameChar(Int(s.p[j])) { j += 1 }
            name = s.text(s.i, j)
            s.i = j
        }
        var labels: [ExpositionLabel] = []
        if s.i < end, s.p[s.i] == 0x7B {
            s.i += 1
            try labelSet(&labels, name: &name, end: end, lineBegin: start, exemplar: false)
        }
        guard let metricName = name else {
            throw s.error("metric name not set while parsing: \(s.context(from: start, through: s.i - 1))", at: start)
        }
        // Value.
        guard s.i < end, s.p[s.i] == 0x20 else {
            throw s.error("expected value after metric, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: start, through: s.i))")
        }
        let value = try number(from: s.i + 1, end: end, lineBegin: start, what: "metric")
        var timestamp: Double?
        var exemplar: Exemplar?
        if s.i < end {
            // s.p[s.i] == ' '
            if s.at(s.i + 1) == 0x23 {
                exemplar = try exemplarPart(end: end, lineBegin: start)
            } else {
                let ts = try number(from: s.i + 1, end: end, lineBegin: start, what: "timestamp")
                guard ts.isFinite else {
                    throw s.error("invalid timestamp \(ExpositionNumber.formatSpecial(ts))", at: s.i)
                }
                timestamp = ts
                if s.i < end {
                    guard s.at(s.i + 1) == 0x23 else {
                        throw s.error("expected next entry after timestamp, got \(s.context(from: s.i, through: s.i + 1)) while parsing: \(s.context(from: start, through: s.i + 1))", at: s.i + 1)
                    }
                    exemplar = try exemplarPart(end: end, lineBegin: start)
                }
            }
        }
        return OMRawSample(name: metricName, labels: labels, value: value, timestamp: timestamp, exemplar: exemplar, line: sampleLine)
    }

    /// Reads a number token from `from` up to the next space or the line end; leaves `s.i` at the delimiter.
    mutating func number(from: Int, end: Int, lineBegin: Int, what: String) throws(ExpositionError) -> Double {
        var j = from
        while j < end, s.p[j] != 0x20 { j += 1 }
        if j == from {
            throw s.error("expected \(what == "timestamp" ? "timestamp" : "value after \(what)"), got \(s.context(from: from, through: from)) while parsing: \(s.context(from: lineBegin, through: from))", at: from)
        }
        switch ExpositionNumber.parseFloat(s.p, from, j) {
        case .value(let v):
            s.i = j
            if j < end, j + 1 >= end {
                throw s.error("unexpected trailing space while parsing: \(s.context(from: lineBegin, through: j))", at: j)
            }
            return v
        case let r:
            throw s.error("\(ExpositionNumber.floatError(r, s.text(from, j))) while parsing: \(s.context(from: lineBegin, through: j - 1))", at: from)
        }
    }

    /// Parses ` # {labels} value [timestamp]` starting at the space before `#`.
    mutating func exemplarPart(end: Int, lineBegin: Int) throws(ExpositionError) -> Exemplar {
        // s.p[s.i] == ' ', s.p[s.i+1] == '#'
        guard s.at(s.i + 2) == 0x20, s.i + 2 < end, s.at(s.i + 3) == 0x7B, s.i + 3 < end else {
            throw s.error("expected \" # {\" before an exemplar, got \(s.context(from: s.i, through: min(end, s.i + 3) - 1)) while parsing: \(s.context(from: lineBegin, through: end - 1))", at: s.i)
        }
        s.i += 4
        var labels: [ExpositionLabel] = []
        var unusedName: String?
        try labelSet(&labels, name: &unusedName, end: end, lineBegin: lineBegin, exemplar: true)
        var length = 0
        for l in labels { length += l.name.unicodeScalars.count + l.value.unicodeScalars.count }
        if length > 128 {
            throw s.error("exemplar labels have \(length) UTF-8 characters, exceeding the limit of 128", at: s.i)
        }
        guard s.i < end, s.p[s.i] == 0x20 else {
            throw s.error("expected value after exemplar labels, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
        }
        let value = try number(from: s.i + 1, end: end, lineBegin: lineBegin, what: "exemplar labels")
        var ts: Int64?
        if s.i < end {
            let t = try number(from: s.i + 1, end: end, lineBegin: lineBegin, what: "timestamp")
            guard t.isFinite else {
                throw s.error("invalid exemplar timestamp \(ExpositionNumber.formatSpecial(t))", at: s.i)
            }
            ts = ExpositionNumber.secondsToMillis(t)
            if s.i < end {
                throw s.error("expected next entry after exemplar timestamp, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
        }
        return Exemplar(labels: labels, value: value, timestampMs: ts)
    }

    /// Parses labels after `{` through `}` on one line (no blanks allowed, no trailing comma).
    mutating func labelSet(_ labels: inout [ExpositionLabel], name: inout String?, end: Int, lineBegin: Int, exemplar: Bool) throws(ExpositionError) {
        var dup = DuplicateLabelCheck()
        if s.i < end, s.p[s.i] == 0x7D { s.i += 1; return }
        while true {
            let tokStart = s.i
            let c = s.at(s.i)
            var labelName: String
            var quoted = false
            if c == 0x22 {
                guard let qEnd = s.scanQuoted(allowNewline: false), qEnd <= end else {
                    throw s.error("expected label name, got \(s.context(from: s.i, through: end - 1)) while parsing: \(s.context(from: lineBegin, through: end - 1))")
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
                throw s.error("expected label name, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
            let next = s.i < end ? Int(s.p[s.i]) : -1
            if quoted && (next == 0x2C || next == 0x7D) {
                if exemplar {
                    throw s.error("expected label name, got \(s.context(from: tokStart, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))", at: tokStart)
                }
                if name != nil {
                    throw s.error("metric name already set while parsing: \(s.context(from: lineBegin, through: s.i))", at: tokStart)
                }
                name = labelName
                s.i += 1
                if next == 0x7D { return }
                continue
            }
            guard next == 0x3D else {
                throw s.error("expected equal, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
            s.i += 1
            guard s.i < end, s.p[s.i] == 0x22 else {
                throw s.error("expected label value, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
            let vStart = s.i
            guard let vEnd = s.scanQuoted(allowNewline: false), vEnd <= end else {
                throw s.error("expected label value, got \(s.context(from: s.i, through: end - 1)) while parsing: \(s.context(from: lineBegin, through: end - 1))")
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
                throw s.error("expected comma or brace close, got \(s.context(from: s.i, through: s.i)) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
            s.i += 1
            if s.i < end, s.p[s.i] == 0x7D {
                throw s.error("expected label name, got \"}\" (trailing comma) while parsing: \(s.context(from: lineBegin, through: s.i))")
            }
        }
    }
}
