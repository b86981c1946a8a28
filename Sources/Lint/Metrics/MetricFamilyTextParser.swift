import Engine

/// Metric type names of Prometheus's client data model (`dto.MetricType`), as promlint sees them.
public enum MetricFamilyType: String, Sendable, Hashable {
    case counter = "COUNTER", gauge = "GAUGE", summary = "SUMMARY", untyped = "UNTYPED", histogram = "HISTOGRAM"
    case gaugeHistogram = "GAUGE_HISTOGRAM"

    /// Lower-case name (`counter`, `gauge_histogram`, ...).
    public var lowercased: String { rawValue.lowercased() }
}

/// One metric (label set) of a family, as the Go text parser builds it.
public struct MetricFamilyMetric: Sendable, Equatable {
    /// Label pairs in input order; `le` of histograms and `quantile` of summaries are not included.
    public var labels: [MetricFamilyLabel]
    /// Number of `_bucket` samples (histograms).
    public var bucketCount = 0
    /// Number of quantile samples (summaries).
    public var quantileCount = 0

    public init(labels: [MetricFamilyLabel] = []) { self.labels = labels }
}

/// A label pair.
public struct MetricFamilyLabel: Sendable, Equatable, Hashable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) { self.name = name; self.value = value }
}

/// A metric family as Prometheus's `expfmt.TextParser` builds it (what promlint and `check metrics` see).
public struct MetricFamily: Sendable, Equatable {
    public var name: String
    public var help: String?
    /// The declared type; `nil` only in the quirky case of a family created by a `{"name"}` line.
    public var declaredType: MetricFamilyType?
    public var metrics: [MetricFamilyMetric] = []

    /// The type as `GetType()` reports it (a family without a type reads as a counter).
    public var type: MetricFamilyType { declaredType ?? .counter }

    public init(name: String, help: String? = nil, declaredType: MetricFamilyType? = nil) {
        self.name = name
        self.help = help
        self.declaredType = declaredType
    }
}

/// A parse error of the Go text parser: `text format parsing error in line N: MSG`.
public struct MetricFamilyParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "text format parsing error in line \(line): \(message)" }
}

/// Re-implements the behaviour of Prometheus's `expfmt.TextParser.TextToMetricFamilies` (the parser
/// `promtool check metrics` and promlint use): same grammar quirks, same error texts, same grouping of
/// summary and histogram samples into metrics. Families come back in first-seen order, empty ones dropped.
public struct MetricFamilyTextParser: Sendable {
    public init() {}

    public func parse(_ bytes: [UInt8]) throws(MetricFamilyParseError) -> [MetricFamily] {
        var st = GoTextParserState(bytes: bytes)
        try st.run()
        return st.families.filter { !$0.metrics.isEmpty }
    }
}

private enum GoState {
    case startOfLine, startComment, readingMetricName, readingLabels, startLabelName, startLabelValue
    case readingValue, startTimestamp, readingHelp, readingType
}

private struct GoTextParserState {
    let b: [UInt8]
    var pos = 0
    var lineCount = 0
    var cb: UInt8 = 0
    var eof = false
    var token: [UInt8] = []
    var families: [MetricFamily] = []
    var index: [String: Int] = [:]
    var mf: Int?
    var metric: MetricFamilyMetric?
    /// Where `metric` lives in `families[mf].metrics` once stored.
    var metricSlot: Int?
    var labelPairName = ""
    var currentLabel: [MetricFamilyLabel] = [] {
        didSet { if currentLabel.isEmpty { currentLabelNames.removeAll(keepingCapacity: true) } }
    }
    /// Names in `currentLabel`, kept only for long label sets.
    var currentLabelNames: Set<String> = []
    var currentLabels: [String: String]?
    var summaries: [String: Int] = [:]
    var histograms: [String: Int] = [:]
    var currentQuantile = Double.nan
    var currentBucket = Double.nan
    var isSummaryCount = false, isSummarySum = false, isHistogramCount = false, isHistogramSum = false
    var insideBraces = false
    var insideBracesNamePresent = false

    init(bytes: [UInt8]) { b = bytes }

    func perr(_ msg: String) -> MetricFamilyParseError { MetricFamilyParseError(line: lineCount, message: msg) }

    /// Reads the next byte into `cb`; false (and `eof`) at the end.
    mutating func readByte() -> Bool {
        if pos < b.count {
            cb = b[pos]
            pos += 1
            return true
        }
        eof = true
        return false
    }

    static func isBlankOrTab(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }
    static func isLabelNameStart(_ c: UInt8) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 0x22
    }
    /// Inside quotes every byte continues a name (Go's `utf8.ValidString(string(b))` converts the byte as a rune).
    static func isLabelNameContinuation(_ c: UInt8, _ quoted: Bool) -> Bool {
        quoted || isLabelNameStart(c) || (c >= 48 && c <= 57)
    }
    static func isMetricNameStart(_ c: UInt8) -> Bool { isLabelNameStart(c) || c == 58 }
    static func isMetricNameContinuation(_ c: UInt8, _ quoted: Bool) -> Bool {
        isLabelNameContinuation(c, quoted) || c == 58
    }

    var tokenString: String { String(decoding: token, as: UTF8.self) }
    var mfName: String { mf.map { families[$0].name } ?? "" }
    var mfType: MetricFamilyType { mf.map { families[$0].type } ?? .counter }

    /// Skips blanks; false at the end of input.
    mutating func skipBlankTab() -> Bool {
        while true {
            if !readByte() { return false }
            if !Self.isBlankOrTab(cb) { return true }
        }
    }

    mutating func skipBlankTabIfCurrentBlankTab() -> Bool {
        Self.isBlankOrTab(cb) ? skipBlankTab() : true
    }

    mutating func readTokenUntilWhitespace() -> Bool {
        token.removeAll(keepingCapacity: true)
        while !Self.isBlankOrTab(cb) && cb != 0x0A {
            token.append(cb)
            if !readByte() { return false }
        }
        return true
    }

    /// Returns false at the end of input; throws on a bad escape.
    mutating func readTokenUntilNewline(escapes: Bool) throws(MetricFamilyParseError) -> Bool {
        token.removeAll(keepingCapacity: true)
        var escaped = false
        while true {
            if escapes && escaped {
                switch cb {
                case 0x5C: token.append(0x5C)
                case UInt8(ascii: "n"): token.append(0x0A)
                case 0x22: token.append(0x22)
                default: throw perr("invalid escape sequence '\\\(Character(Unicode.Scalar(cb)))'")
                }
                escaped = false
            } else {
                switch cb {
                case 0x0A: return true
                case 0x5C: escaped = true
                default: token.append(cb)
                }
            }
            if !readByte() { return false }
        }
    }

    mutating func readTokenAsName(metric: Bool) throws(MetricFamilyParseError) -> Bool {
        token.removeAll(keepingCapacity: true)
        var quoted = false
        var escaped = false
        let start = metric ? Self.isMetricNameStart(cb) : Self.isLabelNameStart(cb)
        if !start { return true }
        while true {
            if escaped {
                switch cb {
                case 0x5C: token.append(0x5C)
                case UInt8(ascii: "n"): token.append(0x0A)
                case 0x22: token.append(0x22)
                default: throw perr("invalid escape sequence '\\\(Character(Unicode.Scalar(cb)))'")
                }
                escaped = false
            } else {
                switch cb {
                case 0x22:
                    quoted.toggle()
                    if !quoted {
                        return readByte()
                    }
                case 0x0A:
                    throw perr("\(metric ? "metric" : "label") name \(ExpositionQuote.string(token)) contains unescaped new-line")
                case 0x5C:
                    escaped = true
                default:
                    token.append(cb)
                }
            }
            if !readByte() { return false }
            let cont = metric ? Self.isMetricNameContinuation(cb, quoted) : Self.isLabelNameContinuation(cb, quoted)
            if !cont || (!quoted && cb == 0x20) { return true }
        }
    }

    mutating func readTokenAsLabelValue() throws(MetricFamilyParseError) -> Bool {
        token.removeAll(keepingCapacity: true)
        var escaped = false
        while true {
            if !readByte() { return false }
            if escaped {
                switch cb {
                case 0x22, 0x5C: token.append(cb)
                case UInt8(ascii: "n"): token.append(0x0A)
                default: throw perr("invalid escape sequence '\\\(Character(Unicode.Scalar(cb)))'")
                }
                escaped = false
                continue
            }
            switch cb {
            case 0x22: return true
            case 0x0A: throw perr("label value \(ExpositionQuote.string(token)) contains unescaped new-line")
            case 0x5C: escaped = true
            default: token.append(cb)
            }
        }
    }

    static func isCount(_ n: String) -> Bool { n.utf8.count > 6 && n.hasSuffix("_count") }
    static func isSum(_ n: String) -> Bool { n.utf8.count > 4 && n.hasSuffix("_sum") }
    static func isBucket(_ n: String) -> Bool { n.utf8.count > 7 && n.hasSuffix("_bucket") }

    mutating func setOrCreateCurrentMF() {
        isSummaryCount = false; isSummarySum = false; isHistogramCount = false; isHistogramSum = false
        let name = tokenString
        if let i = index[name] { mf = i; return }
        let summaryName = Self.isCount(name) ? String(name.dropLast(6)) : Self.isSum(name) ? String(name.dropLast(4)) : name
        if let i = index[summaryName], families[i].declaredType == .summary {
            mf = i
            isSummaryCount = Self.isCount(name)
            isSummarySum = Self.isSum(name)
            return
        }
        let histogramName = Self.isCount(name) ? String(name.dropLast(6)) : Self.isSum(name) ? String(name.dropLast(4))
            : Self.isBucket(name) ? String(name.dropLast(7)) : name
        if let i = index[histogramName], families[i].declaredType == .histogram {
            mf = i
            isHistogramCount = Self.isCount(name)
            isHistogramSum = Self.isSum(name)
            return
        }
        families.append(MetricFamily(name: name))
        index[name] = families.count - 1
        mf = families.count - 1
    }

    static func signature(_ labels: [String: String]) -> String {
        labels.sorted { $0.key < $1.key }.map { $0.key + "\u{0}" + $0.value }.joined(separator: "\u{1}")
    }

    mutating func run() throws(MetricFamilyParseError) {
        var state = GoState.startOfLine
        while true {
            guard let next = try step(state) else { return }
            state = next
        }
    }

    /// Returns the next state; nil when done (successfully); throws parse errors. Premature end of input
    /// inside a line becomes "unexpected end of input stream".
    mutating func step(_ state: GoState) throws(MetricFamilyParseError) -> GoState? {
        let unexpectedEnd = perr("unexpected end of input stream")
        switch state {
        case .startOfLine:
            lineCount += 1
            insideBraces = false
            insideBracesNamePresent = false
            if !skipBlankTab() { return nil }
            switch cb {
            case UInt8(ascii: "#"): return .startComment
            case 0x0A: return .startOfLine
            case UInt8(ascii: "{"):
                insideBraces = true
                return .readingLabels
            default: return .readingMetricName
            }

        case .startComment:
            if !skipBlankTab() { throw perr("unexpected end of input stream") }
            if cb == 0x0A { return .startOfLine }
            if !readTokenUntilWhitespace() { throw unexpectedEnd }
            if cb == 0x0A { return .startOfLine }
            let keyword = tokenString
            if keyword != "HELP" && keyword != "TYPE" {
                while cb != 0x0A {
                    if !readByte() { throw unexpectedEnd }
                }
                return .startOfLine
            }
            if !skipBlankTab() { throw unexpectedEnd }
            if !(try readTokenAsName(metric: true)) { throw unexpectedEnd }
            if cb == 0x0A { return .startOfLine }
            if !Self.isBlankOrTab(cb) { throw perr("invalid metric name in comment") }
            setOrCreateCurrentMF()
            if !skipBlankTab() { throw unexpectedEnd }
            if cb == 0x0A { return .startOfLine }
            return keyword == "HELP" ? .readingHelp : .readingType

        case .readingMetricName:
            if !(try readTokenAsName(metric: true)) { throw unexpectedEnd }
            if token.isEmpty { throw perr("invalid metric name") }
            setOrCreateCurrentMF()
            if let i = mf, families[i].declaredType == nil { families[i].declaredType = .untyped }
            metric = MetricFamilyMetric()
            if !skipBlankTabIfCurrentBlankTab() { throw unexpectedEnd }
            return .readingLabels

        case .readingLabels:
            if mfType == .summary || mfType == .histogram {
                currentLabels = ["__name__": mfName]
                currentQuantile = .nan
                currentBucket = .nan
            }
            if cb != UInt8(ascii: "{") { return .readingValue }
            return .startLabelName

        case .startLabelName:
            if !skipBlankTab() { throw unexpectedEnd }
            if cb == UInt8(ascii: "}") {
                guard metric != nil else { throw perr("invalid metric name") }
                metric?.labels.append(contentsOf: currentLabel)
                currentLabel = []
                if !skipBlankTab() { throw unexpectedEnd }
                return .readingValue
            }
            if !(try readTokenAsName(metric: false)) { throw unexpectedEnd }
            if token.isEmpty { throw perr("invalid label name for metric \(ExpositionQuote.string(mfName))") }
            if !skipBlankTabIfCurrentBlankTab() { throw unexpectedEnd }
            if cb != UInt8(ascii: "=") {
                if insideBraces {
                    if insideBracesNamePresent {
                        throw perr("multiple metric names for metric \(ExpositionQuote.string(mfName))")
                    }
                    switch cb {
                    case UInt8(ascii: ","):
                        setOrCreateCurrentMF()
                        if let i = mf, families[i].declaredType == nil { families[i].declaredType = .untyped }
                        metric = MetricFamilyMetric()
                        insideBracesNamePresent = true
                        return .startLabelName
                    case UInt8(ascii: "}"):
                        setOrCreateCurrentMF()
                        if let i = mf, families[i].declaredType == nil { families[i].declaredType = .untyped }
                        metric = MetricFamilyMetric(labels: currentLabel)
                        currentLabel = []
                        if !skipBlankTab() { throw unexpectedEnd }
                        return .readingValue
                    default:
                        throw perr("unexpected end of metric name \(ExpositionQuote.rune(cb))")
                    }
                }
                throw perr("expected '=' after label name, found \(ExpositionQuote.rune(cb))")
            }
            labelPairName = tokenString
            if labelPairName == "__name__" { throw perr("label name \"__name__\" is reserved") }
            if !(mfType == .summary && labelPairName == "quantile") && !(mfType == .histogram && labelPairName == "le") {
                currentLabel.append(MetricFamilyLabel(labelPairName, ""))
            }
            if let last = currentLabel.last, last.name == labelPairName {
                if currentLabel.count > 16 {
                    if currentLabelNames.count != currentLabel.count - 1 {
                        currentLabelNames = Set(currentLabel.dropLast().map(\.name))
                    }
                    if !currentLabelNames.insert(labelPairName).inserted {
                        throw perr("duplicate label names for metric \(ExpositionQuote.string(mfName))")
                    }
                } else if currentLabel.dropLast().contains(where: { $0.name == labelPairName }) {
                    throw perr("duplicate label names for metric \(ExpositionQuote.string(mfName))")
                }
            }
            return .startLabelValue

        case .startLabelValue:
            if !skipBlankTab() { throw unexpectedEnd }
            if cb != 0x22 { throw perr("expected '\"' at start of label value, found \(ExpositionQuote.rune(cb))") }
            if !(try readTokenAsLabelValue()) { throw unexpectedEnd }
            guard let value = String(validating: token, as: UTF8.self) else {
                throw perr("invalid label value \(ExpositionQuote.string(token))")
            }
            if let last = currentLabel.indices.last, currentLabel[last].name == labelPairName {
                currentLabel[last].value = value
            }
            if mfType == .summary {
                if labelPairName == "quantile" {
                    guard let q = ExpositionNumber.parseFloat(token) else {
                        throw perr("expected float as value for 'quantile' label, got \(ExpositionQuote.string(token))")
                    }
                    currentQuantile = q
                } else {
                    currentLabels?[labelPairName] = value
                }
            }
            if mfType == .histogram {
                if labelPairName == "le" {
                    guard let le = ExpositionNumber.parseFloat(token) else {
                        throw perr("expected float as value for 'le' label, got \(ExpositionQuote.string(token))")
                    }
                    currentBucket = le
                } else {
                    currentLabels?[labelPairName] = value
                }
            }
            if !skipBlankTab() { throw unexpectedEnd }
            switch cb {
            case UInt8(ascii: ","): return .startLabelName
            case UInt8(ascii: "}"):
                guard mf != nil, metric != nil else { throw perr("invalid metric name") }
                metric?.labels.append(contentsOf: currentLabel)
                currentLabel = []
                if !skipBlankTab() { throw unexpectedEnd }
                return .readingValue
            default:
                throw perr("unexpected end of label value \(ExpositionQuote.string(value))")
            }

        case .readingValue:
            guard let f = mf, let m = metric else { throw perr("invalid metric name") }
            let t = families[f].type
            if t == .summary || t == .histogram {
                let sig = Self.signature(currentLabels ?? [:])
                if t == .summary, let slot = summaries[sig] {
                    metricSlot = slot
                } else if t == .histogram, let slot = histograms[sig] {
                    metricSlot = slot
                } else {
                    families[f].metrics.append(m)
                    metricSlot = families[f].metrics.count - 1
                    if t == .summary { summaries[sig] = metricSlot } else { histograms[sig] = metricSlot }
                }
            } else {
                families[f].metrics.append(m)
                metricSlot = families[f].metrics.count - 1
            }
            if !readTokenUntilWhitespace() { throw unexpectedEnd }
            guard ExpositionNumber.parseFloat(token) != nil else {
                throw perr("expected float as value, got \(ExpositionQuote.string(token))")
            }
            if let slot = metricSlot, slot < families[f].metrics.count {
                if t == .summary, !isSummaryCount, !isSummarySum, !currentQuantile.isNaN {
                    families[f].metrics[slot].quantileCount += 1
                }
                if t == .histogram, !isHistogramCount, !isHistogramSum, !currentBucket.isNaN {
                    families[f].metrics[slot].bucketCount += 1
                }
            }
            if cb == 0x0A { return .startOfLine }
            return .startTimestamp

        case .startTimestamp:
            if !skipBlankTab() { throw unexpectedEnd }
            if !readTokenUntilWhitespace() { throw unexpectedEnd }
            guard ExpositionNumber.parseInt(token) != nil else {
                throw perr("expected integer as timestamp, got \(ExpositionQuote.string(token))")
            }
            if !(try readTokenUntilNewline(escapes: false)) { throw unexpectedEnd }
            if !token.isEmpty { throw perr("spurious string after timestamp: \(ExpositionQuote.string(token))") }
            return .startOfLine

        case .readingHelp:
            guard let f = mf else { throw perr("invalid metric name") }
            if families[f].help != nil {
                throw perr("second HELP line for metric name \(ExpositionQuote.string(families[f].name))")
            }
            if !(try readTokenUntilNewline(escapes: true)) { throw unexpectedEnd }
            families[f].help = tokenString
            return .startOfLine

        case .readingType:
            guard let f = mf else { throw perr("invalid metric name") }
            if families[f].declaredType != nil {
                throw perr("second TYPE line for metric name \(ExpositionQuote.string(families[f].name)), or TYPE reported after samples")
            }
            if !(try readTokenUntilNewline(escapes: false)) { throw unexpectedEnd }
            guard let t = MetricFamilyType(rawValue: tokenString.uppercased()) else {
                throw perr("unknown metric type \(ExpositionQuote.string(token))")
            }
            families[f].declaredType = t
            return .startOfLine
        }
    }
}
