/// Set operations on postings lists: strictly increasing arrays of series refs.
public enum Postings {
    /// Refs present in both lists (linear merge).
    public static func intersect(_ a: [SeriesRef], _ b: [SeriesRef]) -> [SeriesRef] {
        var out: [SeriesRef] = []
        out.reserveCapacity(min(a.count, b.count))
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let x = a[i], y = b[j]
            if x == y {
                out.append(x)
                i += 1
                j += 1
            } else if x < y {
                i += 1
            } else {
                j += 1
            }
        }
        return out
    }

    /// Intersection of all lists (empty input gives an empty result, as Prometheus's `Intersect()`).
    public static func intersect(_ lists: [[SeriesRef]]) -> [SeriesRef] {
        guard !lists.isEmpty else { return [] }
        let sorted = lists.sorted { $0.count < $1.count }
        var acc = sorted[0]
        for l in sorted.dropFirst() {
            if acc.isEmpty { break }
            acc = intersect(acc, l)
        }
        return acc
    }

    /// Refs present in either list (linear merge, duplicates collapsed).
    public static func union(_ a: [SeriesRef], _ b: [SeriesRef]) -> [SeriesRef] {
        var out: [SeriesRef] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let x = a[i], y = b[j]
            if x == y {
                out.append(x)
                i += 1
                j += 1
            } else if x < y {
                out.append(x)
                i += 1
            } else {
                out.append(y)
                j += 1
            }
        }
        if i < a.count { out.append(contentsOf: a[i...]) }
        if j < b.count { out.append(contentsOf: b[j...]) }
        return out
    }

    /// Union of all lists; merges pairwise in a balanced tree (O(n log k)).
    public static func union(_ lists: [[SeriesRef]]) -> [SeriesRef] {
        var level = lists.filter { !$0.isEmpty }
        guard !level.isEmpty else { return [] }
        while level.count > 1 {
            var next: [[SeriesRef]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var k = 0
            while k + 1 < level.count {
                next.append(union(level[k], level[k + 1]))
                k += 2
            }
            if k < level.count { next.append(level[k]) }
            level = next
        }
        return level[0]
    }

    /// Refs of `a` not in `b` (linear merge).
    public static func subtract(_ a: [SeriesRef], _ b: [SeriesRef]) -> [SeriesRef] {
        guard !b.isEmpty else { return a }
        var out: [SeriesRef] = []
        out.reserveCapacity(a.count)
        var i = 0, j = 0
        while i < a.count {
            let x = a[i]
            while j < b.count && b[j] < x { j += 1 }
            if j < b.count && b[j] == x {
                j += 1
            } else {
                out.append(x)
            }
            i += 1
        }
        return out
    }
}
