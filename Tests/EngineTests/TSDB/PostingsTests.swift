import Testing
import TestSupport
@testable import Engine
import TestSupport

@Suite struct PostingsTests {
    func randomList(_ rng: inout TestRNG, max: UInt64) -> [SeriesRef] {
        let n = Int.random(in: 0...40, using: &rng)
        return Array(Set((0..<n).map { _ in UInt64.random(in: 1...max, using: &rng) })).sorted()
    }

    @Test func fixedCases() {
        #expect(Postings.intersect([1, 3, 5, 7], [2, 3, 4, 7, 9]) == [3, 7])
        #expect(Postings.union([1, 3, 5], [2, 3, 6]) == [1, 2, 3, 5, 6])
        #expect(Postings.subtract([1, 2, 3, 4, 5], [2, 4, 6]) == [1, 3, 5])
        #expect(Postings.intersect([]).isEmpty)
        #expect(Postings.union([]).isEmpty)
        #expect(Postings.intersect([[1, 2, 3]]) == [1, 2, 3])
        #expect(Postings.union([[5], [1], [3], [1, 5]]) == [1, 3, 5])
        #expect(Postings.subtract([], [1]).isEmpty)
        #expect(Postings.subtract([1], []) == [1])
    }

    @Test(arguments: 1...20)
    func randomAgainstSets(seed: UInt64) {
        var rng = TestRNG(seed: seed)
        let lists = (0..<Int.random(in: 1...6, using: &rng)).map { _ in randomList(&rng, max: 60) }
        let a = lists[0], b = lists.count > 1 ? lists[1] : []
        #expect(Postings.intersect(a, b) == Set(a).intersection(b).sorted())
        #expect(Postings.union(a, b) == Set(a).union(b).sorted())
        #expect(Postings.subtract(a, b) == Set(a).subtracting(b).sorted())
        let all = lists.reduce(Set(lists[0])) { $0.intersection($1) }
        #expect(Postings.intersect(lists) == all.sorted())
        #expect(Postings.union(lists) == Set(lists.joined()).sorted())
    }
}

@Suite struct MatcherShapeTests {
    @Test func shapes() {
        #expect(MatcherShape.analyse("a|b|c") == .literals(["a", "b", "c"]))
        #expect(MatcherShape.analyse("foo") == .literals(["foo"]))
        #expect(MatcherShape.analyse("a\\.b|") == .literals(["a.b", ""]))
        #expect(MatcherShape.analyse("foo.*") == .prefix("foo"))
        #expect(MatcherShape.analyse("f\\*o.*") == .prefix("f*o"))
        #expect(MatcherShape.analyse(".*") == .any)
        #expect(MatcherShape.analyse(".+") == .nonEmpty)
        #expect(MatcherShape.analyse("a|foo.*") == .general)
        #expect(MatcherShape.analyse("foo.*bar") == .general)
        #expect(MatcherShape.analyse("(?i)foo") == .general)
        #expect(MatcherShape.analyse("a\\d") == .general)
        #expect(MatcherShape.analyse("fo+") == .general)
        #expect(MatcherShape.analyse("") == .literals([""]))
    }
}

/// Resolution against a brute-force reference: a series is selected iff every matcher accepts its value for the
/// matcher's name (the empty string when the label is absent), which is what Prometheus's algorithm computes.
@Suite struct MatcherResolutionTests {
    static let names = ["__name__", "job", "instance", "env", "le"]
    static let values = ["", "a", "b", "ab", "abc", "foo", "foobar", "foo.bar", "bar", "x|y", "x", "y", "ä", "a\nb", "0.5", "+Inf"]

    func randomLabels(_ rng: inout TestRNG) -> Labels {
        var pairs: [(String, String)] = []
        for n in Self.names where Int.random(in: 0..<3, using: &rng) > 0 {
            pairs.append((n, Self.values[Int.random(in: 0..<Self.values.count, using: &rng)]))
        }
        let l = Labels(pairs)
        return l.isEmpty ? Labels([("job", "a")]) : l
    }

    static let regexes = [
        ".*", ".+", "a|b", "a|b|", "foo.*", "foo.+", "f.*", "a.*", "x\\|y", "x|y", "foo\\.bar", "(?i)FOO.*",
        "", "a", "[ab]+", "ab?c?", "ä|b", "a.b", "\\+Inf", "0\\.5|foo", ".*bar", "foo.*|bar", "a\\nb|a.b",
    ]

    func randomMatcher(_ rng: inout TestRNG) throws -> LabelMatcher {
        let name = Int.random(in: 0..<8, using: &rng) == 0 ? "missing" : Self.names[Int.random(in: 0..<Self.names.count, using: &rng)]
        let type = [LabelMatcher.MatchType.equal, .notEqual, .regexMatch, .regexNoMatch][Int.random(in: 0..<4, using: &rng)]
        let value: String
        switch type {
        case .equal, .notEqual: value = Self.values[Int.random(in: 0..<Self.values.count, using: &rng)]
        case .regexMatch, .regexNoMatch: value = Self.regexes[Int.random(in: 0..<Self.regexes.count, using: &rng)]
        }
        return try LabelMatcher(type, name, value)
    }

    @Test(arguments: 1...12)
    func bruteForce(seed: UInt64) throws {
        var rng = TestRNG(seed: seed)
        let head = Head()
        var all: [(SeriesRef, Labels)] = []
        for _ in 0..<300 {
            let l = randomLabels(&rng)
            let ref = try head.append(l, t: 0, v: 1)
            if !all.contains(where: { $0.0 == ref }) { all.append((ref, l)) }
        }
        for _ in 0..<150 {
            let ms = try (0..<Int.random(in: 1...3, using: &rng)).map { _ in try randomMatcher(&rng) }
            let expected = all.filter { _, l in ms.allSatisfy { $0.matches(l[$0.name] ?? "") } }.map(\.0).sorted()
            let got = head.postings(ms)
            #expect(got == expected, "\(ms)")
            let sel = head.select(ms, mint: 0, maxt: 0).map(\.ref).sorted()
            #expect(sel == expected, "select \(ms)")
            // Label values with matchers: values of `job` among the matched series.
            let jobs = Set(all.filter { expected.contains($0.0) }.compactMap { $0.1["job"] }).sorted(by: tsdbUTF8Less)
            #expect(head.labelValues("job", matchers: ms) == jobs, "labelValues \(ms)")
            let names = Set(all.filter { expected.contains($0.0) }.flatMap { $0.1.labels.map(\.name) }).sorted(by: tsdbUTF8Less)
            #expect(head.labelNames(matchers: ms) == names, "labelNames \(ms)")
        }
    }

    @Test func specialCases() throws {
        let head = Head()
        try head.append(tsdbLabels(("a", "1")), t: 0, v: 1)
        try head.append(tsdbLabels(("b", "1")), t: 0, v: 1)
        #expect(head.postings([]).isEmpty)
        #expect(head.postings([try LabelMatcher(.equal, "", "")]).count == 2)
        #expect(head.postings([try LabelMatcher(.regexNoMatch, "a", ".*")]).isEmpty)
        #expect(head.postings([try LabelMatcher(.regexMatch, "a", ".*")]).count == 2)
        #expect(head.postings([try LabelMatcher(.equal, "a", "")]) == [2])
        #expect(head.postings([try LabelMatcher(.notEqual, "a", "")]) == [1])
    }

    /// A matcher value with invalid UTF-8 (PromQL `{a="\xcd"}`) equals no stored value, not even U+FFFD.
    @Test func invalidUTF8ValuesMatchNothing() throws {
        let head = Head()
        try head.append(tsdbLabels(("a", "\u{FFFD}")), t: 0, v: 1)
        try head.append(tsdbLabels(("a", "x")), t: 0, v: 1)
        let eq = try LabelMatcher(.equal, "a", "\u{FFFD}", invalidUTF8Bytes: [0xcd])
        let ne = try LabelMatcher(.notEqual, "a", "\u{FFFD}", invalidUTF8Bytes: [0xcd])
        #expect(head.postings([eq]).isEmpty)
        #expect(head.postings([ne]).count == 2)
        #expect(head.postings([try LabelMatcher(.equal, "a", "\u{FFFD}")]).count == 1)
    }
}

@Suite struct OrderingTests {
    @Test func byteWiseOrdering() {
        #expect(tsdbUTF8Less("B", "a"))
        #expect(tsdbUTF8Less("a", "ab"))
        #expect(!tsdbUTF8Less("ab", "ab"))
        #expect(tsdbUTF8Less("z", "\u{E9}"))
        #expect(tsdbUTF8Less("e\u{301}", "\u{E9}"))  // 0x65… < 0xC3…, though Swift deems them equal
        #expect(tsdbUTF8Compare("", "") == 0 && tsdbUTF8Compare("", "a") == -1 && tsdbUTF8Compare("b", "a") == 1)
        #expect(tsdbLabelsLess(Labels([("a", "1")]), Labels([("a", "1"), ("b", "1")])))
        #expect(tsdbLabelsLess(Labels([("a", "2")]), Labels([("b", "1")])))
        #expect(!tsdbLabelsLess(Labels([("a", "1")]), Labels([("a", "1")])))
    }
}
