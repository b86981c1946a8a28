import Testing
@testable import Engine

/// Canonical printing (Prometheus's `String()`), from upstream printer_test.go (3.x), with duration
/// `min`/`max` spelled `min_of`/`max_of` as in 3.14.
let printerCases: [(input: String, output: String)] = [
    (#"sum by() (task:errors:rate10s{job="s"})"#, #"sum(task:errors:rate10s{job="s"})"#),
    (#"sum by(code) (task:errors:rate10s{job="s"})"#, #"sum by (code) (task:errors:rate10s{job="s"})"#),
    (#"sum without() (task:errors:rate10s{job="s"})"#, #"sum without () (task:errors:rate10s{job="s"})"#),
    (#"sum without(instance) (task:errors:rate10s{job="s"})"#, #"sum without (instance) (task:errors:rate10s{job="s"})"#),
    (#"sum by("foo.bar") (task:errors:rate10s{job="s"})"#, #"sum by ("foo.bar") (task:errors:rate10s{job="s"})"#),
    (#"sum without("foo.bar") (task:errors:rate10s{job="s"})"#, #"sum without ("foo.bar") (task:errors:rate10s{job="s"})"#),
    (#"topk(5, task:errors:rate10s{job="s"})"#, #"topk(5, task:errors:rate10s{job="s"})"#),
    (#"count_values("value", task:errors:rate10s{job="s"})"#, #"count_values("value", task:errors:rate10s{job="s"})"#),
    ("a - on() c", "a - on () c"),
    ("a - on(b) c", "a - on (b) c"),
    ("a - on(b) group_left(x) c", "a - on (b) group_left (x) c"),
    ("a - on(b) group_left(x, y) c", "a - on (b) group_left (x, y) c"),
    ("a - on(b) group_left c", "a - on (b) group_left () c"),
    ("a - on(b) group_left() (c)", "a - on (b) group_left () (c)"),
    ("a - ignoring(b) c", "a - ignoring (b) c"),
    ("a - ignoring() c", "a - c"),
    ("a - ignoring() group_left(__metric__) c", "a - ignoring () group_left (__metric__) c"),
    ("a - ignoring() group_left c", "a - ignoring () group_left () c"),
    ("a + fill(-23) b", "a + fill (-23) b"),
    ("a + fill_left(-23) b", "a + fill_left (-23) b"),
    ("a + fill_right(42) b", "a + fill_right (42) b"),
    ("a + fill_left(-23) fill_right(42) b", "a + fill_left (-23) fill_right (42) b"),
    ("a + on(b) group_left fill(-23) c", "a + on (b) group_left () fill (-23) c"),
    ("up > bool 0", "up > bool 0"),
    ("a offset 1m", "a offset 1m"),
    ("a offset -7m", "a offset -7m"),
    (#"a{c="d"}[5m] offset 1m"#, #"a{c="d"}[5m] offset 1m"#),
    ("a[5m] offset 1m", "a[5m] offset 1m"),
    ("a[12m] offset -3m", "a[12m] offset -3m"),
    ("a[1h:5m] offset 1m", "a[1h:5m] offset 1m"),
    ("a anchored", "a anchored"),
    ("a[5m] anchored", "a[5m] anchored"),
    (#"a{b="c"}[5m] anchored"#, #"a{b="c"}[5m] anchored"#),
    (#"a{b="c"}[5m] anchored offset 1m"#, #"a{b="c"}[5m] anchored offset 1m"#),
    (#"a{b="c"}[5m] anchored @ start() offset 1m"#, #"a{b="c"}[5m] anchored @ start() offset 1m"#),
    ("a smoothed", "a smoothed"),
    ("a[5m] smoothed", "a[5m] smoothed"),
    (#"a{b="c"}[5m] smoothed offset 1m"#, #"a{b="c"}[5m] smoothed offset 1m"#),
    (#"a{b="c"}[5m] smoothed @ start() offset 1m"#, #"a{b="c"}[5m] smoothed @ start() offset 1m"#),
    (#"{__name__="a"}"#, #"{__name__="a"}"#),
    (#"a{b!="c"}[1m]"#, #"a{b!="c"}[1m]"#),
    (#"a{b=~"c"}[1m]"#, #"a{b=~"c"}[1m]"#),
    (#"a{b!~"c"}[1m]"#, #"a{b!~"c"}[1m]"#),
    ("a @ 10", "a @ 10.000"),
    ("a[1m] @ 10", "a[1m] @ 10.000"),
    ("a @ start()", "a @ start()"),
    ("a @ end()", "a @ end()"),
    ("a[1m] @ start()", "a[1m] @ start()"),
    ("a[1m] @ end()", "a[1m] @ end()"),
    (#"{__name__="",a="x"}"#, #"{__name__="",a="x"}"#),
    (#"{"a.b"="c"}"#, #"{"a.b"="c"}"#),
    (#"{"0"="1"}"#, #"{"0"="1"}"#),
    (#"{"_0"="1"}"#, #"{_0="1"}"#),
    (#"{""="0"}"#, #"{""="0"}"#),
    ("{``=\"0\"}", #"{""="0"}"#),
    ("1048576", "1048576"),
    ("foo[step()]", "foo[step()]"),
    ("foo[-step()]", "foo[-step()]"),
    ("foo[(step())]", "foo[(step())]"),
    ("foo[-(step())]", "foo[-(step())]"),
    ("foo offset step()", "foo offset step()"),
    ("foo offset -step()", "foo offset -step()"),
    ("foo offset (step())", "foo offset (step())"),
    ("foo offset -(step())", "foo offset -(step())"),
    ("foo offset +(5*2)", "foo offset (5 * 2)"),
    ("foo offset +min_of(10s, 20s)", "foo offset min_of(10s, 20s)"),
    ("foo offset -min_of(10s, 20s)", "foo offset -min_of(10s, 20s)"),
    ("foo offset -min_of(10s, +max_of(step() ^ 2, 2))", "foo offset -min_of(10s, max_of(step() ^ 2, 2))"),
    ("foo[200-min_of(-step()^+step(),1)]", "foo[200 - min_of(-step() ^ step(), 1)]"),
    ("foo[200 - min_of(step() + 10s, -max_of(step() ^ 2, 3))]", "foo[200 - min_of(step() + 10s, -max_of(step() ^ 2, 3))]"),
    ("foo[range()]", "foo[range()]"),
    ("foo[-range()]", "foo[-range()]"),
    ("foo offset range()", "foo offset range()"),
    ("foo offset -range()", "foo offset -range()"),
    ("foo[max_of(range(), 5s)]", "foo[max_of(range(), 5s)]"),
    ("predict_linear(foo[1h], 3000)", "predict_linear(foo[1h], 3000)"),
    (#"sum by("üüü") (foo)"#, #"sum by ("üüü") (foo)"#),
    (#"sum without("äää") (foo)"#, #"sum without ("äää") (foo)"#),
    (#"count by("ööö", job) (foo)"#, #"count by ("ööö", job) (foo)"#),
    (#"foo / on("äää") bar"#, #"foo / on ("äää") bar"#),
    (#"foo / ignoring("üüü") bar"#, #"foo / ignoring ("üüü") bar"#),
    (#"foo / on("äää") group_left("ööö") bar"#, #"foo / on ("äää") group_left ("ööö") bar"#),
    (#"foo / on("äää") group_right("ööö") bar"#, #"foo / on ("äää") group_right ("ööö") bar"#),
    (#"foo / on(legacy, "üüü") bar"#, #"foo / on (legacy, "üüü") bar"#),
    ("foo / on(job, instance) bar", "foo / on (job, instance) bar"),
    // Further canonical forms.
    (#"sum by (pod) ((kube_pod_container_status_restarts_total{namespace="mynamespace",cluster="mycluster"} - kube_pod_container_status_restarts_total{namespace="mynamespace}",cluster="mycluster}"} offset 10m) >= 1 and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{namespace="mynamespace",cluster="mycluster",reason="OOMKilled"}[10m]) == 1)"#,
     #"sum by (pod) ((kube_pod_container_status_restarts_total{cluster="mycluster",namespace="mynamespace"} - kube_pod_container_status_restarts_total{cluster="mycluster}",namespace="mynamespace}"} offset 10m) >= 1 and ignoring (reason) min_over_time(kube_pod_container_status_last_terminated_reason{cluster="mycluster",namespace="mynamespace",reason="OOMKilled"}[10m]) == 1)"#),
    ("foo[1800]", "foo[30m]"),
    ("foo[90m]", "foo[1h30m]"),
    ("foo[14d]", "foo[2w]"),
    ("foo[15d]", "foo[15d]"),
    ("foo[365d]", "foo[1y]"),
    ("foo[1.5]", "foo[1s500ms]"),
    ("foo offset 1h30m", "foo offset 1h30m"),
    ("foo offset 3600", "foo offset 1h"),
    ("foo offset -2^2", "foo offset -2s ^ 2"),
    ("5m", "5m"),
    ("-5m", "-5m"),
    ("1e3", "1000"),
    ("1e21", "1000000000000000000000"),
    ("1e-7", "0.0000001"),
    ("0x1F", "31"),
    ("0755", "493"),
    ("1_000", "1000"),
    ("Inf", "+Inf"),
    ("-inf", "-Inf"),
    ("NaN", "NaN"),
    (".5", "0.5"),
    ("5.", "5"),
    ("-1^2", "-1 ^ 2"),
    ("- -1", "1"),
    ("-(1)", "-(1)"),
    ("2 ^ 3 ^ 2", "2 ^ 3 ^ 2"),
    (#""a\nb""#, #""a\nb""#),
    ("'it\\'s'", #""it's""#),
    (#"`raw\n`"#, #""raw\\n""#),
    (#"foo @ 1603774568.123"#, "foo @ 1603774568.123"),
    ("foo @ -100", "foo @ -100.000"),
    ("foo[5m:] @ end() offset 1m", "foo[5m:] @ end() offset 1m"),
    ("foo[4s+4s:1s*2] offset (5s-8)", "foo[4s + 4s:1s * 2] offset (5s - 8)"),
    ("foo offset 5s-8", "foo offset 5s - 8"),
    ("h </ 2", "h </ 2"),
    ("h >/ on(a) b", "h >/ on (a) b"),
    (#"label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")"#,
     #"label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")"#),
    (#"{"my.metric", "a.b"="c"}"#, #"{"a.b"="c",__name__="my.metric"}"#),
]

@Suite struct PromQLPrinterTests {
    @Test func canonicalForms() throws {
        for c in printerCases {
            let e = try PromQLParser.parse(c.input, options: .allEnabled)
            #expect(e.description == c.output, "\(c.input)")
            let again = try PromQLParser.parse(e.description, options: .allEnabled)
            #expect(again.description == c.output, "reparse of \(c.input)")
        }
    }

    @Test func prettyAggregations() throws {
        let cases: [(String, String)] = [
            ("sum(foo)", "sum(foo)"),
            (#"sum by() (task:errors:rate10s{job="s"})"#, "sum(\n  task:errors:rate10s{job=\"s\"}\n)"),
            (#"sum without(job,foo) (task:errors:rate10s{job="s"})"#, "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"),
            (#"sum(task:errors:rate10s{job="s"}) without(job,foo)"#, "sum without (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"),
            (#"sum by(job,foo) (task:errors:rate10s{job="s"})"#, "sum by (job, foo) (\n  task:errors:rate10s{job=\"s\"}\n)"),
            (#"topk(10, ask:errors:rate10s{job="s"})"#, "topk(\n  10,\n  ask:errors:rate10s{job=\"s\"}\n)"),
            (#"sum by(job,foo) (sum by(job,foo) (task:errors:rate10s{job="s"}))"#,
             "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"),
            ("sum by(job,foo) # Comment 1.\n(sum by(job,foo) ( # Comment 2.\ntask:errors:rate10s{job=\"s\"}))",
             "sum by (job, foo) (\n  sum by (job, foo) (\n    task:errors:rate10s{job=\"s\"}\n  )\n)"),
        ]
        try check(cases)
    }

    @Test func prettyBinaryExpressions() throws {
        let cases: [(String, String)] = [
            ("a+b", "a + b"),
            ("a == bool 1", "  a\n== bool\n  1"),
            ("a + ignoring(job) b", "  a\n+ ignoring (job)\n  b"),
            ("foo_1 + foo_2", "  foo_1\n+\n  foo_2"),
            ("foo_1 + foo_2 + foo_3", "    foo_1\n  +\n    foo_2\n+\n  foo_3"),
            ("foo + baar + foo_3", "  foo + baar\n+\n  foo_3"),
            ("foo_1 + foo_2 + foo_3 + foo_4", "      foo_1\n    +\n      foo_2\n  +\n    foo_3\n+\n  foo_4"),
            ("foo_1 + ignoring(foo) foo_2 + ignoring(job) group_left foo_3 + on(instance) group_right foo_4",
             "      foo_1\n    + ignoring (foo)\n      foo_2\n  + ignoring (job) group_left ()\n    foo_3\n+ on (instance) group_right ()\n  foo_4"),
        ]
        try check(cases)
    }

    @Test func prettyCallsParensAndUnary() throws {
        let cases: [(String, String)] = [
            ("rate(foo[1m])", "rate(\n  foo[1m]\n)"),
            ("rate(long_vector_selector[10m:1m] @ start() offset 1m)", "rate(\n  long_vector_selector[10m:1m] @ start() offset 1m\n)"),
            ("histogram_quantile(0.9, rate(foo[1m]))", "histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"),
            ("max_over_time(rate(demo_api_request_duration_seconds_count[1m])[1m:] @ start() offset 1m)",
             "max_over_time(\n  rate(\n    demo_api_request_duration_seconds_count[1m]\n  )[1m:] @ start() offset 1m\n)"),
            (#"label_replace(up{job="api-server",service="a:c"}, "foo", "$1", "service", "(.*):.*")"#,
             "label_replace(\n  up{job=\"api-server\",service=\"a:c\"},\n  \"foo\",\n  \"$1\",\n  \"service\",\n  \"(.*):.*\"\n)"),
            ("(foo)", "(foo)"),
            ("(_foo_long_)", "(\n  _foo_long_\n)"),
            ("((foo_long))", "(\n  (foo_long)\n)"),
            ("((_foo_long_))", "(\n  (\n    _foo_long_\n  )\n)"),
            ("a @ 1", "a @ 1.000"),
            ("vector_selector @ start()", "vector_selector @ start()"),
            ("(1 + 2)", "(1 + 2)"),
            ("(foo + bar)", "(\n  foo + bar\n)"),
            ("(foo_long + bar_long)", "(\n    foo_long\n  +\n    bar_long\n)"),
            ("((foo_long + bar_long) + bar_2_long)", "(\n    (\n        foo_long\n      +\n        bar_long\n    )\n  +\n    bar_2_long\n)"),
            ("(1111 + 2222)", "(\n    1111\n  +\n    2222\n)"),
            ("-1", "-1"),
            ("-vector_selector", "-vector_selector"),
            ("(-vector_selector)", "(\n  -vector_selector\n)"),
            ("-histogram_quantile(0.9,rate(foo[1m]))", "-histogram_quantile(\n  0.9,\n  rate(\n    foo[1m]\n  )\n)"),
            ("-histogram_quantile(0.9, -rate(foo[1m] @ start()))",
             "-histogram_quantile(\n  0.9,\n  -rate(\n    foo[1m] @ start()\n  )\n)"),
            ("rate(foo[2*1h])", "rate(\n  foo[2 * 1h]\n)"),
            ("rate(foo[-5m+35m])", "rate(\n  foo[-5m + 35m]\n)"),
        ]
        try check(cases)
    }

    @Test func prettyMixins() throws {
        let cases: [(String, String)] = [
            (#"(node_timex_offset_seconds > 0.05 and deriv(node_timex_offset_seconds[5m]) >= 0) or (node_timex_offset_seconds < -0.05 and deriv(node_timex_offset_seconds[5m]) <= 0)"#,
             "  (\n        node_timex_offset_seconds\n      >\n        0.05\n    and\n        deriv(\n          node_timex_offset_seconds[5m]\n        )\n      >=\n        0\n  )\nor\n  (\n        node_timex_offset_seconds\n      <\n        -0.05\n    and\n        deriv(\n          node_timex_offset_seconds[5m]\n        )\n      <=\n        0\n  )"),
            (#"(count by (job) (changes(process_start_time_seconds{job="alertmanager"}[10m]) > 4) / count by (job) (up{job="alertmanager"})) >= 0.5"#,
             "  (\n      count by (job) (\n          changes(\n            process_start_time_seconds{job=\"alertmanager\"}[10m]\n          )\n        >\n          4\n      )\n    /\n      count by (job) (\n        up{job=\"alertmanager\"}\n      )\n  )\n>=\n  0.5"),
        ]
        try check(cases)
    }

    @Test func prettyUsesLineLimitOf100ByDefault() throws {
        let short = try PromQLParser.parse(#"sum by (job) (rate(http_requests_total{job="api"}[5m]))"#)
        #expect(short.prettyPrint() == short.description)
        let long = try PromQLParser.parse(#"sum by (job, instance) (rate(http_requests_total{job="api-server",code=~"5.."}[5m])) / sum by (job, instance) (rate(http_requests_total[5m]))"#)
        #expect(long.prettyPrint() == """
              sum by (job, instance) (rate(http_requests_total{code=~"5..",job="api-server"}[5m]))
            /
              sum by (job, instance) (rate(http_requests_total[5m]))
            """)
    }

    private func check(_ cases: [(String, String)]) throws {
        for (input, want) in cases {
            let e = try PromQLParser.parse(input, options: .allEnabled)
            #expect(e.prettyPrint(maxLineLength: 10) == want, "\(input)")
        }
    }
}
