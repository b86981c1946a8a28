#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The OpenMetrics 1.0 semantic rules, checked as lines stream by (modelled on the reference parser).
///
/// Family boundaries: a metadata line for a new name, or a sample whose name is not one the current
/// family's type allows (`_total`/`_created` for counters, `_bucket`/`_count`/`_sum`/`_created` for
/// histograms, `_bucket`/`_gcount`/`_gsum` for gauge histograms, `_info` for info, the bare name
/// plus `_count`/`_sum`/`_created` for summaries), starts a new family (an `unknown` one for a sample).
struct OpenMetricsValidator {
    let validate: Bool
    let skipCreated: Bool

    // Current family.
    var name: String?
    var type: MetricType?
    var help: String?
    var unit: String?
    var hasType = false, hasHelp = false, hasUnit = false
    var fromMetadata = false
    var metadataEmitted = false
    var metadataLine = 0
    var sampleCount = 0
    var allowedNames: [String] = []
    var group: String?
    var groupTimestamp: Double?
    var seenGroups: Set<String> = []
    var seenNames: Set<String> = []
    /// The label list handed to the sink for the previous sample line (nil when that line was skipped), so
    /// a series' next sample shares it instead of building an equal one.
    var previousSampleLabels: [ExpositionLabel]?
    /// The current family's `_created` sample name.
    var createdName = ""
    /// Items handed to the sink so far (metadata and samples).
    var handed = 0
    /// The previous sample line belongs to the current family (no metadata line came since).
    var previousSampleInFamily = false

    // Histogram state of the current group.
    var hGroup: String?
    var hTimestamp: Double?
    var hStarted = false
    var hCount: Double?
    var hBucket: Double?
    var hNegativeBuckets = false
    var hSum = false, hGsum = false, hNegativeGsum = false
    var hValue: Double = 0
    var hLastLine = 0

    init(validate: Bool, skipCreated: Bool) {
        self.validate = validate
        self.skipCreated = skipCreated
    }

    static func suffixes(_ t: MetricType?) -> [String] {
        switch t {
        case .counter: return ["_total", "_created"]
        case .summary: return ["", "_count", "_sum", "_created"]
        case .histogram: return ["_count", "_sum", "_bucket", "_created"]
        case .gaugehistogram: return ["_gcount", "_gsum", "_bucket"]
        case .info: return ["_info"]
        default: return [""]
        }
    }

    func fail(_ msg: String, line: Int) -> ExpositionError {
        ExpositionError(line: line, column: 1, message: msg)
    }

    // MARK: metadata

    mutating func startFamily<S: ExpositionSink>(_ newName: String, line: Int, metadata: Bool, into sink: inout S) throws(ExpositionError) {
        try endFamily(line: line, into: &sink)
        previousSampleInFamily = false
        name = newName
        createdName = newName + "_created"
        type = nil; help = nil; unit = nil
        hasType = false; hasHelp = false; hasUnit = false
        fromMetadata = metadata
        metadataEmitted = false
        metadataLine = line
        sampleCount = 0
        allowedNames = [newName]
        group = nil; groupTimestamp = nil
        seenGroups = []
        hStarted = false
    }

    mutating func metadataLineFor<S: ExpositionSink>(_ n: String, line: Int, into sink: inout S) throws(ExpositionError) {
        previousSampleInFamily = false
        if n == name {
            if validate, sampleCount > 0 {
                throw fail("received metadata after samples for metric \(ExpositionQuote.string(n))", line: line)
            }
            fromMetadata = true
        } else {
            try startFamily(n, line: line, metadata: true, into: &sink)
        }
    }

    mutating func help<S: ExpositionSink>(name n: String, text: String, scanner: ByteScanner, into sink: inout S) throws(ExpositionError) {
        try metadataLineFor(n, line: scanner.line, into: &sink)
        if validate, hasHelp { throw fail("more than one HELP for metric \(ExpositionQuote.string(n))", line: scanner.line) }
        hasHelp = true
        help = text
    }

    mutating func type<S: ExpositionSink>(name n: String, type t: MetricType, scanner: ByteScanner, into sink: inout S) throws(ExpositionError) {
        try metadataLineFor(n, line: scanner.line, into: &sink)
        if validate, hasType { throw fail("more than one TYPE for metric \(ExpositionQuote.string(n))", line: scanner.line) }
        hasType = true
        type = t
        allowedNames = Self.suffixes(t).map { n + $0 }
    }

    mutating func unit<S: ExpositionSink>(name n: String, unit u: String, scanner: ByteScanner, into sink: inout S) throws(ExpositionError) {
        try metadataLineFor(n, line: scanner.line, into: &sink)
        if validate, hasUnit { throw fail("more than one UNIT for metric \(ExpositionQuote.string(n))", line: scanner.line) }
        hasUnit = true
        unit = u
    }

    mutating func emitMetadata<S: ExpositionSink>(into sink: inout S) {
        guard !metadataEmitted, fromMetadata, let n = name else { return }
        metadataEmitted = true
        // "The value of a UNIT or HELP line MAY be empty. This MUST be treated as if no metadata line existed."
        handed &+= 1
        sink.metadata(ExpositionMetadata(name: n, type: type, help: help?.isEmpty == false ? help : nil,
                                         unit: unit?.isEmpty == false ? unit : nil, line: metadataLine))
    }

    /// Closes the current family: runs the family-level checks and emits metadata not yet emitted.
    mutating func endFamily<S: ExpositionSink>(line: Int, into sink: inout S) throws(ExpositionError) {
        guard let n = name else { return }
        emitMetadata(into: &sink)
        name = nil
        guard validate else { return }
        for suffix in Set(Self.suffixes(type) + [""]) {
            if !seenNames.insert(n + suffix).inserted {
                throw fail("clashing name: \(ExpositionQuote.string(n + suffix)) (metric family \(ExpositionQuote.string(n)))", line: metadataLine)
            }
        }
        if let u = unit, !u.isEmpty {
            if !n.hasSuffix("_" + u) {
                throw fail("unit \(ExpositionQuote.string(u)) does not match metric name \(ExpositionQuote.string(n))", line: metadataLine)
            }
            if type == .info || type == .stateset {
                throw fail("units are not allowed for \(type?.rawValue ?? "") metric \(ExpositionQuote.string(n))", line: metadataLine)
            }
        }
        if type == .histogram || type == .gaugehistogram {
            try histogramGroupEnd(n)
        }
    }

    mutating func finish<S: ExpositionSink>(line: Int, scanner: ByteScanner, into sink: inout S) throws(ExpositionError) {
        try endFamily(line: line, into: &sink)
    }

    // MARK: samples

    /// The group identity of a sample: its labels but `dropping`, sorted by name, as `name\0value\1…`,
    /// written in one allocation (it is built for every sample).
    static func groupKey(_ labels: [ExpositionLabel], dropping: String?) -> String {
        if labels.isEmpty { return "" }
        var sorted = true
        var prev: String?
        var size = 0
        for l in labels where l.name != dropping {
            if let p = prev, !(p < l.name) { sorted = false }
            prev = l.name
            size &+= l.name.utf8.count &+ l.value.utf8.count &+ 2
        }
        return String(unsafeUninitializedCapacity: size) { buffer in
            var i = 0
            func put(_ b: UInt8) {
                guard i < buffer.count else { return }
                buffer[i] = b
                i += 1
            }
            func put(_ text: String) {
                var text = text
                text.withUTF8 { bytes in
                    guard let from = bytes.baseAddress, let to = buffer.baseAddress, bytes.count <= buffer.count - i else { return }
                    (to + i).update(from: from, count: bytes.count)
                    i += bytes.count
                }
            }
            func put(_ pair: ExpositionLabel) {
                put(pair.name)
                put(0)
                put(pair.value)
                put(1)
            }
            if sorted {
                for l in labels where l.name != dropping { put(l) }
            } else {
                for l in labels.filter({ $0.name != dropping }).sorted(by: { $0.name < $1.name }) { put(l) }
            }
            return i
        }
    }

    static func isCanonicalLabelNumber(_ s: String) -> Double? {
        let bytes = Array(s.utf8)
        let r = bytes.withUnsafeBufferPointer { ExpositionNumber.parseFloat($0, 0, $0.count) }
        guard case .value(let d) = r, !d.isNaN else { return nil }
        if d.isInfinite, s != "+Inf", s != "-Inf" { return nil }
        return d
    }

    mutating func sample<S: ExpositionSink>(_ raw: OMRawSample, scanner: ByteScanner, into sink: inout S) throws(ExpositionError) {
        let line = raw.line
        // A line repeating the previous one's name stays in the family that one was in.
        let sameFamily = raw.sameSeriesAsPrevious && previousSampleInFamily
        if !sameFamily, name == nil || !allowedNames.contains(raw.name) {
            try startFamily(raw.name, line: line, metadata: false, into: &sink)
            type = nil
        }
        previousSampleInFamily = true
        emitMetadata(into: &sink)
        sampleCount &+= 1
        let n = name ?? raw.name
        let t = type ?? .unknown
        if validate {
            try check(raw, family: n, type: t, line: line)
        }
        let same = raw.sameSeriesAsPrevious ? previousSampleLabels : nil
        previousSampleLabels = nil
        if skipCreated, t == .counter || t == .summary || t == .histogram, raw.name == createdName { return }
        var labels: [ExpositionLabel]
        if let same {
            labels = same
        } else {
            labels = []
            labels.reserveCapacity(raw.labels.count &+ 1)
            labels.append(("__name__", raw.name))
            labels.append(contentsOf: raw.labels)
        }
        previousSampleLabels = labels
        var sample = ExpositionSample(labels: labels, value: raw.value, timestampMs: raw.timestamp.map(ExpositionNumber.secondsToMillis),
                                      exemplar: raw.exemplar, line: line)
        sample.sameSeriesAsPrevious = same != nil
        handed &+= 1
        sink.sample(sample)
    }

    mutating func check(_ raw: OMRawSample, family n: String, type t: MetricType, line: Int) throws(ExpositionError) {
        let value = raw.value
        func label(_ k: String) -> String? { raw.labels.first { $0.name == k }?.value }
        let isInteger = value.isFinite && value.rounded(.towardZero) == value
        // What follows the family name in the sample's name ("" when it is the name, or does not start with it).
        let suffix = Self.suffix(of: raw.name, after: n)

        if t == .stateset, label(n) == nil {
            throw fail("stateset sample is missing the label \(ExpositionQuote.string(n))", line: line)
        }
        if suffix == "_bucket" {
            guard let le = label("le"), Self.isCanonicalLabelNumber(le) != nil else {
                throw fail("invalid or missing \"le\" label on bucket of \(ExpositionQuote.string(n))", line: line)
            }
            if !isInteger { throw fail("bucket value must be an integer", line: line) }
        }
        if suffix == "_count" || suffix == "_gcount", !isInteger {
            throw fail("count value must be an integer", line: line)
        }
        if t == .summary, raw.name == n {
            guard let q = label("quantile"), let qv = Self.isCanonicalLabelNumber(q), qv >= 0, qv <= 1 else {
                throw fail("invalid or missing \"quantile\" label (must be between 0 and 1) on summary \(ExpositionQuote.string(n))", line: line)
            }
        }
        // Grouping.
        let dropping: String?
        switch t {
        case .summary where raw.name == n: dropping = "quantile"
        case .stateset: dropping = n
        case .histogram where suffix == "_bucket", .gaugehistogram where suffix == "_bucket": dropping = "le"
        default: dropping = nil
        }
        let g = t == .info ? "" : Self.groupKey(raw.labels, dropping: dropping)
        let changed = group != g
        if changed, !seenGroups.insert(g).inserted, group != nil {
            throw fail("invalid metric grouping: samples of one metric of \(ExpositionQuote.string(n)) are not together", line: line)
        }
        if !changed {
            if (raw.timestamp == nil) != (groupTimestamp == nil) {
                throw fail("mix of timestamp presence within a group of \(ExpositionQuote.string(n))", line: line)
            }
            if let gt = groupTimestamp, let ts = raw.timestamp, gt > ts, t != .info {
                throw fail("timestamps went backwards within a group of \(ExpositionQuote.string(n))", line: line)
            }
        }
        group = g
        groupTimestamp = raw.timestamp

        if t == .stateset, value != 0, value != 1 {
            throw fail("stateset samples can only have values zero and one", line: line)
        }
        if t == .info, value != 1 {
            throw fail("info samples can only have value one", line: line)
        }
        if t == .summary, raw.name == n, value < 0 {
            throw fail("quantile values cannot be negative", line: line)
        }
        switch suffix {
        case "_total", "_sum", "_count", "_bucket", "_gcount", "_gsum":
            if value.isNaN { throw fail("counter-like samples cannot be NaN", line: line) }
            if value < 0, suffix != "_gsum" { throw fail("counter-like samples cannot be negative", line: line) }
        default:
            break
        }
        if raw.exemplar != nil {
            let ok = ((t == .histogram || t == .gaugehistogram) && raw.name.hasSuffix("_bucket"))
                || (t == .counter && raw.name.hasSuffix("_total"))
            if !ok {
                throw fail("exemplars are only allowed on histogram/gaugehistogram buckets and counter totals", line: line)
            }
        }
        if t == .histogram || t == .gaugehistogram {
            // A bucket's group drops `le` already; the other series' groups are their labels.
            try histogramSample(raw, family: n, suffix: suffix, group: g, line: line)
        }
    }

    /// `name` without the family name `n` in front (compared byte by byte); "" when `name` is `n` or does not
    /// start with it.
    static func suffix(of name: String, after n: String) -> Substring {
        let bytes = name.utf8
        let prefix = n.utf8
        guard bytes.count > prefix.count else { return "" }
        let starts = bytes.withContiguousStorageIfAvailable { whole in
            prefix.withContiguousStorageIfAvailable { p in
                p.isEmpty || (whole.baseAddress.flatMap { w in p.baseAddress.map { memcmp(w, $0, p.count) == 0 } } ?? false)
            }
        } ?? nil
        guard starts ?? bytes.starts(with: prefix) else { return "" }
        return Substring(bytes.dropFirst(prefix.count))
    }

    // MARK: histograms

    mutating func histogramSample(_ raw: OMRawSample, family n: String, suffix: Substring, group g: String, line: Int) throws(ExpositionError) {
        if !hStarted || g != hGroup || raw.timestamp != hTimestamp {
            if hStarted { try histogramGroupEnd(n) }
            hStarted = true
            hCount = nil
            hBucket = nil
            hNegativeBuckets = false
            hSum = false; hGsum = false; hNegativeGsum = false
            hValue = 0
        }
        hGroup = g
        hTimestamp = raw.timestamp
        hLastLine = line
        switch suffix {
        case "_bucket":
            let le = raw.labels.first { $0.name == "le" }.flatMap { Self.isCanonicalLabelNumber($0.value) } ?? .nan
            if le < 0 { hNegativeBuckets = true }
            if let b = hBucket, le <= b {
                throw fail("histogram buckets out of order for \(ExpositionQuote.string(n))", line: line)
            }
            if raw.value < hValue {
                throw fail("histogram bucket values out of order (must be cumulative) for \(ExpositionQuote.string(n))", line: line)
            }
            hBucket = le
            hValue = raw.value
        case "_count", "_gcount":
            hCount = raw.value
        case "_sum":
            hSum = true
        case "_gsum":
            hGsum = true
            if raw.value < 0 { hNegativeGsum = true }
        default:
            break
        }
    }

    mutating func histogramGroupEnd(_ n: String) throws(ExpositionError) {
        guard hStarted else {
            return
        }
        hStarted = false
        let line = hLastLine
        if hBucket != .infinity {
            throw fail("+Inf bucket missing for histogram \(ExpositionQuote.string(n))", line: line)
        }
        if let c = hCount, c != hValue {
            throw fail("count does not match the +Inf bucket value for histogram \(ExpositionQuote.string(n))", line: line)
        }
        if hSum, hCount == nil { throw fail("_count must be present if _sum is present for \(ExpositionQuote.string(n))", line: line) }
        if hGsum, hCount == nil { throw fail("_gcount must be present if _gsum is present for \(ExpositionQuote.string(n))", line: line) }
        if !(hSum || hGsum), hCount != nil {
            throw fail("_sum/_gsum must be present if _count is present for \(ExpositionQuote.string(n))", line: line)
        }
        if hNegativeBuckets, hSum { throw fail("cannot have _sum with negative buckets for \(ExpositionQuote.string(n))", line: line) }
        if !hNegativeBuckets, hNegativeGsum {
            throw fail("cannot have negative _gsum with non-negative buckets for \(ExpositionQuote.string(n))", line: line)
        }
    }
}
