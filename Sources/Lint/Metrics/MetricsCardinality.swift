import Engine

/// `check metrics --extended`: series per metric family and their share of the total.
public struct MetricsCardinality: Sendable {
    /// One row of the table.
    public struct Stat: Sendable, Equatable {
        public var name: String
        public var cardinality: Int
        public var percentage: Double
    }

    public var stats: [Stat]
    public var total: Int

    /// Counts series as promtool does: counters, gauges and untyped metrics one per metric; histograms
    /// `metrics × (2 + buckets of the first metric)`; summaries `metrics × (2 + quantiles of the first
    /// metric)`. Sorted by cardinality, largest first (ties keep input order).
    public init(families: [MetricFamily]) {
        var rows: [Stat] = []
        var total = 0
        for mf in families {
            let n = mf.metrics.count
            let c: Int
            switch mf.type {
            case .histogram: c = n &* (2 &+ (mf.metrics.first?.bucketCount ?? 0))
            case .summary: c = n &* (2 &+ (mf.metrics.first?.quantileCount ?? 0))
            default: c = n
            }
            rows.append(Stat(name: mf.name, cardinality: c, percentage: 0))
            total &+= c
        }
        for i in rows.indices { rows[i].percentage = Double(rows[i].cardinality) / Double(total) }
        stats = rows.enumerated().sorted { a, b in
            a.element.cardinality != b.element.cardinality ? a.element.cardinality > b.element.cardinality : a.offset < b.offset
        }.map(\.element)
        self.total = total
    }

    /// The table exactly as promtool prints it (Go tabwriter, min width 4, padding 4, spaces).
    public func render() -> String {
        var rows: [[String]] = [["Metric", "Cardinality", "Percentage"]]
        for s in stats {
            rows.append([s.name, String(s.cardinality), Self.goPercent(s.percentage * 100)])
        }
        rows.append(["Total", String(total), "100%"])
        return TabTable.render(rows, minWidth: 4, padding: 4)
    }

    /// Go's `%.2f%%`.
    static func goPercent(_ v: Double) -> String {
        if v.isNaN { return "NaN%" }
        if v.isInfinite { return (v < 0 ? "-Inf" : "+Inf") + "%" }
        return TemplateFormat.formatFloat(v, "f", 2) + "%"
    }
}

/// Go's `text/tabwriter` for rows whose cells are all tab-terminated (one column block), padding with spaces.
public enum TabTable {
    public static func render(_ rows: [[String]], minWidth: Int, padding: Int) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: minWidth, count: columns)
        for r in rows {
            for (j, cell) in r.enumerated() {
                widths[j] = max(widths[j], cell.unicodeScalars.count + padding)
            }
        }
        var out = ""
        for r in rows {
            for (j, cell) in r.enumerated() {
                out += cell
                out += String(repeating: " ", count: max(0, widths[j] - cell.unicodeScalars.count))
            }
            out += "\n"
        }
        return out
    }
}
