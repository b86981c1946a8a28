/// The experimental `info()` function: enriches series with data labels of matching info series.
extension Evaluator {
    /// Labels identifying which info series belongs to which series.
    static let infoIdentifyingLabels = ["instance", "job"]

    func evalInfo(_ c: Call) throws(PromQLEvalError) -> EvalValue {
        let base = try vectorValue(c.args[0])
        // Data label matchers by label name, and the matchers on the info metric name.
        var dataMatchers: [String: [LabelMatcher]] = [:]
        var nameMatchers: [LabelMatcher] = []
        var selectorMatchers: [LabelMatcher] = []
        if c.args.count > 1 {
            guard case .vectorSelector(let sel) = c.args[1].unwrappingParens else {
                throw PromQLEvalError("info(): second argument must be a label selector")
            }
            selectorMatchers = sel.matchers
            for m in sel.matchers {
                dataMatchers[m.name, default: []].append(m)
                if m.name == "__name__" { nameMatchers.append(m) }
            }
        } else if let m = try? LabelMatcher(.equal, "__name__", "target_info") {
            nameMatchers = [m]
        }
        func isInfoSeries(_ l: Labels) -> Bool {
            // Only a selector with a positive name matcher names info metrics; all name matchers must hold.
            nameMatchers.contains { $0.type == .equal || $0.type == .regexMatch }
                && nameMatchers.allSatisfy { $0.matches(l.metricName ?? "") }
        }
        // Values of the identifying labels among the series to enrich.
        var idValues: [String: Set<String>] = [:]
        for s in base where !isInfoSeries(s.labels) {
            for l in Self.infoIdentifyingLabels {
                if let v = s.labels[l], !v.isEmpty { idValues[l, default: []].insert(v) }
            }
        }
        let nameMatchersGiven = dataMatchers["__name__"] ?? []
        let hasPositiveNameMatcher = nameMatchersGiven.contains { $0.type == .equal || $0.type == .regexMatch }
        dataMatchers["__name__"] = nil
        var infoSeries: [(labels: Labels, points: [Int: (t: Int64, f: Double)])] = []
        if !idValues.isEmpty {
            var matchers: [LabelMatcher] = []
            if !hasPositiveNameMatcher {
                // Only negative name matchers restrict the info metrics (`*_info`); none means target_info.
                let m = nameMatchersGiven.isEmpty ? try? LabelMatcher(.equal, "__name__", "target_info")
                    : try? LabelMatcher(.regexMatch, "__name__", ".+_info")
                if let m { matchers.append(m) }
            }
            for (name, vals) in idValues.sorted(by: { $0.key < $1.key }) {
                let re = vals.sorted().map(goQuoteMeta).joined(separator: "|")
                do { matchers.append(try LabelMatcher(.regexMatch, name, re)) } catch {
                    throw PromQLEvalError("\(error)")
                }
            }
            matchers.append(contentsOf: selectorMatchers)
            infoSeries = try loadInfoSeries(matchers)
        }
        // Signature of a series for an info metric name: the name plus the identifying labels present.
        func signature(_ name: String, _ l: Labels) -> Labels {
            l.keeping(Set(Self.infoIdentifyingLabels)).setting("__name__", name)
        }
        let infoNames = Set(infoSeries.compactMap { $0.labels.metricName })
        let allMatchEmpty = dataMatchers.values.allSatisfy { $0.allSatisfy(\.matchesEmpty) }
        let perStep = stepVectors(base)
        var outVecs: [[VectorSample]] = []
        for (i, vec) in perStep.enumerated() {
            // The newest info sample per signature at this step.
            var bySig: [Labels: (labels: Labels, t: Int64)] = [:]
            for s in infoSeries {
                guard let p = s.points[i], let name = s.labels.metricName else { continue }
                let sig = signature(name, s.labels)
                if let existing = bySig[sig] {
                    if existing.t > p.t { continue }
                    if existing.t == p.t {
                        throw PromQLEvalError("found duplicate series for info metric: existing \(existing.labels) @ \(existing.t), new \(s.labels) @ \(p.t)")
                    }
                }
                bySig[sig] = (s.labels, p.t)
            }
            var out: [VectorSample] = []
            var seenLabels: Set<Labels> = []
            for bs in vec {
                var result = bs
                result.dropName = false
                if !isInfoSeries(bs.labels) {
                    var added: [String: String] = [:]
                    var matchedAny = false
                    for name in infoNames.sorted() {
                        guard let info = bySig[signature(name, bs.labels)] else { continue }
                        matchedAny = true
                        for l in info.labels.labels where l.name != "__name__" {
                            if !dataMatchers.isEmpty && dataMatchers[l.name] == nil { continue }
                            if let v = added[l.name], v != l.value { throw PromQLEvalError("conflicting label: \(l.name)") }
                            if bs.labels[l.name] != nil { continue }
                            added[l.name] = l.value
                        }
                    }
                    if !matchedAny && !allMatchEmpty { continue }
                    var labels = bs.labels
                    for (k, v) in added { labels = labels.setting(k, v) }
                    result.labels = labels
                }
                if !seenLabels.insert(result.labels).inserted {
                    throw PromQLEvalError("vector cannot contain metrics with the same labelset")
                }
                out.append(result)
            }
            outVecs.append(out)
        }
        return .vector(series(from: outVecs))
    }

    /// Info series at each step (lookback applies), keeping each sample's own timestamp.
    func loadInfoSeries(_ matchers: [LabelMatcher]) throws(PromQLEvalError) -> [(labels: Labels, points: [Int: (t: Int64, f: Double)])] {
        let st = steps
        guard let first = st.first, let last = st.last else { return [] }
        let lookback = lookbackMillis
        let loaded = ctx.source.select(matchers, mint: first - lookback + 1, maxt: last)
        var out: [(labels: Labels, points: [Int: (t: Int64, f: Double)])] = []
        for s in loaded {
            let samples = s.samples(in: (first - lookback + 1)...last)
            var times: [Int64] = []
            var values: [Double] = []
            for smp in samples {
                switch smp.value {
                case .float(let f):
                    times.append(smp.t)
                    values.append(f)
                case .histogram:
                    throw PromQLEvalError("this should be an info metric, with float samples: \(s.labels)")
                }
            }
            var points: [Int: (t: Int64, f: Double)] = [:]
            for (i, ts) in st.enumerated() {
                guard let idx = Evaluator.lastIndex(atOrBefore: ts, in: times), times[idx] > ts - lookback else { continue }
                if isStaleNaN(values[idx]) { continue }
                points[i] = (times[idx], values[idx])
            }
            try ctx.addSamples(points.count)
            if !points.isEmpty { out.append((s.labels, points)) }
        }
        return out
    }
}

/// Go's `regexp.QuoteMeta`.
func goQuoteMeta(_ s: String) -> String {
    var out = ""
    for ch in s {
        if "\\.+*?()|[]{}^$".contains(ch) { out.append("\\") }
        out.append(ch)
    }
    return out
}
