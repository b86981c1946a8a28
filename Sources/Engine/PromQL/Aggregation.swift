#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// Kahan–Neumaier compensated summation step, as Prometheus sums floats.
@inline(__always)
func kahanSumInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
    let t = sum + inc
    var c = c
    if t.isInfinite {
        c = 0
    } else if abs(sum) >= abs(inc) {
        c += (sum - t) + inc
    } else {
        c += (inc - t) + sum
    }
    return (t, c)
}

/// Prometheus's `quantile`: linear interpolation between the closest ranks.
func quantileOf(_ q: Double, _ values: [Double]) -> Double {
    if values.isEmpty || q.isNaN { return .nan }
    if q < 0 { return -.infinity }
    if q > 1 { return .infinity }
    let sorted = values.sorted { a, b in
        // NaN sorts first, as Go's sort.Float64s does.
        if a.isNaN { return !b.isNaN }
        return a < b
    }
    let n = Double(sorted.count)
    let rank = q * (n - 1)
    let lowerIndex = Swift.max(0, Int(floor(rank)))
    let upperIndex = Swift.min(sorted.count - 1, lowerIndex + 1)
    let weight = rank - floor(rank)
    return sorted[lowerIndex] * (1 - weight) + sorted[upperIndex] * weight
}


extension Evaluator {
    func evalAggregate(_ a: AggregateExpr) throws(PromQLEvalError) -> EvalValue {
        var params: [Double] = []
        var label = ""
        if let p = a.param {
            if a.op == .countValues {
                label = try stringValue(p)
                // A literal whose escapes made invalid UTF-8: Prometheus quotes the raw bytes (`"a\xc5z"`).
                if case .stringLiteral(let lit) = p.unwrappingParens, let raw = lit.invalidUTF8Bytes {
                    throw PromQLEvalError("invalid label name \(GoQuote.quote(bytes: raw))")
                }
                if !isValidLabelName(label) {
                    throw PromQLEvalError("invalid label name \(goQuoteBytes(label))")
                }
            } else {
                params = try scalarValues(p)
            }
        }
        let input = try vectorValue(a.expr)
        switch a.op {
        case .topk, .bottomk, .limitk, .limitRatio:
            return .vector(try aggregateSelected(a, input, params: params))
        case .countValues:
            return .vector(try aggregateCountValues(a, input, label: label))
        default:
            return .vector(aggregateGrouped(a, input, params: params))
        }
    }

    /// Each input series' group (an index into `keys`) and the groups' labels, in order of first appearance.
    /// Group membership depends only on a series' labels, so it is worked out once per series, not per point.
    func aggregationGroups(_ a: AggregateExpr, _ input: [EvalSeries]) -> (groupOf: [Int], keys: [Labels]) {
        let grouping = Set(a.grouping)
        var keyIndex: [Labels: Int] = [:]
        var keys: [Labels] = []
        let groupOf = input.map { s -> Int in
            let key = groupingKey(s.labels, without: a.without, grouping: grouping)
            if let g = keyIndex[key] { return g }
            keyIndex[key] = keys.count
            keys.append(key)
            return keys.count - 1
        }
        return (groupOf, keys)
    }

    /// Grouping key of a series for `by`/`without`.
    func groupingKey(_ l: Labels, without: Bool, grouping: Set<String>) -> Labels {
        if without {
            var drop = grouping
            drop.insert("__name__")
            return l.removing(drop)
        }
        return l.keeping(grouping)
    }

    /// count_values: per step, how many samples of each group have each value. Output labels are the group's
    /// with `label` set to the value (which may merge groups when `label` is a grouping label), worked out once
    /// per (group, value) pair.
    func aggregateCountValues(_ a: AggregateExpr, _ input: [EvalSeries], label: String) throws(PromQLEvalError) -> [EvalSeries] {
        let (groupOf, groupKeys) = aggregationGroups(a, input)
        struct GroupValue: Hashable {
            var group: Int
            var value: String
        }
        var pairSlot: [GroupValue: Int] = [:]
        var collector = SeriesCollector()
        var cursors = [StepCursor](repeating: StepCursor(), count: input.count)
        // Per output series: this step's count (valid when `countStep` is this step), and the step's order.
        var counts: [Double] = [], countStep: [Int] = []
        var order: [Int] = []
        for (i, t) in steps.enumerated() {
            order.removeAll(keepingCapacity: true)
            for si in input.indices {
                let at = cursors[si].seek(input[si], to: t)
                for isHistogram in StepCursor.samples(at) {
                    let v = isHistogram ? input[si].histograms[cursors[si].histogramPos].h.description
                        : GoFloat.formatF(input[si].floats[cursors[si].floatPos].f)
                    let key = GroupValue(group: groupOf[si], value: v)
                    let slot: Int
                    if let known = pairSlot[key] { slot = known } else {
                        slot = collector.slot(groupKeys[key.group].setting(label, v), drop: false)
                        pairSlot[key] = slot
                        while counts.count <= slot {
                            counts.append(0)
                            countStep.append(-1)
                        }
                    }
                    if countStep[slot] != i {
                        countStep[slot] = i
                        counts[slot] = 0
                        order.append(slot)
                    }
                    counts[slot] += 1
                }
            }
            for slot in order { try collector.append(slot, t: t, float: counts[slot]) }
        }
        return try collector.finish()
    }

    /// topk, bottomk, limitk and limit_ratio keep whole input samples: step by step, each group's members are
    /// found through group ids worked out once per series, and topk/bottomk keep a small sorted buffer per group.
    func aggregateSelected(_ a: AggregateExpr, _ input: [EvalSeries], params: [Double]) throws(PromQLEvalError) -> [EvalSeries] {
        let (groupOf, groupKeys) = aggregationGroups(a, input)
        let ratioOffsets = a.op == .limitRatio ? input.map { labelsRatioOffset($0.labels) } : []
        var cursors = [StepCursor](repeating: StepCursor(), count: input.count)
        var slots = [Int](repeating: -1, count: input.count)
        // Per group: this step's members (input series indices), and the groups in order of first appearance.
        var members = [[Int]](repeating: [], count: groupKeys.count)
        var touched: [Int] = []
        var collector = SeriesCollector()
        let top = a.op == .topk
        for (i, t) in steps.enumerated() {
            let param = i < params.count ? params[i] : .nan
            var k = 0
            var ratio = 0.0
            if a.op == .limitRatio {
                if param.isNaN { throw PromQLEvalError("Ratio value is NaN") }
                ratio = param
                if ratio > 1 || ratio < -1 {
                    let capped = ratio > 1 ? 1.0 : -1.0
                    ctx.annotations.warn("ratio value should be between -1 and 1, got \(GoFloat.formatV(ratio)), capping to \(GoFloat.formatV(capped))")
                    ratio = capped
                }
            } else {
                if param.isNaN { throw PromQLEvalError("Parameter value is NaN") }
                if param < 1 { continue }
                k = param >= 9.2e18 ? Int.max : Int(param)
            }
            for g in touched { members[g].removeAll(keepingCapacity: true) }
            touched.removeAll(keepingCapacity: true)
            // The samples of this step, in input order.
            var stepSamples: [(series: Int, float: Bool)] = []
            for si in input.indices {
                let at = cursors[si].seek(input[si], to: t)
                if at.float { stepSamples.append((si, true)) }
                if at.histogram {
                    if a.op == .topk || a.op == .bottomk {
                        ctx.annotations.info("ignored histogram in \(a.op.rawValue) aggregation")
                    } else {
                        stepSamples.append((si, false))
                    }
                }
            }
            func value(_ si: Int) -> Double { input[si].floats[cursors[si].floatPos].f }
            // Whether the sample of series `x` is preferred to that of `y` (which came earlier in input order).
            func beats(_ x: Int, _ y: Int) -> Bool {
                let p = value(x), q = value(y)
                if p.isNaN != q.isNaN { return q.isNaN }
                return p != q && !p.isNaN && (top ? p > q : p < q)
            }
            var selected: [(series: Int, float: Bool)] = []
            if a.op == .limitRatio {
                selected = stepSamples.filter { ratio >= 0 ? ratioOffsets[$0.series] < ratio : ratioOffsets[$0.series] >= 1 + ratio }
            } else {
                // topk/bottomk with a small k keep a sorted buffer of at most k per group (later samples go after
                // equal ones, so ties keep input order); with a large k they sort whole groups at the end.
                let buffered = k <= 64
                for smp in stepSamples {
                    let g = groupOf[smp.series]
                    if members[g].isEmpty { touched.append(g) }
                    if a.op == .limitk {
                        if members[g].count < k { members[g].append(smp.float ? smp.series : ~smp.series) }
                        continue
                    }
                    if !buffered {
                        members[g].append(smp.series)
                        continue
                    }
                    var buf = members[g]
                    members[g] = []
                    if buf.count >= k {
                        guard let last = buf.last, beats(smp.series, last) else {
                            members[g] = buf
                            continue
                        }
                        buf.removeLast()
                    }
                    var pos = buf.count
                    while pos > 0 && beats(smp.series, buf[pos - 1]) { pos -= 1 }
                    buf.insert(smp.series, at: pos)
                    members[g] = buf
                }
                for g in touched {
                    if a.op != .limitk && !buffered {
                        // Values read once; NaN last, ties in input order (members are in input order).
                        let ranked = members[g].enumerated().map { (order: $0.offset, series: $0.element, v: value($0.element)) }
                            .sorted { x, y in
                                if x.v.isNaN != y.v.isNaN { return y.v.isNaN }
                                if x.v != y.v && !x.v.isNaN { return top ? x.v > y.v : x.v < y.v }
                                return x.order < y.order
                            }
                        for m in ranked.prefix(k) { selected.append((m.series, true)) }
                        continue
                    }
                    for m in members[g] { selected.append(m >= 0 ? (m, true) : (~m, false)) }
                }
            }
            for smp in selected {
                let si = smp.series
                if slots[si] < 0 { slots[si] = collector.slot(input[si].labels, drop: input[si].dropName) }
                if smp.float {
                    try collector.append(slots[si], t: t, float: value(si))
                } else {
                    try collector.append(slots[si], t: t, histogram: input[si].histograms[cursors[si].histogramPos].h)
                }
            }
        }
        return try collector.finish()
    }

    /// A stable pseudo-random position in [0, 1) of a series, for limit_ratio.
    func labelsRatioOffset(_ l: Labels) -> Double {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for lbl in l.labels {
            for b in lbl.name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
            for b in lbl.value.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        return Double(h) / Double(UInt64.max)
    }
}

/// Legacy-or-UTF-8 label name validity as the 3.x engine checks it (valid UTF-8, not empty).
func isValidLabelName(_ s: String) -> Bool {
    !s.isEmpty && !s.unicodeScalars.contains("\u{FFFD}")
}

/// `%q` of a string that may hold invalid UTF-8 (shown as `\xNN` escapes like Go).
func goQuoteBytes(_ s: String) -> String { quoteLabelValue(s) }
