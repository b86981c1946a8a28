#if canImport(Glibc)
import GoCompat
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine

/// `query analyze --type=histogram`: bucket population statistics of classic (`_bucket` + `le`) and
/// native histograms over a time frame, printed as promtool 3.14 prints them.
public struct HistogramAnalysis: Sendable {
    public var duration: GoDuration

    public init(duration: GoDuration) { self.duration = duration }

    static let header = """
        Bucket stats for each histogram series over time
        ------------------------------------------------
        First the min, avg, and max number of populated buckets, followed by the total
        number of buckets (only if different from the max number of populated buckets
        which is typical for classic but not native histograms).
        """
    static let footer = """
        Aggregated bucket stats
        -----------------------
        Each line shows min/avg/max over the series above.
        """

    /// Min, average and max populated buckets of one series (and all buckets seen).
    struct Statistics: Equatable {
        var minPop = Int.max, maxPop = 0, total = 0
        var avgPop = 0.0

        var text: String {
            maxPop == total ? "\(minPop)/\(fixed(avgPop, 3))/\(maxPop)" : "\(minPop)/\(fixed(avgPop, 3))/\(maxPop)/\(total)"
        }
    }

    /// A running min/avg/max (Go's `distribution`, same incremental average).
    struct Distribution: Equatable {
        var min = Int.max, max = 0, count = 0
        var avg = 0.0

        mutating func update(_ n: Int) {
            if min > n { min = n }
            if max < n { max = n }
            count += 1
            avg += Double(n) / Double(count) - avg / Double(count)
        }

        var text: String { "\(min)/\(fixed(avg, 3))/\(max)" }
    }

    struct MetaStatistics {
        var minPop = Distribution(), avgPop = Distribution(), maxPop = Distribution(), total = Distribution()

        mutating func update(_ s: Statistics) {
            minPop.update(s.minPop)
            avgPop.update(goInt(s.avgPop))
            maxPop.update(s.maxPop)
            total.update(s.total)
        }

        var text: String {
            var out = "histogram series (\(minPop.count) in total):\n- min populated: \(minPop.text)\n- avg populated: \(avgPop.text)\n- max populated: \(maxPop.text)"
            if maxPop != total { out += "\n- total: \(total.text)" }
            return out
        }
    }

    enum Skip: Error { case notEnoughData, misaligned }

    /// Runs the analysis, querying each `METRIC[DURATION]` through `query`, writing to `output`.
    public func run(matchers: [String], output: (String) -> Void,
                    query: (String) throws(PrometheusAPIClient.Failure) -> APIValue) throws(PrometheusAPIClient.Failure) {
        output(Self.header + "\n\n")
        var native = MetaStatistics(), classic = MetaStatistics()
        for matcher in matchers {
            let value = try query(matcher + "[" + duration.description + "]")
            guard case .matrix(let m) = value else {
                throw .other("query of buckets resulted in non-Matrix")
            }
            var groups: [String: [APISeries]] = [:]
            var order: [String] = []
            for series in m ?? [] {
                if series.values.isEmpty {
                    guard let stats = Self.nativeStatistics(series) else { continue }
                    output("- \(ValuePrinter.metric(series.metric)) (native): \(stats.text)\n")
                    native.update(stats)
                } else {
                    guard series.metric["le"] != nil, let name = series.metric["__name__"], name.hasSuffix("_bucket") else { continue }
                    var rest = series.metric
                    rest["__name__"] = nil
                    rest["le"] = nil
                    let key = name + ValuePrinter.labelSet(rest)
                    if groups[key] == nil { order.append(key) }
                    groups[key, default: []].append(series)
                }
            }
            // Go walks a map here (random order); we print the groups sorted, so runs are repeatable.
            for key in order.sorted() {
                switch Self.classicStatistics(groups[key] ?? []) {
                case .success(let stats):
                    output("- \(key) (classic): \(stats.text)\n")
                    classic.update(stats)
                case .failure(.notEnoughData):
                    continue
                case .failure(.misaligned):
                    throw .other("matrix result is not time aligned")
                }
            }
        }
        output("\n" + Self.footer + "\n")
        if native.minPop.count > 0 { output("\nNative " + native.text + "\n") }
        if classic.minPop.count > 0 { output("\nClassic " + classic.text + "\n") }
    }

    static func classicStatistics(_ input: [APISeries]) -> Result<Statistics, Skip> {
        var stats = Statistics(minPop: Int.max, total: input.count)
        guard let first = input.first, first.values.count >= 2 else { return .failure(.notEnoughData) }
        let matrix = input.enumerated().sorted { a, b in
            let la = le(a.element), lb = le(b.element)
            return la < lb || (!(lb < la) && a.offset < b.offset)
        }.map(\.element)
        let samples = first.values.count
        var totalPop = 0
        for t in 0..<samples {
            guard let counts = bucketCounts(matrix, at: t) else { return .failure(.misaligned) }
            let pop = counts.filter { $0 != 0 }.count
            totalPop += pop
            stats.minPop = min(stats.minPop, pop)
            stats.maxPop = max(stats.maxPop, pop)
        }
        stats.avgPop = Double(totalPop) / Double(samples)
        return .success(stats)
    }

    static func le(_ s: APISeries) -> Double { APIResponseDecoder.parseFloat(s.metric["le"] ?? "") ?? 0 }

    /// Per-bucket counts at sample `t` (differences of the cumulative `le` buckets); nil when misaligned.
    static func bucketCounts(_ m: [APISeries], at t: Int) -> [Int]? {
        var counts = [Int](repeating: 0, count: m.count)
        guard t < m[0].values.count else { return counts }
        counts[0] = goInt(m[0].values[t].value)
        for i in m.indices.dropFirst() {
            guard t < m[i].values.count else { return counts }
            let curr = m[i].values[t], prev = m[i - 1].values[t]
            if curr.timestamp != prev.timestamp { return nil }
            counts[i] = goInt(curr.value - prev.value)
        }
        return counts
    }

    static func nativeStatistics(_ s: APISeries) -> Statistics? {
        if s.histograms.count < 2 { return nil }
        struct Bounds: Hashable { var boundaries: Int32; var upper: Double; var lower: Double }
        var stats = Statistics(minPop: Int.max)
        var overall = Set<Bounds>()
        var totalPop = 0
        for h in s.histograms {
            let buckets = h.histogram.buckets ?? []
            for b in buckets { overall.insert(Bounds(boundaries: b.boundaries, upper: b.upper, lower: b.lower)) }
            totalPop += buckets.count
            stats.minPop = min(stats.minPop, buckets.count)
            stats.maxPop = max(stats.maxPop, buckets.count)
        }
        stats.avgPop = Double(totalPop) / Double(s.histograms.count)
        stats.total = overall.count
        return stats
    }
}

/// Go's `int(f)` on amd64: truncation, and the minimum integer for NaN, infinities and out-of-range values.
func goInt(_ f: Double) -> Int {
    guard f.isFinite, f > -9.223372036854775e18, f < 9.223372036854775e18 else { return Int.min }
    return Int(f.rounded(.towardZero))
}

/// Go's `%.Nf` (`NaN`, `+Inf`, `-Inf` for the special values).
func fixed(_ v: Double, _ digits: Int) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    var buf = [CChar](repeating: 0, count: 400)
    let n = withVaList([v]) { vsnprintf(&buf, buf.count, "%.\(digits)f", $0) }
    guard n > 0, Int(n) < buf.count else { return GoFloat.formatF(v) }
    return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
