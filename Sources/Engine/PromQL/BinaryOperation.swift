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
            var outVecs: [[VectorSample]] = []
            let perStep = stepVectors(vec)
            for (i, samples) in perStep.enumerated() {
                let s = i < sv.count ? sv[i] : .nan
                var out: [VectorSample] = []
                for var smp in samples {
                    if let h = smp.h {
                        guard let r = histogramScalarOp(b.op, h, s, scalarOnLeft: scalarOnLeft) else {
                            ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): \(scalarOnLeft ? "float" : "histogram") \(b.op.rawValue) \(scalarOnLeft ? "histogram" : "float")")
                            continue
                        }
                        smp.h = r
                        // Trimming keeps what the histogram measures, so it keeps the name.
                        if !b.op.isComparison && HistogramTrim.keepsBelow(b.op) == nil { smp = dropNameSample(smp) }
                        out.append(smp)
                        continue
                    }
                    if HistogramTrim.keepsBelow(b.op) != nil {
                        ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): float \(b.op.rawValue) float")
                        continue
                    }
                    let (l, r) = scalarOnLeft ? (s, smp.f) : (smp.f, s)
                    let (v, keep) = scalarBinop(b.op, l, r)
                    if b.op.isComparison {
                        if b.returnBool {
                            smp.f = keep ? 1 : 0
                            smp = dropNameSample(smp)
                        } else if !keep {
                            continue
                        } else if scalarOnLeft {
                            // `scalar op vector` comparisons keep the vector's value.
                        }
                    } else {
                        smp.f = v
                        smp = dropNameSample(smp)
                    }
                    out.append(smp)
                }
                outVecs.append(out)
            }
            return .vector(series(from: outVecs))
        }
        // vector op vector
        let lhs = try vectorValue(b.lhs), rhs = try vectorValue(b.rhs)
        let matching = b.matching ?? VectorMatching(card: b.op.isSetOperator ? .manyToMany : .oneToOne)
        let lv = stepVectors(lhs), rv = stepVectors(rhs)
        var outVecs: [[VectorSample]] = []
        for i in lv.indices {
            let l = lv[i], r = i < rv.count ? rv[i] : []
            switch b.op {
            case .and: outVecs.append(vectorAnd(l, r, matching))
            case .or: outVecs.append(vectorOr(l, r, matching))
            case .unless: outVecs.append(vectorUnless(l, r, matching))
            default: outVecs.append(try vectorBinop(b, l, r, matching))
            }
        }
        return .vector(series(from: outVecs))
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

    func vectorAnd(_ l: [VectorSample], _ r: [VectorSample], _ m: VectorMatching) -> [VectorSample] {
        let sigs = Set(r.map { signature($0.labels, m) })
        return l.filter { sigs.contains(signature($0.labels, m)) }
    }

    func vectorOr(_ l: [VectorSample], _ r: [VectorSample], _ m: VectorMatching) -> [VectorSample] {
        let sigs = Set(l.map { signature($0.labels, m) })
        return l + r.filter { !sigs.contains(signature($0.labels, m)) }
    }

    func vectorUnless(_ l: [VectorSample], _ r: [VectorSample], _ m: VectorMatching) -> [VectorSample] {
        let sigs = Set(r.map { signature($0.labels, m) })
        return l.filter { !sigs.contains(signature($0.labels, m)) }
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
            var value: Double
            var h: FloatHistogram? = nil
            var keep = true
            if lv.h != nil || rv.h != nil {
                guard let r = histogramBinop(b.op, lv, rv) else {
                    ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): \(lv.h == nil ? "float" : "histogram") \(b.op.rawValue) \(rv.h == nil ? "float" : "histogram")")
                    return
                }
                (value, h, keep) = r
            } else if HistogramTrim.keepsBelow(b.op) != nil {
                ctx.annotations.info("incompatible sample types encountered for binary operator \(quoteLabelValue(b.op.rawValue)): float \(b.op.rawValue) float")
                return
            } else {
                let (v, k) = scalarBinop(b.op, lv.f, rv.f)
                value = v
                keep = k
            }
            if b.op.isComparison {
                if b.returnBool {
                    value = keep ? 1 : 0
                    h = nil
                } else {
                    value = lv.f
                }
            }
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
