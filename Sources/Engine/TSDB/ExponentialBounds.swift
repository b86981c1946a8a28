#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fractions 2^(i/2^schema)/2 in [0.5, 1) that exponential native-histogram bucket bounds scale by a
/// power of two, correctly rounded to the nearest Double for schemas 0…8.
///
/// Why not `exp2(i/2^s)/2` alone: C libraries do not promise a correctly rounded `exp2` (glibc's happens
/// to be at these points, others are not), so bounds, and the buckets an observation exactly on a bound
/// falls into, would depend on the platform. Each fraction starts from `exp2` and is corrected by deciding,
/// in double-double arithmetic (about 106 bits, no Float80, so the same on every platform), on which side
/// of the rounding midpoints the exact value lies. Computed once per process.
///
/// Prometheus's own table (`exponentialBounds` in model/histogram/generic.go) is NOT correctly rounded: its
/// entries lie at or up to 3 ulps below the exact values (e.g. 2^(255/256)/2 = 0.99729605608547012…, table
/// 0.9972960560854698), and no formula we tried (Go's exp2, pow, exp(x·ln2), products) reproduces it, so
/// bounds matched against a server's stay tolerant (`HistogramRebuilder`).
enum ExponentialBounds {
    /// `table[s][i]` = 2^(i/2^s)/2, for s in 0…8 and i in 0..<2^s.
    static let table: [[Double]] = (0...8).map { s in
        let n = 1 << s
        return (0..<n).map { i in i == 0 ? 0.5 : correctlyRoundedPowerOfTwo(numerator: i, schema: s) / 2 }
    }

    /// The fraction for bucket `fracIdx` (0..<2^schema) of `schema` (0…8).
    static func fraction(_ fracIdx: Int, schema: Int) -> Double {
        let s = min(max(schema, 0), 8)
        let row = table[s]
        return fracIdx >= 0 && fracIdx < row.count ? row[fracIdx] : .nan
    }

    /// The Double nearest to 2^(k/2^s), for 0 < k < 2^s (a value in (1, 2)).
    static func correctlyRoundedPowerOfTwo(numerator k: Int, schema s: Int) -> Double {
        var y = exp2(Double(k) / Double(1 << s))  // k/2^s is exact; within an ulp or so of the answer
        // The exact value is irrational, so never equal to a midpoint; walk until both midpoints around
        // `y` enclose it (one step in practice).
        for _ in 0..<4 {
            if exactExceeds(midpointAbove: y, k: k, s: s) {
                y = y.nextUp
            } else if !exactExceeds(midpointAbove: y.nextDown, k: k, s: s) {
                y = y.nextDown
            } else {
                break
            }
        }
        return y
    }

    /// Whether 2^(k/2^s) is above the midpoint between `y` and its successor: whether that midpoint
    /// raised to the 2^s is below 2^k, the power taken by `s` double-double squarings.
    private static func exactExceeds(midpointAbove y: Double, k: Int, s: Int) -> Bool {
        // The midpoint y + ulp/2 is exactly the double-double (y, ulp/2).
        var m = DoubleDouble(hi: y, lo: (y.nextUp - y) / 2).normalized
        for _ in 0..<s { m = m.squared }
        let target = Double(sign: .plus, exponent: k, significand: 1)
        return m.hi < target || (m.hi == target && m.lo < 0)
    }

    /// An unevaluated sum hi + lo with |lo| ≤ ulp(hi)/2: about 106 bits of precision.
    private struct DoubleDouble {
        var hi: Double
        var lo: Double

        var normalized: DoubleDouble {
            let s = hi + lo
            return DoubleDouble(hi: s, lo: lo - (s - hi))
        }

        /// (hi + lo)², dropping lo² (below the precision kept).
        var squared: DoubleDouble {
            let p = hi * hi
            let e = (-p).addingProduct(hi, hi)  // exact error of hi·hi (fused multiply-add)
            return DoubleDouble(hi: p, lo: e + 2 * hi * lo).normalized
        }
    }
}
