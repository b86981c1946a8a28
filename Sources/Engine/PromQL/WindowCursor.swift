/// A point with a timestamp, so window searches work on float and histogram points alike.
protocol TimedPoint {
    var t: Int64 { get }
}

extension FPoint: TimedPoint {}
extension HPoint: TimedPoint {}

/// Finds the points of successive windows `(after, upTo]` in a time-sorted array. Query steps move windows
/// forward by a few points, so each bound walks on from where the previous window left it instead of
/// searching the whole array; a bound that moves back (or far) falls back to binary search.
struct WindowCursor {
    private var from = 0
    private var to = 0

    /// The indices of the points with `after < t <= upTo`.
    mutating func next<P: TimedPoint>(_ a: [P], after lo: Int64, upTo hi: Int64) -> Range<Int> {
        from = Self.seek(a, from: from, past: lo)
        to = Self.seek(a, from: max(to, from), past: hi)
        return from..<max(from, to)
    }

    /// The indices of the points with `after < t <= upTo`, by binary search.
    static func range<P: TimedPoint>(_ a: [P], after lo: Int64, upTo hi: Int64) -> Range<Int> {
        let from = firstIndex(a, in: 0..<a.count, past: lo)
        let to = firstIndex(a, in: from..<a.count, past: hi)
        return from..<to
    }

    /// The first index whose point is after `x`, starting from a guess `start` (any value in `0...a.count`).
    private static func seek<P: TimedPoint>(_ a: [P], from start: Int, past x: Int64) -> Int {
        let start = min(max(start, 0), a.count)
        if start > 0 && a[start - 1].t > x { return firstIndex(a, in: 0..<start, past: x) }
        var i = start
        let limit = min(a.count, start + 8)
        while i < limit {
            if a[i].t > x { return i }
            i += 1
        }
        return firstIndex(a, in: i..<a.count, past: x)
    }

    /// Binary search for the first index in `r` whose point is after `x` (`r.upperBound` when none is).
    private static func firstIndex<P: TimedPoint>(_ a: [P], in r: Range<Int>, past x: Int64) -> Int {
        var lo = r.lowerBound, hi = r.upperBound
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if a[mid].t <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
