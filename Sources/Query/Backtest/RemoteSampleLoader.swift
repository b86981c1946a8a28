import Engine

/// Copies the raw samples that rule expressions select from a Prometheus server into a local head, so
/// rules can be evaluated locally over a past range (`query backtest SERVER`). Raw samples come from
/// instant queries of range selectors (`sel[Δ]` at the end of each Δ-long chunk of the window): unlike
/// `query_range`, these return every stored sample rather than one value per step.
struct RemoteSampleLoader {
    let client: PrometheusAPIClient
    /// Length of one request's window (ms).
    var chunkMillis: Int64 = 3_600_000

    struct Loaded {
        var samples = 0
        /// Native histogram samples, which are not copied yet.
        var skippedHistograms = 0
        var warnings: [String] = []
    }

    /// The distinct selectors (matchers only) of `expressions`, leaving out the series recording rules
    /// write (those are produced by the local run, not read from the server).
    static func selectors(of expressions: [Expr], excludingNames recorded: Set<String>) -> [String] {
        var seen = Set<String>()
        var out: [String] = []
        for e in expressions {
            for vs in e.vectorSelectors {
                let name = vs.matchers.first { $0.name == "__name__" && $0.type == .equal }?.value
                if let name, recorded.contains(name) { continue }
                let bare = Expr.vectorSelector(VectorSelector(name: "", matchers: vs.matchers, position: vs.position)).description
                if seen.insert(bare).inserted { out.append(bare) }
            }
        }
        return out
    }

    /// How far before an evaluation an expression may read (ms): the lookback delta plus every range,
    /// subquery range and offset in it (their sum bounds any one path through the tree), and how far after
    /// (negative offsets).
    static func reach(of expressions: [Expr], lookbackMillis: Int64) -> (before: Int64, after: Int64) {
        var before: Int64 = 0, after: Int64 = 0
        for e in expressions {
            var back: Int64 = 0, ahead: Int64 = 0
            e.walk { node in
                var offset: Int64 = 0
                switch node {
                case .matrixSelector(let m): back = back.addingReportingOverflow(max(m.rangeMillis, 0)).partialValue
                case .subquery(let s):
                    back = back.addingReportingOverflow(max(s.rangeMillis, 0)).partialValue
                    offset = s.modifiers.offsetMillis
                case .vectorSelector(let v): offset = v.offsetMillis
                default: break
                }
                if offset > 0 { back = back.addingReportingOverflow(offset).partialValue }
                if offset < 0 { ahead = ahead.addingReportingOverflow(offset.magnitude > UInt64(Int64.max) ? Int64.max : -offset).partialValue }
                return true
            }
            before = max(before, back)
            after = max(after, ahead)
        }
        return (before.addingReportingOverflow(lookbackMillis).partialValue, after)
    }

    /// Reads every sample of `selectors` in (mint, maxt] into `head`.
    func load(selectors: [String], mint: Int64, maxt: Int64, into head: Head) throws(PrometheusAPIClient.Failure) -> Loaded {
        var loaded = Loaded()
        // Prometheus 2.x range selectors include their start, 3.x ones do not: chunks may overlap by one
        // sample, so only samples newer than a series' last one are appended.
        var newest: [Labels: (ref: SeriesRef, t: Int64)] = [:]
        for selector in selectors {
            var end = mint
            while end < maxt {
                end = min(end.addingReportingOverflow(chunkMillis).partialValue, maxt)
                let answer = try client.query("\(selector)[\(chunkMillis)ms]", at: QueryTime(millis: end))
                loaded.warnings.append(contentsOf: answer.warnings)
                guard case .matrix(let series) = answer.value else {
                    throw .other("expected a range vector for \(selector), got another result type")
                }
                var app = head.appender()
                for s in series ?? [] {
                    let labels = Labels(s.metric)
                    loaded.skippedHistograms += s.histograms.count
                    var last = newest[labels]
                    for p in s.values where last.map({ p.timestamp > $0.t }) ?? true {
                        do throws(TSDBError) {
                            if let ref = last?.ref {
                                try app.append(ref: ref, t: p.timestamp, v: p.value)
                                last = (ref, p.timestamp)
                            } else {
                                last = (try app.append(labels, t: p.timestamp, v: p.value), p.timestamp)
                            }
                            loaded.samples += 1
                        } catch {
                            throw .other("storing \(labels) at \(p.timestamp): \(error)")
                        }
                    }
                    newest[labels] = last
                }
                app.commit()
            }
        }
        return loaded
    }
}
