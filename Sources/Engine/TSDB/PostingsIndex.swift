#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inverted index: for each label (name, value) the sorted refs of the series carrying it.
struct PostingsIndex: Sendable {
    /// Every indexed ref, sorted.
    private(set) var all: [SeriesRef] = []
    /// name → value → refs, keyed byte-exactly (Swift `String` equality would merge canonically equivalent
    /// Unicode spellings, which Prometheus keeps apart).
    private var postings: [ExactString: [ExactString: [SeriesRef]]] = [:]
    /// Label values per name sorted by UTF-8 bytes, rebuilt lazily after a new value appears.
    private var sortedValuesCache: [ExactString: [String]] = [:]

    init() {}

    /// Indexes a series; refs must be added in increasing order.
    mutating func add(_ ref: SeriesRef, _ labels: Labels) {
        all.append(ref)
        for l in labels.labels where !l.value.isEmpty {
            let n = ExactString(l.name), v = ExactString(l.value)
            if postings[n]?[v] == nil { sortedValuesCache[n] = nil }
            postings[n, default: [:]][v, default: []].append(ref)
        }
    }

    /// Removes a series from every list it is in.
    mutating func remove(_ ref: SeriesRef, _ labels: Labels) {
        Self.removeRef(ref, from: &all)
        for l in labels.labels where !l.value.isEmpty {
            let n = ExactString(l.name), v = ExactString(l.value)
            guard var list = postings[n]?[v] else { continue }
            Self.removeRef(ref, from: &list)
            if list.isEmpty {
                postings[n]?[v] = nil
                if postings[n]?.isEmpty ?? false { postings[n] = nil }
                sortedValuesCache[n] = nil
            } else {
                postings[n]?[v] = list
            }
        }
    }

    private static func removeRef(_ ref: SeriesRef, from list: inout [SeriesRef]) {
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid] < ref { lo = mid + 1 } else { hi = mid }
        }
        if lo < list.count && list[lo] == ref { list.remove(at: lo) }
    }

    mutating func removeAll() {
        all = []
        postings = [:]
        sortedValuesCache = [:]
    }

    /// The refs for one (name, value) pair.
    func postings(_ name: String, _ value: String) -> [SeriesRef] { postings[ExactString(name)]?[ExactString(value)] ?? [] }

    /// All label names, sorted by bytes.
    func labelNames() -> [String] { postings.keys.map(\.string).sorted(by: tsdbUTF8Less) }

    /// All values of a label name, sorted by bytes.
    mutating func sortedValues(_ name: String) -> [String] {
        let n = ExactString(name)
        if let cached = sortedValuesCache[n] { return cached }
        let vals = (postings[n]?.keys).map { $0.map(\.string).sorted(by: tsdbUTF8Less) } ?? []
        sortedValuesCache[n] = vals
        return vals
    }

    /// Union of the postings of all values of `name` (series having the label at all).
    mutating func postingsForAllValues(_ name: String) -> [SeriesRef] {
        guard let byValue = postings[ExactString(name)] else { return [] }
        return Postings.union(Array(byValue.values))
    }

    /// Values `v` of `name` for which `matcher.matches(v) == wanted`, using the matcher's fast path when it has one.
    mutating func values(of name: String, where matcher: LabelMatcher, is wanted: Bool) -> [String] {
        let shape = MatcherShape(matcher)
        let negated = matcher.type == .notEqual || matcher.type == .regexNoMatch
        let target = wanted != negated  // what the shape itself must say
        switch shape {
        case .literals(let lits):
            if target {
                guard let byValue = postings[ExactString(name)] else { return [] }
                var seen = Set<ExactString>()
                return lits.filter { byValue[ExactString($0)] != nil && seen.insert(ExactString($0)).inserted }
            }
            let set = Set(lits.map(ExactString.init))
            return sortedValues(name).filter { !set.contains(ExactString($0)) }
        case .prefix(let p):
            let vals = sortedValues(name)
            if !target { return vals.filter { !$0.utf8.starts(with: p.utf8) } }
            var lo = 0, hi = vals.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if tsdbUTF8Less(vals[mid], p) { lo = mid + 1 } else { hi = mid }
            }
            var out: [String] = []
            while lo < vals.count && vals[lo].utf8.starts(with: p.utf8) {
                out.append(vals[lo])
                lo += 1
            }
            return out
        case .any, .nonEmpty:
            // Indexed values are never empty, so both shapes accept every one of them.
            return target ? sortedValues(name) : []
        case .general:
            return sortedValues(name).filter { matcher.matches($0) == wanted }
        }
    }

    /// Union of the postings of the values of `name` for which `matcher.matches(v) == wanted`.
    mutating func postings(for matcher: LabelMatcher, is wanted: Bool) -> [SeriesRef] {
        let vals = values(of: matcher.name, where: matcher, is: wanted)
        guard let byValue = postings[ExactString(matcher.name)] else { return [] }
        return Postings.union(vals.map { byValue[ExactString($0)] ?? [] })
    }

    /// Resolves matchers to sorted refs with the semantics of Prometheus's `PostingsForMatchers`: a matcher that
    /// accepts the empty string also selects series lacking the label; an empty matcher list selects nothing.
    mutating func resolve(_ matchers: [LabelMatcher]) -> [SeriesRef] {
        guard !matchers.isEmpty else { return [] }
        if matchers.count == 1 && matchers[0].name.isEmpty && matchers[0].value.isEmpty { return all }
        var matchesEmpty: [Bool] = []
        matchesEmpty.reserveCapacity(matchers.count)
        var mustBeSet = Set<String>()
        for m in matchers {
            let e = m.matchesEmpty
            matchesEmpty.append(e)
            if !e { mustBeSet.insert(m.name) }
        }
        func isNot(_ m: LabelMatcher) -> Bool { m.type == .notEqual || m.type == .regexNoMatch }
        var hasSubtracting = false, hasIntersecting = false
        for (i, m) in matchers.enumerated() {
            if !mustBeSet.contains(m.name) || (isNot(m) && matchesEmpty[i]) {
                hasSubtracting = true
            } else {
                hasIntersecting = true
            }
        }
        var its: [[SeriesRef]] = []
        var notIts: [[SeriesRef]] = []
        if hasSubtracting && !hasIntersecting { its.append(all) }
        for (i, m) in matchers.enumerated() {
            if m.type == .regexMatch && m.value == ".*" { continue }
            if m.type == .regexNoMatch && m.value == ".*" { return [] }
            if m.type == .regexMatch && m.value == ".+" {
                its.append(postingsForAllValues(m.name))
            } else if m.type == .regexNoMatch && m.value == ".+" {
                notIts.append(postingsForAllValues(m.name))
            } else if mustBeSet.contains(m.name) {
                if isNot(m) && matchesEmpty[i] {
                    notIts.append(postings(for: m, is: false))
                } else {
                    let p = postings(for: m, is: true)
                    if p.isEmpty { return [] }
                    its.append(p)
                }
            } else {
                notIts.append(postings(for: m, is: false))
            }
        }
        var result = Postings.intersect(its)
        for n in notIts where !result.isEmpty { result = Postings.subtract(result, n) }
        return result
    }
}

/// A string compared and hashed by its UTF-8 bytes, as Go compares strings.
struct ExactString: Hashable, Sendable {
    let string: String

    init(_ s: String) { string = s }

    static func == (a: ExactString, b: ExactString) -> Bool { tsdbUTF8Equal(a.string, b.string) }

    func hash(into h: inout Hasher) {
        var s = string
        s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Byte-wise (UTF-8) string equality.
func tsdbUTF8Equal(_ a: String, _ b: String) -> Bool {
    var x = a, y = b
    return x.withUTF8 { p in
        y.withUTF8 { q in
            guard p.count == q.count else { return false }
            guard let pa = p.baseAddress, let qa = q.baseAddress else { return true }  // both empty
            return memcmp(pa, qa, p.count) == 0
        }
    }
}

/// Byte-wise (UTF-8) three-way comparison, as Go compares strings.
func tsdbUTF8Compare(_ a: String, _ b: String) -> Int {
    var x = a, y = b
    return x.withUTF8 { p in
        y.withUTF8 { q in
            let n = min(p.count, q.count)
            if n > 0, let pa = p.baseAddress, let qa = q.baseAddress {
                let c = memcmp(pa, qa, n)
                if c != 0 { return c < 0 ? -1 : 1 }
            }
            return p.count == q.count ? 0 : (p.count < q.count ? -1 : 1)
        }
    }
}

/// Byte-wise (UTF-8) string ordering, as Go sorts strings.
func tsdbUTF8Less(_ a: String, _ b: String) -> Bool { tsdbUTF8Compare(a, b) < 0 }

/// Prometheus's `labels.Compare` ordering: label by label, name then value, byte-wise; a prefix sorts first.
func tsdbLabelsLess(_ a: Labels, _ b: Labels) -> Bool { tsdbLabelsCompare(a, b) < 0 }

/// `labels.Compare` as a three-way comparison (-1, 0, 1): 0 only for byte-wise equal label sets.
func tsdbLabelsCompare(_ a: Labels, _ b: Labels) -> Int {
    let x = a.labels, y = b.labels
    for i in 0..<min(x.count, y.count) {
        let n = tsdbUTF8Compare(x[i].name, y[i].name)
        if n != 0 { return n }
        let v = tsdbUTF8Compare(x[i].value, y[i].value)
        if v != 0 { return v }
    }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
}

/// What a matcher's value looks like, for index fast paths (for `!=`/`!~` the shape of the positive form).
enum MatcherShape: Equatable {
    /// Exactly these strings (`=`/`!=`, or a regex that is a plain alternation like `a|b|c`).
    case literals([String])
    /// Any string starting with the prefix (regex `prefix.*`).
    case prefix(String)
    /// `.*`: every string.
    case any
    /// `.+`: every non-empty string.
    case nonEmpty
    /// Anything else: evaluate the regex.
    case general

    init(_ m: LabelMatcher) {
        switch m.type {
        // A value that is not valid UTF-8 equals no label value (Go compares bytes; ours are valid strings).
        case .equal, .notEqual: self = .literals(m.invalidUTF8Bytes == nil ? [m.value] : [])
        case .regexMatch, .regexNoMatch: self = MatcherShape.analyse(m.value)
        }
    }

    private static let meta: Set<Unicode.Scalar> = ["\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"]

    static func analyse(_ re: String) -> MatcherShape {
        if re == ".*" { return .any }
        if re == ".+" { return .nonEmpty }
        let s = Array(re.unicodeScalars)
        var alts: [String] = []
        var cur = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "\\" {
                guard i + 1 < s.count else { return .general }
                let n = s[i + 1]
                let isAlnum = (n.value >= 0x30 && n.value <= 0x39) || (n.value >= 0x41 && n.value <= 0x5a) || (n.value >= 0x61 && n.value <= 0x7a)
                guard n.value >= 0x21, n.value <= 0x7e, !isAlnum, n != "_" else {
                    return .general
                }
                cur.append(n)
                i += 2
                continue
            }
            if c == "|" {
                alts.append(String(cur))
                cur = String.UnicodeScalarView()
            } else if meta.contains(c) {
                if c == ".", i + 2 == s.count, s[i + 1] == "*", alts.isEmpty { return .prefix(String(cur)) }
                return .general
            } else {
                cur.append(c)
            }
            i += 1
        }
        alts.append(String(cur))
        return .literals(alts)
    }
}
