import GoCompat

/// The running state of one output group of sum, avg, count, group, min, max, stddev, stdvar or quantile at one step.
struct AggregationGroup {
    /// The group's index in the aggregation's list of grouping keys.
    var key: Int
    var count = 0.0
    var value = 0.0
    var kahan = 0.0
    /// stddev/stdvar's running mean.
    var mean = 0.0
    /// avg's running mean.
    var average = RunningMean()
    var values: [Double] = []
    var histograms: [FloatHistogram] = []
    var histogramName = ""
    var hasFloat = false
    var hasHistogram = false
    /// An input sample of the group had its metric name marked for removal.
    var drop = false

    init(key: Int) { self.key = key }

    /// Adds a float sample as Prometheus's aggregation does (Kahan sums, incremental mean on overflow).
    mutating func add(_ f: Double, _ op: AggregateOp) {
        hasFloat = true
        switch op {
        case .sum:
            (value, kahan) = kahanSumInc(f, value, kahan)
            count += 1
        case .avg:
            count += 1
            average.add(f)
        case .count, .group:
            count += 1
        case .max:
            if count == 0 || value < f || value.isNaN { value = f }
            count += 1
        case .min:
            if count == 0 || value > f || value.isNaN { value = f }
            count += 1
        case .stddev, .stdvar:
            count += 1
            let delta = f - mean
            mean += delta / count
            value += delta * (f - mean)
        case .quantile:
            values.append(f)
            count += 1
        default:
            break
        }
    }

    /// Adds a histogram sample; false when the operation ignores histograms (the caller reports it).
    mutating func add(_ h: FloatHistogram, metricName: @autoclosure () -> String, _ op: AggregateOp) -> Bool {
        hasHistogram = true
        switch op {
        case .sum, .avg:
            histograms.append(h)
            if histogramName.isEmpty { histogramName = metricName() }
            count += 1
        case .count, .group:
            count += 1
        default:
            return false
        }
        return true
    }
}

extension Evaluator {
    /// The value of a finished group; nil when it yields no sample (annotations explain why where Prometheus does).
    func aggregationResult(_ g: AggregationGroup, _ op: AggregateOp, param: Double) -> SampleValue? {
        switch op {
        case .sum, .avg:
            if g.hasFloat && g.hasHistogram {
                ctx.annotations.warn("encountered a mix of histograms and floats for aggregation")
                return nil
            }
            if g.hasHistogram {
                do {
                    guard let (h, acc) = try histogramSumOrMean(g.histograms, mean: op == .avg) else { return nil }
                    reportHistogramAggregation(acc)
                    return .histogram(h.compacted())
                } catch {
                    ctx.annotations.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \(quoteLabelValue(g.histogramName))")
                    return nil
                }
            }
            if op == .sum { return .float(g.value + g.kahan) }
            return .float(g.average.aggregationValue)
        case .count: return .float(g.count)
        case .group: return .float(1)
        case .max, .min:
            return g.hasFloat ? .float(g.value) : nil
        case .stddev:
            return g.hasFloat ? .float((g.value / g.count).squareRoot()) : nil
        case .stdvar:
            return g.hasFloat ? .float(g.value / g.count) : nil
        case .quantile:
            return g.hasFloat ? .float(quantileOf(param, g.values)) : nil
        default:
            return nil
        }
    }

    /// sum, avg, count, group, min, max, stddev, stdvar and quantile over step-aligned series, without building
    /// per-step vectors: series by series when the input is floats only and the cells fit, else step by step.
    /// Output series appear in the order their groups first appear, step by step.
    func aggregateGrouped(_ a: AggregateExpr, _ input: [EvalSeries], params: [Double]) -> [EvalSeries] {
        let (groupOf, groupKeys) = aggregationGroups(a, input)
        if a.op == .quantile {
            for i in steps.indices {
                let param = i < params.count ? params[i] : .nan
                if param.isNaN || param < 0 || param > 1 {
                    ctx.annotations.warn("quantile value should be between 0 and 1, got \(GoFloat.formatV(param))")
                }
            }
        }
        return aggregateFloatsBySeries(a, input, groupOf: groupOf, groupKeys: groupKeys, params: params)
            ?? aggregateStepByStep(a, input, groupOf: groupOf, groupKeys: groupKeys, params: params)
    }

    /// `aggregateGrouped` one step at a time: at each step, every input series' point at that step joins its group.
    func aggregateStepByStep(_ a: AggregateExpr, _ input: [EvalSeries], groupOf: [Int], groupKeys: [Labels],
                             params: [Double]) -> [EvalSeries] {
        // Per input series: the next unread float and histogram point (points are sorted by time).
        var floatPos = [Int](repeating: 0, count: input.count)
        var histPos = [Int](repeating: 0, count: input.count)
        // Per group: its slot in this step's `groups` (valid when `slotStep` is this step).
        var slot = [Int](repeating: 0, count: groupKeys.count)
        var slotStep = [Int](repeating: -1, count: groupKeys.count)
        // Output series per group and drop flag (2 * group + drop), -1 until it first has a point.
        var outIndex = [Int](repeating: -1, count: groupKeys.count * 2)
        var out: [EvalSeries] = []
        var groups: [AggregationGroup] = []
        for (i, t) in steps.enumerated() {
            groups.removeAll(keepingCapacity: true)
            for si in input.indices {
                // Indexing through `input` (not a local copy of each array) keeps this loop free of reference counting.
                var fp = floatPos[si]
                let nFloats = input[si].floats.count
                while fp < nFloats && input[si].floats[fp].t < t { fp += 1 }
                let hasFloat = fp < nFloats && input[si].floats[fp].t == t
                var hp = histPos[si]
                let nHists = input[si].histograms.count
                while hp < nHists && input[si].histograms[hp].t < t { hp += 1 }
                let hasHist = hp < nHists && input[si].histograms[hp].t == t
                guard hasFloat || hasHist else {
                    floatPos[si] = fp
                    histPos[si] = hp
                    continue
                }
                let gi = groupOf[si]
                let g: Int
                if slotStep[gi] == i {
                    g = slot[gi]
                } else {
                    g = groups.count
                    slot[gi] = g
                    slotStep[gi] = i
                    groups.append(AggregationGroup(key: gi))
                }
                if input[si].dropName { groups[g].drop = true }
                if hasFloat {
                    groups[g].add(input[si].floats[fp].f, a.op)
                    fp += 1
                }
                if hasHist {
                    if !groups[g].add(input[si].histograms[hp].h, metricName: input[si].labels.metricName ?? "", a.op) {
                        ctx.annotations.info("ignored histogram in \(a.op.rawValue) aggregation")
                    }
                    hp += 1
                }
                floatPos[si] = fp
                histPos[si] = hp
            }
            let param = i < params.count ? params[i] : .nan
            for g in groups {
                guard let v = aggregationResult(g, a.op, param: param) else { continue }
                let labels = groupKeys[g.key]
                let drop = g.drop && labels.metricName != nil
                let k = 2 * g.key + (drop ? 1 : 0)
                if outIndex[k] < 0 {
                    outIndex[k] = out.count
                    out.append(EvalSeries(labels: labels, dropName: drop))
                }
                switch v {
                case .float(let f): out[outIndex[k]].floats.append(FPoint(t: t, f: f))
                case .histogram(let h): out[outIndex[k]].histograms.append(HPoint(t: t, h: h))
                }
            }
        }
        return out
    }

    /// `aggregateGrouped` for float-only input, series by series: the running state of every (group, step) cell is
    /// kept at once, so each input series is read front to back once instead of one point per series per step.
    /// Each cell still receives its samples in input order, as step by step, so sums round the same; the output
    /// order (by the step, then the input series, at which each output series first had a value) is restored
    /// at the end. Nil when the input holds histograms (whose annotations must come in step order) or the cells
    /// would take more memory than the input points themselves (a cell is about eight points' worth).
    func aggregateFloatsBySeries(_ a: AggregateExpr, _ input: [EvalSeries], groupOf: [Int], groupKeys: [Labels],
                                 params: [Double]) -> [EvalSeries]? {
        let nSteps = steps.count
        var points = 0
        for s in input {
            if !s.histograms.isEmpty { return nil }
            points &+= s.floats.count
        }
        let (cellCount, overflow) = groupKeys.count.multipliedReportingOverflow(by: nSteps)
        guard !overflow, cellCount <= points / 8 + 1024 else { return nil }
        var cells = [AggregationGroup](repeating: AggregationGroup(key: 0), count: cellCount)
        // The first input series that reached each cell (-1: none yet).
        var firstSeries = [Int](repeating: -1, count: cellCount)
        let st = steps
        for si in input.indices {
            let base = groupOf[si] &* nSteps
            let drop = input[si].dropName
            var i = 0
            // Points are sorted by time; a step takes the first point at its time, as the step-by-step walk does.
            for p in input[si].floats {
                while i < nSteps && st[i] < p.t { i &+= 1 }
                guard i < nSteps else { break }
                guard st[i] == p.t else { continue }
                let c = base &+ i
                if firstSeries[c] < 0 { firstSeries[c] = si }
                if drop { cells[c].drop = true }
                cells[c].add(p.f, a.op)
                i &+= 1
            }
        }
        // Output series per group and drop flag (2 * group + drop), -1 until it first has a point, with the
        // (step, input series) of that point.
        var outIndex = [Int](repeating: -1, count: groupKeys.count * 2)
        var out: [EvalSeries] = []
        var firstAt: [(step: Int, series: Int)] = []
        for (gi, labels) in groupKeys.enumerated() {
            let named = labels.metricName != nil
            for i in 0..<nSteps {
                let c = gi &* nSteps &+ i
                guard firstSeries[c] >= 0,
                      let v = aggregationResult(cells[c], a.op, param: i < params.count ? params[i] : .nan),
                      case .float(let f) = v else { continue }
                let drop = cells[c].drop && named
                let k = 2 * gi + (drop ? 1 : 0)
                if outIndex[k] < 0 {
                    outIndex[k] = out.count
                    out.append(EvalSeries(labels: labels, dropName: drop))
                    firstAt.append((i, firstSeries[c]))
                }
                out[outIndex[k]].floats.append(FPoint(t: st[i], f: f))
            }
        }
        let order = out.indices.sorted { (firstAt[$0].step, firstAt[$0].series) < (firstAt[$1].step, firstAt[$1].series) }
        return order.map { out[$0] }
    }
}
