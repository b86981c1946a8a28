import Engine

/// Copies the raw samples that rule expressions select from a Prometheus server into a local head, so
/// rules can be evaluated locally over a past range (`query backtest SERVER`). Raw samples come from
/// instant queries of range selectors (`sel[Δ]` at the end of each Δ-long chunk of the window): unlike
/// `query_range`, these return every stored sample (floats and native histograms) rather than one value
/// per step.
struct RemoteSampleLoader {
    let client: PrometheusAPIClient
    /// Length of one request's window (ms).
    var chunkMillis: Int64 = 3_600_000

    struct Loaded {
        var samples = 0
        var histogramSamples = 0
        var warnings: [String] = []
    }

    /// One selector (matchers only, as PromQL) and the samples it needs, `mint...maxt` (ms).
    struct Window: Equatable {
        var selector: String
        var mint: Int64
        var maxt: Int64
    }

    /// The windows to read for `ranges` (`AlertBacktester.selectorTimeRanges`): one per distinct selector
    /// (the hull of its occurrences' windows), leaving out the series recording rules write (those are
    /// produced by the local run, not read from the server).
    static func windows(_ ranges: [SelectorTimeRange], excludingNames recorded: Set<String>) -> [Window] {
        var index: [String: Int] = [:]
        var out: [Window] = []
        for r in ranges where r.mint <= r.maxt {
            let name = r.selector.matchers.first { $0.name == "__name__" && $0.type == .equal }?.value
            if let name, recorded.contains(name) { continue }
            let bare = Expr.vectorSelector(VectorSelector(name: "", matchers: r.selector.matchers, position: r.selector.position)).description
            if let i = index[bare] {
                out[i].mint = min(out[i].mint, r.mint)
                out[i].maxt = max(out[i].maxt, r.maxt)
            } else {
                index[bare] = out.count
                out.append(Window(selector: bare, mint: r.mint, maxt: r.maxt))
            }
        }
        return out
    }

    /// Everything read for one series, by timestamp (chunks and selectors may overlap).
    private struct Collected {
        var floats: [Int64: Double] = [:]
        var histograms: [Int64: APIHistogram] = [:]
    }

    /// Reads every sample of each window into `head`.
    func load(_ windows: [Window], into head: Head) throws(PrometheusAPIClient.Failure) -> Loaded {
        var loaded = Loaded()
        var series: [Labels: Collected] = [:]
        var order: [Labels] = []
        for w in windows {
            // Chunks end at `end` and reach back `chunkMillis`; the first starts just before `mint`.
            var end = w.mint.subtractingReportingOverflow(1).partialValue
            while end < w.maxt {
                end = min(end.addingReportingOverflow(chunkMillis).partialValue, w.maxt)
                let answer = try client.query("\(w.selector)[\(chunkMillis)ms]", at: QueryTime(millis: end))
                loaded.warnings.append(contentsOf: answer.warnings)
                guard case .matrix(let got) = answer.value else {
                    throw .other("expected a range vector for \(w.selector), got another result type")
                }
                for s in got ?? [] {
                    let labels = Labels(s.metric)
                    if series[labels] == nil { order.append(labels) }
                    var c = series[labels] ?? Collected()
                    for p in s.values where p.timestamp >= w.mint { c.floats[p.timestamp] = p.value }
                    for p in s.histograms where p.timestamp >= w.mint { c.histograms[p.timestamp] = p.histogram }
                    series[labels] = c
                }
            }
        }
        var app = head.appender()
        for labels in order {
            guard let c = series[labels] else { continue }
            let times = c.histograms.keys.sorted()
            let rebuilt: [FloatHistogram]
            do throws(HistogramRebuilder.Failure) {
                rebuilt = try HistogramRebuilder.rebuild(times.compactMap { c.histograms[$0] })
            } catch {
                throw .other("native histogram of \(labels): \(error.message)")
            }
            var samples: [(t: Int64, sample: SampleValue)] = c.floats.map { ($0.key, .float($0.value)) }
            for (t, h) in zip(times, rebuilt) where c.floats[t] == nil { samples.append((t, .histogram(h))) }
            samples.sort { $0.t < $1.t }
            var ref: SeriesRef?
            for s in samples {
                do throws(TSDBError) {
                    switch s.sample {
                    case .float(let v):
                        if let ref { try app.append(ref: ref, t: s.t, v: v) } else { ref = try app.append(labels, t: s.t, v: v) }
                        loaded.samples += 1
                    case .histogram(let h):
                        ref = try app.appendHistogram(labels, t: s.t, h: h)
                        loaded.histogramSamples += 1
                    }
                } catch {
                    throw .other("storing \(labels) at \(s.t): \(error)")
                }
                if app.pendingCount >= 1 << 16 { app.commit() }
            }
        }
        app.commit()
        return loaded
    }
}
