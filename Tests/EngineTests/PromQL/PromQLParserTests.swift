import Testing
@testable import Engine

@Suite struct PromQLParserTests {
    private func parse(_ s: String, _ o: ParserOptions = .allEnabled) throws -> Expr {
        try PromQLParser.parse(s, options: o)
    }

    @Test func numberLiterals() throws {
        let cases: [(String, Double, PositionRange)] = [
            ("1", 1, .init(start: 0, end: 1)), ("+Inf", .infinity, .init(start: 0, end: 4)),
            ("-Inf", -.infinity, .init(start: 0, end: 4)), (".5", 0.5, .init(start: 0, end: 2)),
            ("5.", 5, .init(start: 0, end: 2)), ("123.4567", 123.4567, .init(start: 0, end: 8)),
            ("5e-3", 0.005, .init(start: 0, end: 4)), ("5e3", 5000, .init(start: 0, end: 3)),
            ("0xc", 12, .init(start: 0, end: 3)), ("0755", 493, .init(start: 0, end: 4)),
            ("+5.5e-3", 0.0055, .init(start: 0, end: 7)), ("-0755", -493, .init(start: 0, end: 5)),
            ("1_000_000", 1_000_000, .init(start: 0, end: 9)), ("0x_1F", 31, .init(start: 0, end: 5)),
            ("1h30m", 5400, .init(start: 0, end: 5)), ("54s321ms", 54.321, .init(start: 0, end: 8)),
        ]
        for (s, v, pos) in cases {
            let n = try #require(parse(s).numberLiteral, "\(s) is not a number literal")
            #expect(n.value == v, "\(s)")
            #expect(n.position == pos, "\(s)")
        }
        let nan = try #require(parse("NaN").numberLiteral)
        #expect(nan.value.isNaN)
    }

    @Test func precedenceAndAssociativity() throws {
        let cases: [(String, String)] = [
            ("1 + 2 * 3", "1 + (2 * 3)"), ("1 * 2 + 3", "(1 * 2) + 3"), ("2 ^ 3 ^ 2", "2 ^ (3 ^ 2)"),
            ("a - b - c", "(a - b) - c"), ("-a ^ b", "-(a ^ b)"), ("-a * b", "(-a) * b"),
            ("a or b and c unless d", "a or ((b and c) unless d)"), ("a == b + c", "a == (b + c)"),
            ("a atan2 b * c", "(a atan2 b) * c"), ("a + b offset 5m", "a + (b offset 5m)"),
            ("a > b or c < d", "(a > b) or (c < d)"), ("a </ 2 + 1", "a </ (2 + 1)"),
        ]
        for (input, grouped) in cases {
            #expect(try parse(input).description == parse(grouped).description.replacingParens(), "\(input)")
        }
        // Structure checks.
        let rhs = try #require(parse("2 ^ 3 ^ 2").binary?.rhs.binary, "^ is not right-associative")
        #expect(rhs.op == .pow)
        let inner = try #require(parse("-1^2").unary?.expr.binary, "-1^2 is not -(1^2)")
        #expect(inner.op == .pow)
        let l = try #require(parse("-1*2").binary?.lhs.numberLiteral, "-1*2")
        #expect(l.value == -1 && l.position == PositionRange(start: 0, end: 2))
    }

    @Test func selectorsAndMatchers() throws {
        let vs = try #require(parse(#"foo{a="b", foo!="bar", test=~"test", bar!~"baz"}"#).vectorSelector)
        #expect(vs.name == "foo")
        #expect(vs.matchers.map(\.description) == [#"a="b""#, #"foo!="bar""#, #"test=~"test""#, #"bar!~"baz""#, #"__name__="foo""#])
        #expect(vs.position == PositionRange(start: 0, end: 48))
        #expect(vs.matchers[2].matches("test") && !vs.matchers[2].matches("xtest"))
        let q = try #require(parse(#"{'foo\'bar', 'a\\dos\\path'='boo\\urns'}"#).vectorSelector)
        #expect(q.name == "")
        #expect(q.matchers.map(\.name) == ["__name__", #"a\dos\path"#])
        #expect(q.matchers.map(\.value) == ["foo'bar", #"boo\urns"#])
        let o = try #require(parse("foo offset -7m @ 1603774568").vectorSelector)
        #expect(o.offsetMillis == -420_000)
        #expect(o.timestampMillis == 1_603_774_568_000)
        #expect(o.position == PositionRange(start: 0, end: 27))
        let r = try #require(parse("foo @ 3.3335").vectorSelector)
        #expect(r.timestampMillis == 3334)
    }

    @Test func rangesSubqueriesAndModifiers() throws {
        let m = try #require(parse(#"test{a="b"}[5y] OFFSET 3d"#).matrixSelector)
        #expect(m.rangeMillis == 5 * 365 * 86_400_000)
        #expect((m.selector?.offsetMillis ?? 0) == Int64(3 * 86_400_000))
        #expect(m.endPos == 25)
        let s = try #require(parse(#"min_over_time(rate(foo{bar="baz"}[2s])[5m:] offset 4m)[4m:3s]"#).subquery)
        #expect(s.rangeMillis == 240_000 && s.stepMillis == 3000 && s.endPos == 61)
        let c = try #require(s.expr.call)
        let inner = try #require(c.args.first?.subquery)
        #expect(inner.modifiers.offsetMillis == 240_000 && inner.stepMillis == 0 && inner.endPos == 53)
        #expect(c.position == PositionRange(start: 0, end: 54))
        let sel = try #require(parse("foo[5m] anchored").matrixSelector?.selector)
        #expect(sel.anchored && !sel.smoothed)
        let st = try #require(parse("foo @ start()").vectorSelector)
        #expect(st.modifiers.startOrEnd == .start)
    }

    @Test func durationExpressions() throws {
        let m = try #require(parse("foo[11s+10s-5*2^2]").matrixSelector)
        let d = try #require(m.rangeExpr)
        #expect(m.rangeMillis == 0)
        #expect(try d.seconds(step: 0, range: 0) == 1)
        #expect(d.description == "11s + 10s - 5 * 2 ^ 2")
        let cases: [(String, Double, Double)] = [
            ("foo[26m+4m]", 1800, 0), ("foo[1h30m % 1h]", 1800, 0), ("foo[30m1s-30m1s % 1m]", 1800, 0),
            ("foo[-5m+35m]", 1800, 0), ("foo[2m*(10+5)]", 1800, 0), ("foo[24m+((1.5*2m)+2m)]", 1740, 0),
            ("foo[step()+1]", 6, 5), ("foo[max_of(min_of(step()+1,1h),1ms)]", 6, 5), ("foo[range()]", 60, 5),
        ]
        for (s, want, step) in cases {
            let e = try #require(parse(s).matrixSelector?.rangeExpr, "\(s) has no range expression")
            #expect(try e.seconds(step: step, range: 60) == want, "\(s)")
            #expect(try e.milliseconds(step: step, range: 60, allowNegative: false) == Int64(want * 1000), "\(s)")
        }
        let oe = try #require(parse("metric1_total offset -(min_of(step(), 2s)-5)").vectorSelector?.modifiers.offsetExpr)
        #expect(try oe.seconds(step: 5, range: 0) == 3)
        let ze = try #require(parse("foo[step()-1m]").matrixSelector?.rangeExpr)
        #expect(throws: DurationExprError(message: "duration must be greater than 0")) {
            try ze.milliseconds(step: 10, range: 0, allowNegative: false)
        }
        // Offsets without parentheses take only the first term.
        let b = try #require(parse("metric1_total offset 2 ^ 2").binary)
        let l = try #require(b.lhs.vectorSelector, "offset 2 ^ 2")
        #expect(l.offsetMillis == 2000 && b.op == .pow)
    }

    @Test func aggregationsCallsAndTypes() throws {
        let a = try #require(parse("sum (some_metric) without (foo)").aggregate)
        #expect(a.op == .sum && a.without && a.grouping == ["foo"] && a.position == PositionRange(start: 0, end: 31))
        let p = try #require(parse(#"count_values("value", some_metric)"#).aggregate?.param?.stringLiteral)
        #expect(p.value == "value" && p.position == PositionRange(start: 13, end: 20))
        let k = try #require(parse("sum without(and, by, avg, count, alert, annotations)(some_metric)").aggregate)
        #expect(k.grouping == ["and", "by", "avg", "count", "alert", "annotations"])
        #expect(try parse("rate(foo[5m])").type == .vector)
        #expect(try parse("scalar(foo)").type == .scalar)
        #expect(try parse("1 + 2").type == .scalar)
        #expect(try parse("foo[5m]").type == .matrix)
        #expect(try parse("foo[5m:]").type == .matrix)
        #expect(try parse(#""x""#).type == .string)
        #expect(try parse("(1)").type == .scalar)
        let b = try #require(parse("foo and on(a) bar").binary)
        #expect(b.matching?.card == .manyToMany && b.matching?.on == true && b.matching?.matchingLabels == ["a"])
        let s = try #require(parse("foo + 1").binary)
        #expect(s.matching == nil)
        let g = try #require(parse("a * on(x) group_right(y, z) b").binary)
        #expect(g.matching?.card == .oneToMany && g.matching?.include == ["y", "z"])
        let f = try #require(parse("a + fill_left(1) fill_right(2) b").binary)
        #expect(f.matching?.fill == FillValues(lhs: 1, rhs: 2))
        let info = try #require(parse(#"info(foo, {a="b"})"#).call)
        try #require(info.args.count == 2)
        let iv = try #require(info.args[1].vectorSelector)
        #expect(iv.bypassEmptyMatcherCheck)
        #expect(PromQLFunction.named("rate")?.argTypes == [.matrix])
        #expect(PromQLFunction.named("histogram_quantiles")?.experimental == true)
        #expect(PromQLFunction.named("holt_winters") == nil)
    }

    @Test func walkingTheTree() throws {
        let e = try parse(#"sum by (job) (rate(a[5m])) / on(job) group_left count(b{c="d"} > 1)"#)
        var selectors: [String] = []
        e.walk { node in
            if case .vectorSelector(let vs) = node { selectors.append(vs.name) }
            return true
        }
        #expect(selectors == ["a", "b"])
        #expect(e.children.count == 2)
        #expect(e.vectorSelectors.map { $0.matchers.map(\.description) } == [[#"__name__="a""#], [#"c="d""#, #"__name__="b""#]])
        var visited = 0
        e.walk { _ in
            visited += 1
            return false
        }
        #expect(visited == 1)
    }

    @Test func optionsFromFeatureFlags() {
        let o = ParserOptions(enableFeatures: ["promql-experimental-functions", "promql-duration-expr", "exemplar-storage"])
        #expect(o.experimentalFunctions && o.durationExpressions && !o.extendedRangeSelectors && !o.binopFillModifiers)
        let all = ParserOptions(enableFeatures: ["promql-extended-range-selectors", "promql-binop-fill-modifiers",
                                                 "promql-experimental-functions", "promql-duration-expr"])
        #expect(all == ParserOptions.allEnabled)
    }

    @Test func commentsAndWhitespace() throws {
        #expect(try parse("# leading\nfoo # trailing\n+ # more\n bar").description == "foo + bar")
        #expect(try parse("foo{# inside\na=\"b\"}").description == #"foo{a="b"}"#)
    }
}

extension String {
    /// Removes the grouping parentheses used in the precedence table's expectations.
    func replacingParens() -> String { String(filter { $0 != "(" && $0 != ")" }) }
}
