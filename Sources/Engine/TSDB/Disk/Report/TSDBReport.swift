import ConfigModel
import GoCompat

/// The text `promtool tsdb list|analyze|dump|dump-openmetrics` print (3.14's cmd/promtool/tsdb.go), computed
/// from a read-only `TSDBDirectory` or `Block`.
public enum TSDBReport {
    // MARK: list

    /// `tsdb list [-r]`: one row per block, Go tabwriter (min width 13, padding 2); the last column unpadded.
    public static func list(_ dir: TSDBDirectory, humanReadable: Bool) -> String {
        var rows = [["BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"]]
        for b in dir.blocks {
            let m = b.meta
            rows.append([
                m.ulid, time(m.minTime, humanReadable), time(m.maxTime, humanReadable),
                RulesTestFormat.goDuration(nanos: (m.maxTime &- m.minTime) &* 1_000_000),
                String(m.stats.numSamples), String(m.stats.numChunks), String(m.stats.numSeries),
                humanReadable ? Base2Bytes(bytes: Int64(b.size)).description : String(b.size),
            ])
        }
        return table(rows, minWidth: 13, padding: 2)
    }

    private static func time(_ ms: Int64, _ human: Bool) -> String {
        guard human else { return String(ms) }
        // time.Unix(ms/1000, 0).UTC().String()
        return TemplateFormat.timeString((ms / 1000) &* 1_000_000_000)
    }

    /// Go's tabwriter over tab-terminated cells: every column but the last padded to its widest cell + padding.
    static func table(_ rows: [[String]], minWidth: Int, padding: Int) -> String {
        let columns = (rows.map(\.count).max() ?? 1) - 1
        var widths = [Int](repeating: minWidth, count: max(0, columns))
        for r in rows {
            for (j, cell) in r.enumerated() where j < columns {
                widths[j] = max(widths[j], cell.unicodeScalars.count + padding)
            }
        }
        var out = ""
        for r in rows {
            for (j, cell) in r.enumerated() {
                out += cell
                if j < columns { out += String(repeating: " ", count: max(0, widths[j] - cell.unicodeScalars.count)) }
            }
            out += "\n"
        }
        return out
    }

    // MARK: analyze

    /// One ranked figure of `tsdb analyze`.
    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: UInt64
    }

    /// Everything `tsdb analyze` computes for a block (and what `-o json` prints); each list holds its top
    /// `limit` entries.
    public struct Analysis: Sendable {
        public var blockID: String
        public var durationMillis: Int64
        public var totalSeries: UInt64
        public var matcher: String?
        public var matchedSeries: Int?
        public var labelNames: Int
        public var uniqueLabelPairs: Int
        public var labelPairEntries: Int
        public var churningLabelPairs: [Entry]
        public var churningLabelNames: [Entry]
        public var commonLabelPairs: [Entry]
        public var valueLengthByLabelName: [Entry]
        public var cardinalityByLabelName: [Entry]
        public var cardinalityByMetricName: [Entry]
        /// Beyond promtool: series per `job` value (which scrape jobs brought the series).
        public var seriesByJob: [Entry]
        /// Beyond promtool: series per metric name and job, keyed `name{job="…"}` (which job brought the
        /// high-cardinality metrics; `name{}` for series without a job label).
        public var seriesByMetricAndJob: [Entry]
        /// Beyond promtool: churn per `job` value, as "Label pairs most involved in churning" figures it.
        public var churningJobs: [Entry]
        /// `--extended`: chunk fullness (promtool 3.14's compaction analysis).
        public var compaction: CompactionAnalysis?
    }

    /// The `limit` largest of `items`, descending by value, ties (which Go leaves in map order) by key so our
    /// output is stable. Keys are built only for the items that can make the cut (a block's label pairs can
    /// number millions; the printed top-N is small).
    static func top<ID>(_ items: [(id: ID, value: UInt64)], limit: Int, key: (ID) -> String) -> [Entry] {
        guard limit > 0, !items.isEmpty else { return [] }
        var candidates = items
        if items.count > limit {
            var values = items.map(\.value)
            values.sort(by: >)
            let cut = values[limit - 1]
            candidates = items.filter { $0.value >= cut }
        }
        let entries = candidates.map { Entry(key: key($0.id), value: $0.value) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return Array(entries.prefix(limit))
    }

    /// Two symbol IDs (or -1 for none) as one dictionary key, and back.
    static func pairKey(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b)) }
    static func first(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32)) }
    static func second(_ key: UInt64) -> Int32 { Int32(bitPattern: UInt32(truncatingIfNeeded: key)) }

    /// What `analyze` accumulates per label pair.
    private struct PairFigures {
        var uncovered: UInt64 = 0
        var series: UInt64 = 0

        mutating func add(_ u: UInt64) {
            uncovered &+= u
            series &+= 1
        }
    }

    /// Computes the analysis of `block`, restricted to series matching `matchers` when given, keeping the top
    /// `limit` of each list; `extended` adds the compaction analysis (reads every chunk).
    ///
    /// Series are read as symbol IDs (`IndexReader.seriesSymbols`): label pairs are counted by a pair of integers
    /// and turned into strings only for the printed rows, and without matchers the postings are read straight
    /// from the mapped index.
    public static func analyze(_ block: Block, matchers: [LabelMatcher]?, matcherText: String?, limit: Int,
                               extended: Bool = false) throws(DiskFormatError) -> Analysis {
        let meta = block.meta
        let ir = block.index
        let range = UInt64(bitPattern: meta.maxTime &- meta.minTime)
        let jobID = ir.symbolID("job").flatMap { Int32(exactly: $0) } ?? -2
        var pairs: [UInt64: PairFigures] = [:]
        var nameUncovered: [Int32: UInt64] = [:]
        var byJob: [Int32: (series: UInt64, uncovered: UInt64)] = [:]
        var byMetricAndJob: [UInt64: UInt64] = [:]
        let metricNameID = ir.symbolID("__name__").flatMap { Int32(exactly: $0) } ?? -2
        var entries = 0
        var labels: [Int32] = []
        func visit(_ ref: UInt64) throws(DiskFormatError) {
            let span = try ir.seriesSymbols(ref, into: &labels)
            guard span.count > 0 else { return }
            // Amount of the block's time range this series does not cover.
            let uncovered = range &- UInt64(bitPattern: span.maxTime &- span.minTime)
            var job: Int32 = -1, metric: Int32 = -1
            var i = 0
            while i + 1 < labels.count {
                let n = labels[i], v = labels[i + 1]
                nameUncovered[n, default: 0] &+= uncovered
                pairs[pairKey(n, v), default: PairFigures()].add(uncovered)
                if n == jobID { job = v } else if n == metricNameID { metric = v }
                entries += 1
                i += 2
            }
            byJob[job, default: (0, 0)].series &+= 1
            byJob[job, default: (0, 0)].uncovered &+= uncovered
            byMetricAndJob[pairKey(metric, job), default: 0] &+= 1
        }
        var matched: Int? = nil
        if let matchers {
            let refs = try ir.postings(matching: matchers)
            matched = refs.count
            for ref in refs { try visit(ref) }
        } else {
            try ir.forEachPosting("", "") { (ref) throws(DiskFormatError) in try visit(ref) }
        }

        func name(_ id: Int32) -> String { ir.symbol(id: Int(id)) ?? "" }
        func pairName(_ key: UInt64) -> String { name(first(key)) + "=" + name(second(key)) }
        func jobName(_ id: Int32) -> String { id < 0 ? "" : name(id) }
        func perRange(_ v: UInt64) -> UInt64 {
            let q = Double(v) / Double(Int64(bitPattern: range))
            return q.isFinite && q >= 0 && q < 1.8e19 ? UInt64(q) : 0
        }

        // Label names with their value count and cumulative value length: the whole index's without matchers,
        // those of the matched series' label pairs with them (Go's `LabelNames`/`SortedLabelValues` with selectors).
        var nameFigures: [(id: String, count: UInt64, length: UInt64)] = []
        var metricNames: [(id: UInt64, value: UInt64)] = []
        if matchers == nil {
            for n in ir.labelNames() {
                let vs = ir.labelValues(n)
                nameFigures.append((n, UInt64(vs.count), vs.reduce(0) { $0 &+ UInt64($1.utf8.count) }))
            }
        } else {
            var byName: [Int32: (count: UInt64, length: UInt64)] = [:]
            for key in pairs.keys {
                let length = UInt64(name(second(key)).utf8.count)
                byName[first(key), default: (0, 0)].count &+= 1
                byName[first(key), default: (0, 0)].length &+= length
            }
            for (n, f) in byName { nameFigures.append((name(n), f.count, f.length)) }
        }
        for (key, f) in pairs where first(key) == metricNameID {
            // The series count of a `__name__` pair is the length of its postings list (within the matched ones).
            metricNames.append((key, f.series))
        }

        return Analysis(
            blockID: meta.ulid, durationMillis: meta.maxTime &- meta.minTime, totalSeries: meta.stats.numSeries,
            matcher: matcherText, matchedSeries: matched, labelNames: nameFigures.count,
            uniqueLabelPairs: pairs.count, labelPairEntries: entries,
            churningLabelPairs: top(pairs.map { ($0.key, perRange($0.value.uncovered)) }, limit: limit, key: pairName),
            churningLabelNames: top(nameUncovered.map { ($0.key, perRange($0.value)) }, limit: limit, key: name),
            commonLabelPairs: top(pairs.map { ($0.key, $0.value.series) }, limit: limit, key: pairName),
            valueLengthByLabelName: top(nameFigures.map { ($0.id, $0.length) }, limit: limit) { $0 },
            cardinalityByLabelName: top(nameFigures.map { ($0.id, $0.count) }, limit: limit) { $0 },
            cardinalityByMetricName: top(metricNames, limit: limit) { name(second($0)) },
            seriesByJob: top(byJob.map { ($0.key, $0.value.series) }, limit: limit, key: jobName),
            seriesByMetricAndJob: top(byMetricAndJob.map { ($0.key, $0.value) }, limit: limit) { key in
                name(first(key)) + "{" + (second(key) < 0 ? "" : "job=" + goQuote(name(second(key)))) + "}"
            },
            churningJobs: top(byJob.map { ($0.key, perRange($0.value.uncovered)) }, limit: limit, key: jobName),
            compaction: extended ? try CompactionAnalysis(block, matchers: matchers) : nil)
    }

    /// promtool's text for an analysis, `limit` rows per list.
    public static func analysisText(_ a: Analysis) -> String {
        var o = "Block ID: \(a.blockID)\n"
        o += "Duration: \(RulesTestFormat.goDuration(nanos: a.durationMillis &* 1_000_000))\n"
        o += "Total Series: \(a.totalSeries)\n"
        if let m = a.matcher { o += "Matcher: \(m)\n" }
        o += "Label names: \(a.labelNames)\n"
        if let n = a.matchedSeries { o += "Matched series: \(n)\n" }
        o += "Postings (unique label pairs): \(a.uniqueLabelPairs)\n"
        o += "Postings entries (total label pairs): \(a.labelPairEntries)\n"
        func section(_ title: String, _ list: [Entry]) {
            o += "\n\(title):\n"
            for e in list { o += "\(e.value) \(e.key)\n" }
        }
        section("Label pairs most involved in churning", a.churningLabelPairs)
        section("Label names most involved in churning", a.churningLabelNames)
        section("Most common label pairs", a.commonLabelPairs)
        section("Label names with highest cumulative label value length", a.valueLengthByLabelName)
        section("Highest cardinality labels", a.cardinalityByLabelName)
        section("Highest cardinality metric names", a.cardinalityByMetricName)
        if let c = a.compaction { o += c.text }
        return o
    }

    /// The analysis as JSON for scripts (ours; promtool has no JSON output), `limit` entries per list.
    public static func analysisJSON(_ a: Analysis) -> String {
        func list(_ l: [Entry]) -> String {
            "[" + l.map { "{\"key\":\(goJSONString($0.key)),\"value\":\($0.value)}" }.joined(separator: ",") + "]"
        }
        var fields = [
            "\"blockID\":\(goJSONString(a.blockID))", "\"durationMillis\":\(a.durationMillis)", "\"totalSeries\":\(a.totalSeries)",
        ]
        if let m = a.matcher { fields.append("\"matcher\":\(goJSONString(m))") }
        if let n = a.matchedSeries { fields.append("\"matchedSeries\":\(n)") }
        fields += [
            "\"labelNames\":\(a.labelNames)", "\"uniqueLabelPairs\":\(a.uniqueLabelPairs)", "\"labelPairEntries\":\(a.labelPairEntries)",
            "\"churningLabelPairs\":\(list(a.churningLabelPairs))", "\"churningLabelNames\":\(list(a.churningLabelNames))",
            "\"commonLabelPairs\":\(list(a.commonLabelPairs))", "\"valueLengthByLabelName\":\(list(a.valueLengthByLabelName))",
            "\"cardinalityByLabelName\":\(list(a.cardinalityByLabelName))", "\"cardinalityByMetricName\":\(list(a.cardinalityByMetricName))",
            "\"seriesByJob\":\(list(a.seriesByJob))", "\"seriesByMetricAndJob\":\(list(a.seriesByMetricAndJob))",
            "\"churningJobs\":\(list(a.churningJobs))",
        ]
        if let c = a.compaction { fields.append("\"compaction\":\(c.json)") }
        return "{" + fields.joined(separator: ",") + "}\n"
    }

    // MARK: dump

    /// The output formats of `tsdb dump`.
    public enum DumpFormat: String, Sendable { case prom, seriesjson, openmetrics }

    /// Series matching any of the matcher sets, merged and sorted by labels.
    static func selected(_ dir: TSDBDirectory, _ sets: [[LabelMatcher]], mint: Int64, maxt: Int64) throws(DiskFormatError) -> [(labels: Labels, samples: [TaggedSample])] {
        if sets.count == 1 { return try dir.taggedSeries(sets[0], mint: mint, maxt: maxt) }
        var byLabels: [Labels: [TaggedSample]] = [:]
        for s in sets {
            for x in try dir.taggedSeries(s, mint: mint, maxt: maxt) where byLabels[x.labels] == nil { byLabels[x.labels] = x.samples }
        }
        return byLabels.map { ($0.key, $0.value) }.sorted { tsdbLabelsLess($0.labels, $1.labels) }
    }

    /// Writes the dump in `format` through `emit` (called with chunks of text, so a large dump streams).
    public static func dump(_ dir: TSDBDirectory, matcherSets: [[LabelMatcher]], mint: Int64, maxt: Int64, format: DumpFormat,
                            emit: (String) -> Void) throws(DiskFormatError) {
        let series = try selected(dir, matcherSets, mint: mint, maxt: maxt)
        switch format {
        case .prom:
            for s in series { emit(promLines(s.labels, s.samples)) }
        case .seriesjson:
            var seen = Set<Labels>()
            for s in series where seen.insert(s.labels).inserted {
                emit("{" + s.labels.labels.map { goJSONString($0.name) + ":" + goJSONString($0.value) }.joined(separator: ",") + "}\n")
            }
        case .openmetrics:
            for s in series {
                let name = s.labels["__name__"] ?? ""
                let rest = s.labels.labels.filter { $0.name != "__name__" }
                let condensed = "{" + rest.map { $0.name + "=" + goQuote($0.value) }.joined(separator: ",") + "}"
                var o = ""
                for x in s.samples {
                    guard case .float(let v) = x.sample.value else { break }
                    o += "\(name)\(condensed) \(GoFloat.formatV(v)) \(GoFloat.formatFixed3(Double(x.sample.t) / 1000))\n"
                }
                emit(o)
            }
            emit("# EOF\n")
        }
    }

    /// promtool's `formatSeriesSet`: floats until the first non-float, then float histograms until the next
    /// other kind, then integer histograms; each loop's `Next()` consumes the sample that ends it unprinted
    /// (3.14 cmd/promtool/tsdb.go formatSeriesSet), so we skip the same samples.
    static func promLines(_ labels: Labels, _ samples: [TaggedSample]) -> String {
        let ls = labels.description
        var o = ""
        var i = 0
        func kind(_ s: TaggedSample) -> Int {
            if s.sample.float != nil { return 0 }
            return s.encoding.holdsIntegerHistograms ? 2 : 1
        }
        for wanted in 0..<3 {
            while i < samples.count {
                let s = samples[i]
                i += 1
                guard kind(s) == wanted else { break }
                switch s.sample.value {
                case .float(let v): o += "\(ls) \(GoFloat.formatV(v)) \(s.sample.t)\n"
                case .histogram(let h): o += "\(ls) \(h.description) \(s.sample.t)\n"
                }
            }
        }
        return o
    }
}
