/// The fractions ≈ 2^(i/2^schema)/2 in [0.5, 1) that exponential native-histogram bucket bounds scale by a
/// power of two, for schemas 0…8, bit for bit as Prometheus has them.
///
/// Prometheus's bounds are a precomputed table (`exponentialBounds` in model/histogram/generic.go, the same
/// as client_golang's `nativeHistogramBounds`), and it is NOT the correctly rounded 2^(i/2^s)/2: many of the
/// 511 entries are a few ulps off it (2^(255/256)/2 = 0.99729605608547012…, table 0.9972960560854698),
/// so neither the C library's `exp2` nor an exact method reproduces it. client_golang documents how the
/// table was made, and that is what we do: each schema starts at 0.5, every even index takes the previous
/// schema's value at half the index, and every odd index multiplies its left neighbour by
/// 2^(2^−s) computed with Go's `math.Exp2` (its portable algorithm, evaluated without fused
/// multiply-adds as on amd64). Computed once per process, identically on every platform.
enum ExponentialBounds {
    /// `table[s][i]` for s in 0…8 and i in 0..<2^s.
    static let table: [[Double]] = {
        var table: [[Double]] = []
        for s in 0...8 {
            let factor = goExp2(goExp2(-Double(s)))
            var row = [0.5]
            for j in 0..<((1 << s) - 1) {
                row.append((j + 1) % 2 == 0 ? table[s - 1][j / 2 + 1] : row[j] * factor)
            }
            table.append(row)
        }
        return table
    }()

    /// The fraction for bucket `fracIdx` (0..<2^schema) of `schema` (0…8); NaN outside.
    static func fraction(_ fracIdx: Int, schema: Int) -> Double {
        let s = min(max(schema, 0), 8)
        let row = table[s]
        return fracIdx >= 0 && fracIdx < row.count ? row[fracIdx] : .nan
    }

    /// Go's `math.Exp2` for the finite, moderate arguments used here (|x| ≤ 8): argument reduction to
    /// x = k + t with |t| ≤ 1/2, then e^(t·ln 2) by the fdlibm rational approximation, scaled by 2^k.
    /// Each operation is rounded separately (Swift does not contract a·b + c into a fused multiply-add).
    static func goExp2(_ x: Double) -> Double {
        let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10
        let k: Int = x > 0 ? Int(x + 0.5) : (x < 0 ? Int(x - 0.5) : 0)
        let t = x - Double(k)
        let hi = t * ln2Hi
        let lo = -t * ln2Lo
        let p1 = 1.66666666666666657415e-01, p2 = -2.77777777770155933842e-03, p3 = 6.61375632143793436117e-05
        let p4 = -1.65339022054652515390e-06, p5 = 4.13813679705723846039e-08
        let r = hi - lo
        let tt = r * r
        let c = r - tt * (p1 + tt * (p2 + tt * (p3 + tt * (p4 + tt * p5))))
        let y = 1 - ((lo - (r * c) / (2 - c)) - hi)
        return Double(sign: .plus, exponent: k, significand: y)
    }
}
