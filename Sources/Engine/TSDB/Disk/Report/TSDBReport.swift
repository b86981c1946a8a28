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

    /// Everything `tsdb analyze` computes for a block (and what `-o json` prints).
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
    }

    /// Ranked descending by value; ties (which Go leaves in map order) by key, so our output is stable.
    static func ranked(_ m: [String: UInt64]) -> [Entry] {
        m.map { Entry(key: $0.key, value: $0.value) }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    }

    /// Computes the analysis of `block`, restricted to series matching `matchers` when given.
    public static func analyze(_ block: Block, matchers: [LabelMatcher]?, matcherText: String?) throws(DiskFormatError) -> Analysis {
        let meta = block.meta
        let ir = block.index
        let range = UInt64(bitPattern: meta.maxTime &- meta.minTime)
        let refs: [UInt64]
        if let matchers { refs = try ir.postings(matching: matchers) } else { refs = try ir.allPostings() }
        var labelsUncovered: [String: UInt64] = [:]
        var pairsUncovered: [String: UInt64] = [:]
        var pairsCount: [String: UInt64] = [:]
        var namesSeen: [String: Set<String>] = [:]
        var byJob: [String: UInt64] = [:]
        var entries = 0
        for ref in refs {
            let (labels, chunks) = try ir.series(ref)
            guard let first = chunks.first, let last = chunks.last else { continue }
            let uncovered = range &- UInt64(bitPattern: last.maxTime &- first.minTime)
            for l in labels.labels {
                let key = l.name + "=" + l.value
                labelsUncovered[l.name, default: 0] &+= uncovered
                pairsUncovered[key, default: 0] &+= uncovered
                pairsCount[key, default: 0] += 1
                if matchers != nil { namesSeen[l.name, default: []].insert(l.value) }
                entries += 1
            }
            byJob[labels["job"] ?? "", default: 0] += 1
        }
        func perRange(_ m: [String: UInt64]) -> [String: UInt64] {
            let r = Double(Int64(bitPattern: range))
            return m.mapValues { v in
                let q = Double(v) / r
                return q.isFinite && q >= 0 && q < 1.8e19 ? UInt64(q) : 0
            }
        }
        let names: [String]
        let values: (String) -> [String]
        if matchers != nil {
            names = namesSeen.keys.sorted()
            values = { namesSeen[$0].map { Array($0) } ?? [] }
        } else {
            names = ir.labelNames()
            values = { ir.labelValues($0) }
        }
        var lengths: [String: UInt64] = [:]
        var cardinality: [String: UInt64] = [:]
        for n in names {
            let vs = values(n)
            lengths[n] = vs.reduce(0) { $0 + UInt64($1.utf8.count) }
            cardinality[n] = UInt64(vs.count)
        }
        var metricNames: [String: UInt64] = [:]
        let refSet = matchers != nil ? Set(refs) : nil
        for n in values("__name__") {
            let p = try ir.postings("__name__", n)
            metricNames[n] = UInt64(refSet.map { s in p.filter { s.contains($0) }.count } ?? p.count)
        }
        return Analysis(
            blockID: meta.ulid, durationMillis: meta.maxTime &- meta.minTime, totalSeries: meta.stats.numSeries,
            matcher: matcherText, matchedSeries: matchers != nil ? refs.count : nil, labelNames: names.count,
            uniqueLabelPairs: pairsUncovered.count, labelPairEntries: entries,
            churningLabelPairs: ranked(perRange(pairsUncovered)), churningLabelNames: ranked(perRange(labelsUncovered)),
            commonLabelPairs: ranked(pairsCount), valueLengthByLabelName: ranked(lengths),
            cardinalityByLabelName: ranked(cardinality), cardinalityByMetricName: ranked(metricNames),
            seriesByJob: ranked(byJob))
    }

    /// promtool's text for an analysis, `limit` rows per list.
    public static func analysisText(_ a: Analysis, limit: Int) -> String {
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
            for e in list.prefix(max(0, limit)) { o += "\(e.value) \(e.key)\n" }
        }
        section("Label pairs most involved in churning", a.churningLabelPairs)
        section("Label names most involved in churning", a.churningLabelNames)
        section("Most common label pairs", a.commonLabelPairs)
        section("Label names with highest cumulative label value length", a.valueLengthByLabelName)
        section("Highest cardinality labels", a.cardinalityByLabelName)
        section("Highest cardinality metric names", a.cardinalityByMetricName)
        return o
    }

    /// The analysis as JSON for scripts (ours; promtool has no JSON output), `limit` entries per list.
    public static func analysisJSON(_ a: Analysis, limit: Int) -> String {
        func list(_ l: [Entry]) -> String {
            "[" + l.prefix(max(0, limit)).map { "{\"key\":\(goJSONString($0.key)),\"value\":\($0.value)}" }.joined(separator: ",") + "]"
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
            "\"seriesByJob\":\(list(a.seriesByJob))",
        ]
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
            return s.encoding == .histogram ? 2 : 1
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
