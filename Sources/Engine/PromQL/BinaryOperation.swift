#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    func evalBinary(_ b: BinaryExpr) throws(PromQLEvalError) -> EvalValue {
        let lt = b.lhs.type, rt = b.rhs.type
        if lt == .scalar && rt == .scalar {
            let l = try scalarValues(b.lhs), r = try scalarValues(b.rhs)
            var out: [Double] = []
            out.reserveCapacity(l.count)
            for i in l.indices {
                let (v, keep) = scalarBinop(b.op, l[i], r[i])
                out.append(b.op.isComparison ? (keep ? 1 : 0) : v)
            }
            return .scalar(out)
        }
        if lt == .scalar || rt == .scalar {
            let scalarOnLeft = lt == .scalar
            let sv = try scalarValues(scalarOnLeft ? b.lhs : b.rhs)
            let vec = try vectorValue(scalarOnLeft ? b.rhs : b.lhs)
            return .vector(try vectorScalarBinop(b, vec, sv, scalarOnLeft: scalarOnLeft))
        }
        // vector op vector
        let lhs = try vectorValue(b.lhs), rhs = try vectorValue(b.rhs)
        let matching = b.matching ?? VectorMatching(card: b.op.isSetOperator ? .manyToMany : .oneToOne)
        if b.op.isSetOperator {
            return .vector(try vectorSetOperation(b.op, lhs, rhs, matching))
        }
        if matching.fill.isEmpty && HistogramTrim.keepsBelow(b.op) == nil {
            return .vector(try vectorMatchingBinop(b, lhs, rhs, matching))
        }
        // fill() and the histogram trim operators: the general per-step matching.
        let lv = stepVectors(lhs), rv = stepVectors(rhs)
        var outVecs: [[VectorSample]] = []
        for i in lv.indices {
            let l = lv[i], r = i < rv.count ? rv[i] : []
            outVecs.append(try vectorBinop(b, l, r, matching))
        }
        return .vector(series(from: outVecs))
    }

    /// `vector op scalar` and `scalar op vector`, series by series: which points survive and whether the name
    /// goes depend on the operator only, so each input series maps to one output series.
    func vectorScalarBinop(_ b: BinaryExpr, _ vec: [EvalSeries], _ sv: [Double], scalarOnLeft: Bool) throws(PromQLEvalError) -> [EvalSeries] {
        let trim = HistogramTrim.keepsBelow(b.op) != nil
        let filtering = b.op.isComparison && !b.returnBool
        // Trimming keeps what a histogram measures, and a filtering comparison keeps the sample: both keep the name.
        let dropsName = !trim && !filtering
        let opName = quoteLabelValue(b.op.rawValue)
        var collector = SeriesCollector()
        for s in vec {
            var o = EvalSeries(labels: s.labels, dropName: s.dropName)
            for p in s.floats {
                guard let i = stepIndex(p.t) else { continue }
                if trim {
                    ctx.annotations.info("incompatible sample types encountered for binary operator \(opName): float \(b.op.rawValue) float")
                    continue
                }
                let sc = i < sv.count ? sv[i] : .nan
                let (v, keep) = scalarOnLeft ? scalarBinop(b.op, sc, p.f) : scalarBinop(b.op, p.f, sc)
                if b.op.isComparison {
                    // `scalar op vector` comparisons keep the vector's value too.
                    if b.returnBool { o.floats.append(FPoint(t: p.t, f: keep ? 1 : 0)) } else if keep { o.floats.append(p) }
                } else {
                    o.floats.append(FPoint(t: p.t, f: v))
                }
            }
            for p in s.histograms {
                guard let i = stepIndex(p.t) else { continue }
                let sc = i < sv.count ? sv[i] : .nan
                guard let r = histogramScalarOp(b.op, p.h, sc, scalarOnLeft: scalarOnLeft) else {
                    ctx.annotations.info("incompatible sample types encountered for binary operator \(opName): \(scalarOnLeft ? "float" : "histogram") \(b.op.rawValue) \(scalarOnLeft ? "histogram" : "float")")
                    continue
                }
                o.histograms.append(HPoint(t: p.t, h: r))
            }
            collector.add(dropsName ? dropName(o) : o)
        }
        return try collector.finish()
    }

    /// `and`, `or` and `unless`, step by step on signatures worked out once per series.
    func vectorSetOperation(_ op: BinaryOperator, _ lhs: [EvalSeries], _ rhs: [EvalSeries], _ m: VectorMatching) throws(PromQLEvalError) -> [EvalSeries] {
        var sigIndex: [Labels: Int] = [:]
        func sigID(_ s: EvalSeries) -> Int {
            let sig = signature(s.labels, m)
            if let id = sigIndex[sig] { return id }
            sigIndex[sig] = sigIndex.count
            return sigIndex.count - 1
        }
        let lhsSig = lhs.map(sigID), rhsSig = rhs.map(sigID)
        var lhsCursor = [StepCursor](repeating: StepCursor(), count: lhs.count)
        var rhsCursor = [StepCursor](repeating: StepCursor(), count: rhs.count)
        // Per signature: the last step at which the other side (rhs for and/unless, lhs for or) had it.
        var seenAt = [Int](repeating: -1, count: sigIndex.count)
        var slots = [Int](repeating: -1, count: lhs.count + rhs.count)
        var collector = SeriesCollector()
        for (i, t) in steps.enumerated() {
            if op != .or {
                for j in rhs.indices {
                    let at = rhsCursor[j].seek(rhs[j], to: t)
                    if at.float || at.histogram { seenAt[rhsSig[j]] = i }
                }
            }
            // The left side's samples (all of them for `or`), then for `or` the right side's unmatched ones.
            for side in 0..<(op == .or ? 2 : 1) {
                let left = side == 0
                for j in (left ? lhs.indices : rhs.indices) {
                    let at = left ? lhsCursor[j].seek(lhs[j], to: t) : rhsCursor[j].seek(rhs[j], to: t)
                    guard at.float || at.histogram else { continue }
                    let g = left ? lhsSig[j] : rhsSig[j]
                    switch op {
                    case .and: if seenAt[g] != i { continue }
                    case .unless: if seenAt[g] == i { continue }
                    default:
                        if left { seenAt[g] = i } else if seenAt[g] == i { continue }
                    }
                    let k = left ? j : lhs.count + j
                    if slots[k] < 0 {
                        slots[k] = left ? collector.slot(lhs[j].labels, drop: lhs[j].dropName)
                            : collector.slot(rhs[j].labels, drop: rhs[j].dropName)
                    }
                    if at.float {
                        let f = left ? lhs[j].floats[lhsCursor[j].floatPos].f : rhs[j].floats[rhsCursor[j].floatPos].f
                        try collector.append(slots[k], t: t, float: f)
                    }
                    if at.histogram {
                        let h = left ? lhs[j].histograms[lhsCursor[j].histogramPos].h : rhs[j].histograms[rhsCursor[j].histogramPos].h
                        try collector.append(slots[k], t: t, histogram: h)
                    }
                }
            }
        }
        return try collector.finish()
    }

    /// Arithmetic and comparisons between two vectors, step by step: signatures, result labels and output series
    /// are worked out once per series (or series pair), not per point.
    func vectorMatchingBinop(_ b: BinaryExpr, _ lhsIn: [EvalSeries], _ rhsIn: [EvalSeries], _ m: VectorMatching) throws(PromQLEvalError) -> [EvalSeries] {
        if m.card == .manyToMany { throw PromQLEvalError("many-to-many only allowed for set operators") }
        // For group_right swap sides so that the "one" side is always `one`.
        let swap = m.card == .oneToMany
        let many = swap ? rhsIn : lhsIn, one = swap ? lhsIn : rhsIn
        var sigIndex: [Labels: Int] = [:]
        var sigLabels: [Labels] = []
        func sigID(_ s: EvalSeries) -> Int {
            let sig = signature(s.labels, m)
            if let id = sigIndex[sig] { return id }
            sigIndex[sig] = sigLabels.count
            sigLabels.append(sig)
            return sigLabels.count - 1
        }
        let manySig = many.map(sigID), oneSig = one.map(sigID)
        var manyCursor = [StepCursor](repeating: StepCursor(), count: many.count)
        var oneCursor = [StepCursor](repeating: StepCursor(), count: one.count)
        // Per signature at the current step: the one-side series holding it, and whether a many-side sample matched.
        var oneAt = [Int](repeating: -1, count: sigLabels.count)
        var oneAtStep = [Int](repeating: -1, count: sigLabels.count)
        var oneIsHistogram = [Bool](repeating: false, count: sigLabels.count)
        var matchedStep = [Int](repeating: -1, count: sigLabels.count)
        // Many-to-one: the (signature, result labels) pairs matched at the current step.
        struct MatchedMetric: Hashable {
            var signature: Int
            var metric: Int
        }
        var matchedMetrics = Set<MatchedMetric>()
        var metricIndex: [Labels: Int] = [:]
        // Per many-side series: the one-side series it last matched, with the result's label id and output series.
        var cached = [(one: Int, metric: Int, slot: Int)](repeating: (-1, -1, -1), count: many.count)
        let filtering = b.op.isComparison && !b.returnBool
        var collector = SeriesCollector()
        for (i, t) in steps.enumerated() {
            for j in one.indices {
                let at = oneCursor[j].seek(one[j], to: t)
                // A float and a histogram of one series at one step are two samples with the same labels.
                for isHistogram in StepCursor.samples(at) {
                    let g = oneSig[j]
                    if oneAtStep[g] == i {
                        let side = swap ? "left" : "right"
                        throw PromQLEvalError("found duplicate series for the match group \(sigLabels[g]) on the \(side) hand-side of the operation: [\(one[oneAt[g]].labels), \(one[j].labels)];many-to-many matching not allowed: matching labels must be unique on one side")
                    }
                    oneAtStep[g] = i
                    oneAt[g] = j
                    oneIsHistogram[g] = isHistogram
                }
            }
            matchedMetrics.removeAll(keepingCapacity: true)
            for j in many.indices {
                let at = manyCursor[j].seek(many[j], to: t)
                let g = manySig[j]
                guard at.float || at.histogram, oneAtStep[g] == i else { continue }
                let k = oneAt[g]
                for isHistogram in StepCursor.samples(at) {
                    var value: Double, keep: Bool
                    var h: FloatHistogram? = nil
                    if !isHistogram && !oneIsHistogram[g] {
                        let mf = many[j].floats[manyCursor[j].floatPos].f, of = one[k].floats[oneCursor[k].floatPos].f
                        let (lv, rv) = swap ? (of, mf) : (mf, of)
                        (value, keep) = scalarBinop(b.op, lv, rv)
                        if b.op.isComparison { value = b.returnBool ? (keep ? 1 : 0) : lv }
                    } else {
                        func sample(_ s: EvalSeries, _ c: StepCursor, histogram: Bool) -> VectorSample {
                            histogram ? VectorSample(labels: s.labels, t: t, f: 0, h: s.histograms[c.histogramPos].h)
                                : VectorSample(labels: s.labels, t: t, f: s.floats[c.floatPos].f)
                        }
                        let ms = sample(many[j], manyCursor[j], histogram: isHistogram)
                        let os = sample(one[k], oneCursor[k], histogram: oneIsHistogram[g])
                        let (lv, rv) = swap ? (os, ms) : (ms, os)
                        guard let r = sampleBinop(b, lv, rv) else { continue }
                        (value, h, keep) = r
                    }
                    if cached[j].one != k {
                        var metric = resultMetric(many[j].labels, one[k].labels, b, m)
                        var drop = many[j].dropName
                        if !filtering {
                            if options.delayedNameRemoval { drop = true } else { metric = metric.removing(metadataLabelNames) }
                        }
                        let metricID: Int
                        if let id = metricIndex[metric] { metricID = id } else {
                            metricID = metricIndex.count
                            metricIndex[metric] = metricID
                        }
                        cached[j] = (k, metricID, collector.slot(metric, drop: drop))
                    }
                    if m.card == .oneToOne {
                        if matchedStep[g] == i {
                            throw PromQLEvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                        }
                        matchedStep[g] = i
                    } else if !matchedMetrics.insert(MatchedMetric(signature: g, metric: cached[j].metric)).inserted {
                        throw PromQLEvalError("multiple matches for labels: grouping labels must ensure unique matches")
                    }
                    if !keep && !b.returnBool { continue }
                    if let h {
                        try collector.append(cached[j].slot, t: t, histogram: h)
                    } else {
                        try collector.append(cached[j].slot, t: t, float: value)
                    }
                }
            }
        }
        return try collector.finish()
    }

    func dropNameSample(_ s: VectorSample) -> VectorSample {
        var s = s
        if options.delayedNameRemoval { s.dropName = true } else { s.labels = s.labels.removing(metadataLabelNames) }
        return s
    }

    /// The value of `l op r` for floats and, for comparisons, whether the comparison holds.
    func scalarBinop(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .sub: return (l - r, true)
        case .mul: return (l * r, true)
        case .div: return (l / r, true)
        case .pow: return (pow(l, r), true)
        case .mod: return (fmod(l, r), true)
        case .atan2: return (atan2(l, r), true)
        case .eql: return (l, l == r)
        case .neq: return (l, l != r)
        case .gtr: return (l, l > r)
        case .lss: return (l, l < r)
        case .gte: return (l, l >= r)
        case .lte: return (l, l <= r)
        default: return (l, true)  // Set operators (and the histogram-only trim operators) never reach here.
        }
    }

    func histogramScalarOp(_ op: BinaryOperator, _ h: FloatHistogram, _ s: Double, scalarOnLeft: Bool) -> FloatHistogram? {
        if let below = HistogramTrim.keepsBelow(op) {
            return scalarOnLeft ? nil : h.trimmed(at: s, keepBelow: below)
        }
        switch op {
        case .mul: return h.multiplied(by: s)
        case .div where !scalarOnLeft: return h.divided(by: s)
        default: return nil
        }
    }

    /// The label set two series are matched on.
    func signature(_ l: Labels, _ m: VectorMatching) -> Labels {
        if m.on { return l.keeping(Set(m.matchingLabels)) }
        var drop = Set(m.matchingLabels)
        drop.insert("__name__")
        return l.removing(drop)
    }

    func vectorBinop(_ b: BinaryExpr, _ lhsIn: [VectorSample], _ rhsIn: [VectorSample], _ m: VectorMatching) throws(PromQLEvalError) -> [VectorSample] {
        if m.card == .manyToMany { throw PromQLEvalError("many-to-many only allowed for set operators") }
        // For group_right swap sides so that the "one" side is always rhs.
        let swap = m.card == .oneToMany
        let lhs = swap ? rhsIn : lhsIn, rhs = swap ? lhsIn : rhsIn
        var rightBySig: [Labels: VectorSample] = [:]
        for s in rhs {
            let sig = signature(s.labels, m)
            if let dup = rightBySig[sig] {
                let side = swap ? "left" : "right"
                let a = dup.labels.description, c = s.labels.description
                throw PromQLEvalError("found duplicate series for the match group \(sig) on the \(side) hand-side of the operation: [\(a), \(c)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            rightBySig[sig] = s
        }
        if lhsIn.isEmpty && rhsIn.isEmpty { return [] }
        if (lhsIn.isEmpty || rhsIn.isEmpty) && m.fill.isEmpty { return [] }
        // As upstream: with group_right the sides are swapped but the fill values are not.
        let fillForMissingRight = m.fill.rhs
        let fillForMissingLeft = m.fill.lhs
        var matchedSigs: [Labels: Set<Labels>] = [:]
        var out: [VectorSample] = []
        func doBinOp(_ ls: VectorSample, _ rs: VectorSample, _ sig: Labels) throws(PromQLEvalError) {
            let (lv, rv) = swap ? (rs, ls) : (ls, rs)
            guard let (value, h, keep) = sampleBinop(b, lv, rv) else { return }
            var metric = resultMetric(ls.labels, rs.labels, b, m)
            var drop = ls.dropName
            if (b.op.isComparison && !b.returnBool) || HistogramTrim.keepsBelow(b.op) != nil {
                drop = ls.dropName
            } else if options.delayedNameRemoval {
                drop = true
            } else {
                metric = metric.removing(metadataLabelNames)
            }
            if m.card == .oneToOne {
                if matchedSigs[sig] != nil {
                    throw PromQLEvalError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matchedSigs[sig] = []
            } else {
                if matchedSigs[sig, default: []].contains(metric) {
                    throw PromQLEvalError("multiple matches for labels: grouping labels must ensure unique matches")
                }
                matchedSigs[sig, default: []].insert(metric)
            }
            if !keep && !b.returnBool { return }
            out.append(VectorSample(labels: metric, t: ls.t, f: value, h: h, dropName: drop))
        }
        for ls in lhs {
            let sig = signature(ls.labels, m)
            if let rs = rightBySig[sig] {
                try doBinOp(ls, rs, sig)
            } else if let fill = fillForMissingRight {
                try doBinOp(ls, VectorSample(labels: matchLabels(ls.labels, m), t: ls.t, f: fill), sig)
            }
        }
        if let fill = fillForMissingLeft {
            for rs in rhs {
                let sig = signature(rs.labels, m)
                if matchedSigs[sig] != nil { continue }
                try doBinOp(VectorSample(labels: matchLabels(rs.labels, m), t: rs.t, f: fill), rs, sig)
            }
        }
        return out
    }

    /// Go's `Labels.MatchLabels`: the `on` labels, or all but the `ignoring` labels and `__name__`.
    func matchLabels(_ l: Labels, _ m: VectorMatching) -> Labels {
        signature(l, m)
    }

    /// `l op r` on two samples as vector matching computes it: the value (for comparisons without `bool`, the
    /// left operand's), a histogram result, and whether a comparison keeps the sample; nil, with Prometheus's
    /// info, when the sample types do not combine.
    func sampleBinop(_ b: BinaryExpr, _ lv: VectorSample, _ rv: VectorSample) -> (value: Double, h: FloatHistogram?, keep: Bool)? {
        var value: Double, keep: Bool
        var h: FloatHistogram? = nil
        if lv.h != nil || rv.h != nil {
            guard let r = histogramBinop(b.op, lv, rv) else {
                ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): \(lv.h == nil ? "float" : "histogram") \(b.op.rawValue) \(rv.h == nil ? "float" : "histogram")")
                return nil
            }
            (value, h, keep) = r
        } else if HistogramTrim.keepsBelow(b.op) != nil {
            ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): float \(b.op.rawValue) float")
            return nil
        } else {
            (value, keep) = scalarBinop(b.op, lv.f, rv.f)
        }
        if b.op.isComparison {
            if b.returnBool {
                value = keep ? 1 : 0
                h = nil
            } else {
                value = lv.f
            }
        }
        return (value, h, keep)
    }

    func histogramBinop(_ op: BinaryOperator, _ l: VectorSample, _ r: VectorSample) -> (Double, FloatHistogram?, Bool)? {
        switch (l.h, r.h) {
        case let (lh?, rh?):
            switch op {
            case .add, .sub:
                var res = lh
                do {
                    let report = op == .add ? try res.add(rh, reconcileCustomBounds: true) : try res.sub(rh, reconcileCustomBounds: true)
                    let what = op == .add ? "addition" : "subtraction"
                    if report.counterResetCollision {
                        ctx.annotations.warn("conflicting counter resets during histogram \(what)")
                    }
                    if report.customBoundsReconciled {
                        ctx.annotations.info("mismatched custom buckets were reconciled during \(what)")
                    }
                } catch {
                    ctx.annotations.warn("incompatible bucket layout encountered for binary operator \(op.rawValue)")
                    return (0, nil, false)
                }
                if op == .sub { res.counterResetHint = .gauge }
                return (0, res.compacted(), true)
            case .eql: return (0, lh, lh == rh)
            case .neq: return (0, lh, !(lh == rh))
            default: return nil
            }
        case let (lh?, nil):
            if let below = HistogramTrim.keepsBelow(op) { return (0, lh.trimmed(at: r.f, keepBelow: below), true) }
            switch op {
            case .mul: return (0, lh.multiplied(by: r.f).compacted(), true)
            case .div: return (0, lh.divided(by: r.f).compacted(), true)
            default: return nil
            }
        case let (nil, rh?):
            if op == .mul { return (0, rh.multiplied(by: l.f).compacted(), true) }
            return nil
        default:
            return nil
        }
    }

    /// Labels of a binary operation's result (`resultMetric` in Prometheus).
    func resultMetric(_ lhs: Labels, _ rhs: Labels, _ b: BinaryExpr, _ m: VectorMatching) -> Labels {
        // With group_right the "many" side is the right one; lhs/rhs here are already many/one.
        var out = lhs
        if m.card == .oneToOne {
            if m.on {
                out = out.keeping(Set(m.matchingLabels))
            } else {
                out = out.removing(Set(m.matchingLabels))
            }
        }
        for ln in m.include {
            if let v = rhs[ln], !v.isEmpty { out = out.setting(ln, v) } else { out = out.setting(ln, "") }
        }
        return out
    }
}
