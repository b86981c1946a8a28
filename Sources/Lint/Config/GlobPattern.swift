/// A path glob for per-path overrides: `*` (any run within one path segment), `?` (one character),
/// `[abc]` / `[a-z]` / `[!a]` (a class), `**` (any number of whole segments). A pattern without `/`
/// matches the file name at any depth, as in `.gitignore`.
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let segments: [String]

    public init(_ pattern: String) {
        self.pattern = pattern
        var p = pattern
        while p.hasPrefix("./") { p.removeFirst(2) }
        if !p.contains("/") { p = "**/" + p }
        if p.hasPrefix("/") { p.removeFirst() }
        segments = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    public var description: String { pattern }

    /// Whether a `/`-separated relative path matches.
    public func matches(_ path: String) -> Bool {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        let parts = p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.count <= 256, parts.count <= 4096 else { return false }
        var budget = 100_000
        return Self.match(segments[...], parts[...], budget: &budget) == true
    }

    /// Segment-wise matching; `budget` bounds the backtracking a hostile pattern can cause.
    private static func match(_ pat: ArraySlice<String>, _ path: ArraySlice<String>, budget: inout Int) -> Bool? {
        budget -= 1
        guard budget > 0 else { return nil }
        guard let first = pat.first else { return path.isEmpty }
        if first == "**" {
            var rest = path
            while true {
                switch match(pat.dropFirst(), rest, budget: &budget) {
                case true?: return true
                case nil: return nil
                case false?: break
                }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let seg = path.first, matchSegment(Array(first.unicodeScalars), Array(seg.unicodeScalars)) else {
            return false
        }
        return match(pat.dropFirst(), path.dropFirst(), budget: &budget)
    }

    /// Matches one segment with `*`, `?` and classes (iterative, linear backtracking for `*`).
    static func matchSegment(_ p: [Unicode.Scalar], _ s: [Unicode.Scalar]) -> Bool {
        var pi = 0, si = 0
        var starP = -1, starS = 0
        while si < s.count {
            if pi < p.count, p[pi] == "*" {
                starP = pi
                starS = si
                pi += 1
                continue
            }
            if pi < p.count, let (ok, next) = single(p, pi, s[si]), ok {
                pi = next
                si += 1
                continue
            }
            if starP >= 0 {
                pi = starP + 1
                starS += 1
                si = starS
                continue
            }
            return false
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// Matches one pattern element at `i` against `c`; returns whether it matched and the next index.
    private static func single(_ p: [Unicode.Scalar], _ i: Int, _ c: Unicode.Scalar) -> (Bool, Int)? {
        switch p[i] {
        case "?": return (true, i + 1)
        case "[":
            var j = i + 1
            var negate = false
            if j < p.count, p[j] == "!" || p[j] == "^" {
                negate = true
                j += 1
            }
            var matched = false
            var first = true
            while j < p.count, p[j] != "]" || first {
                first = false
                if j + 2 < p.count, p[j + 1] == "-", p[j + 2] != "]" {
                    if p[j] <= c && c <= p[j + 2] { matched = true }
                    j += 3
                } else {
                    if p[j] == c { matched = true }
                    j += 1
                }
            }
            guard j < p.count else { return (p[i] == c, i + 1) }  // unterminated: literal `[`
            return (matched != negate, j + 1)
        case "\\":
            if i + 1 < p.count { return (p[i + 1] == c, i + 2) }
            return (c == "\\", i + 1)
        default:
            return (p[i] == c, i + 1)
        }
    }
}
