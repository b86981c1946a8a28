#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
func goFormatFloatF(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    let s = "\(v)"
    guard let eIdx = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
    let mantissa = String(s[..<eIdx])
    guard let exp = Int(s[s.index(after: eIdx)...]) else { return s }
    var negative = false
    var digits = mantissa
    if digits.hasPrefix("-") { negative = true; digits.removeFirst() }
    let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
    let intPart = parts.first.map(String.init) ?? ""
    var frac = parts.count > 1 ? String(parts[1]) : ""
    if frac == "0" { frac = "" }
    let all = intPart + frac
    let pointPos = intPart.count + exp
    var out: String
    if pointPos <= 0 {
        out = "0." + String(repeating: "0", count: -pointPos) + all
    } else if pointPos >= all.count {
        out = all + String(repeating: "0", count: pointPos - all.count)
    } else {
        let i = all.index(all.startIndex, offsetBy: pointPos)
        out = String(all[..<i]) + "." + String(all[i...])
    }
    return (negative ? "-" : "") + out
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
        case .topk, .bottomk, .limitk, .limitRatio, .countValues:
            var outVecs: [[VectorSample]] = []
            outVecs.reserveCapacity(steps.count)
            for (i, vec) in stepVectors(input).enumerated() {
                let param = i < params.count ? params[i] : .nan
                outVecs.append(try aggregateStep(a, vec, param: param, label: label, t: steps[i]))
            }
            return .vector(series(from: outVecs))
        default:
            return .vector(aggregateGrouped(a, input, params: params))
        }
    }

    /// Grouping key of a series for `by`/`without`.
    func groupingKey(_ l: Labels, _ a: AggregateExpr) -> Labels {
        groupingKey(l, without: a.without, grouping: Set(a.grouping))
    }

    func groupingKey(_ l: Labels, without: Bool, grouping: Set<String>) -> Labels {
        if without {
            var drop = grouping
            drop.insert("__name__")
            return l.removing(drop)
        }
        return l.keeping(grouping)
    }

    func aggregateStep(_ a: AggregateExpr, _ vec: [VectorSample], param: Double, label: String, t: Int64) throws(PromQLEvalError) -> [VectorSample] {
        switch a.op {
        case .topk, .bottomk, .limitk, .limitRatio:
            return try aggregateSelect(a, vec, param: param, t: t)
        case .countValues:
            var order: [Labels] = []
            var counts: [Labels: Double] = [:]
            for s in vec {
                let v = s.h.map { $0.description } ?? goFormatFloatF(s.f)
                let key = groupingKey(s.labels, a).setting(label, v)
                if counts[key] == nil { order.append(key) }
                counts[key, default: 0] += 1
            }
            return order.map { VectorSample(labels: $0, t: t, f: counts[$0] ?? 0) }
        default:
            // The grouping aggregations never come here (see aggregateGrouped).
            return []
        }
    }

    /// topk, bottomk, limitk, limit_ratio: keep whole input series.
    func aggregateSelect(_ a: AggregateExpr, _ vec: [VectorSample], param: Double, t: Int64) throws(PromQLEvalError) -> [VectorSample] {
        if a.op == .limitRatio {
            if param.isNaN { throw PromQLEvalError("Ratio value is NaN") }
            var r = param
            if r > 1 || r < -1 {
                let capped = r > 1 ? 1.0 : -1.0
                ctx.annotations.warn("ratio value should be between -1 and 1, got \(goFormatG(r)), capping to \(goFormatG(capped))")
                r = capped
            }
            return vec.filter { s in
                let off = labelsRatioOffset(s.labels)
                return r >= 0 ? off < r : off >= 1 + r
            }
        }
        if param.isNaN { throw PromQLEvalError("Parameter value is NaN") }
        if param < 1 { return [] }
        let k = param >= 9.2e18 ? Int.max : Int(param)
        var order: [Labels] = []
        var groups: [Labels: [VectorSample]] = [:]
        for s in vec {
            if a.op != .limitk && s.h != nil {
                ctx.annotations.info("ignored histogram in \(a.op.rawValue) aggregation")
                continue
            }
            let key = groupingKey(s.labels, a)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(s)
        }
        var out: [VectorSample] = []
        for key in order {
            guard let members = groups[key] else { continue }
            switch a.op {
            case .limitk:
                out.append(contentsOf: members.prefix(k))
            case .topk, .bottomk:
                let top = a.op == .topk
                // Stable selection: NaN is never preferred; ties keep input order.
                let indexed = members.enumerated().sorted { x, y in
                    let p = x.element.f, q = y.element.f
                    if p.isNaN != q.isNaN { return q.isNaN }
                    if p != q && !p.isNaN { return top ? p > q : p < q }
                    return x.offset < y.offset
                }
                out.append(contentsOf: indexed.prefix(k).map(\.element))
            default:
                break
            }
        }
        return out
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

/// Go's `%g` for annotations (`0.5`, `1.1`, `NaN`, `+Inf`, `1e+06`).
func goFormatG(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
    if v == v.rounded(), abs(v) < 1e21 {
        let i = Int64(v)
        let s = String(i)
        let digits = s.hasPrefix("-") ? s.count - 1 : s.count
        if digits <= 21 && abs(v) < 1e21 { return digits > 6 && v.description.contains("e") ? goExp(v) : s }
    }
    let d = v.description
    if d.contains("e") { return goExp(v) }
    return d
}

private func goExp(_ v: Double) -> String {
    let d = v.description  // like 1e+21 or 1.5e-07
    guard let e = d.firstIndex(of: "e") else { return d }
    let mant = d[..<e]
    var exp = String(d[d.index(after: e)...])
    var sign = "+"
    if exp.hasPrefix("-") { sign = "-"; exp.removeFirst() } else if exp.hasPrefix("+") { exp.removeFirst() }
    if exp.count < 2 { exp = "0" + exp }
    let m = mant.hasSuffix(".0") ? String(mant.dropLast(2)) : String(mant)
    return m + "e" + sign + exp
}

/// Legacy-or-UTF-8 label name validity as the 3.x engine checks it (valid UTF-8, not empty).
func isValidLabelName(_ s: String) -> Bool {
    !s.isEmpty && !s.unicodeScalars.contains("\u{FFFD}")
}

/// `%q` of a string that may hold invalid UTF-8 (shown as `\xNN` escapes like Go).
func goQuoteBytes(_ s: String) -> String { quoteLabelValue(s) }
