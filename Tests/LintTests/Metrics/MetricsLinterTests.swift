import Testing
@testable import Lint

/// One firing and one non-firing case per promlint rule (texts as client_golang's promlint prints them).
@Suite struct MetricsLinterTests {
    func problems(_ text: String) throws -> [String] {
        try MetricsLinter().lint(Array(text.utf8)).map(\.description)
    }

    struct RuleCase: Sendable, CustomStringConvertible {
        var rule: String
        var firing: String
        var expected: String
        var quiet: String
        var description: String { rule }
    }

    static let cases: [RuleCase] = [
        RuleCase(rule: "help", firing: "# TYPE g gauge\ng 1\n", expected: "g no help text",
                 quiet: "# HELP g h\n# TYPE g gauge\ng 1\n"),
        RuleCase(rule: "base units", firing: "# HELP d_milliseconds h\n# TYPE d_milliseconds gauge\nd_milliseconds 1\n",
                 expected: #"d_milliseconds use base unit "seconds" instead of "milliseconds""#,
                 quiet: "# HELP d_seconds h\n# TYPE d_seconds gauge\nd_seconds 1\n"),
        RuleCase(rule: "counter suffix", firing: "# HELP c h\n# TYPE c counter\nc 1\n",
                 expected: #"c counter metrics should have "_total" suffix"#,
                 quiet: "# HELP c_total h\n# TYPE c_total counter\nc_total 1\n"),
        RuleCase(rule: "non-counter _total", firing: "# HELP g_total h\n# TYPE g_total gauge\ng_total 1\n",
                 expected: #"g_total non-counter metrics should not have "_total" suffix"#,
                 quiet: "# HELP g_total h\ng_total 1\n"),
        RuleCase(rule: "non-gauge _timestamp_seconds",
                 firing: "# HELP t_timestamp_seconds h\n# TYPE t_timestamp_seconds summary\nt_timestamp_seconds_sum 1\n",
                 expected: #"t_timestamp_seconds non-gauge metrics should not have "_timestamp_seconds" suffix"#,
                 quiet: "# HELP t_timestamp_seconds h\n# TYPE t_timestamp_seconds gauge\nt_timestamp_seconds 1\n"),
        RuleCase(rule: "_bucket suffix", firing: "# HELP x_bucket h\n# TYPE x_bucket summary\nx_bucket_sum 1\n",
                 expected: #"x_bucket non-histogram metrics should not have "_bucket" suffix"#,
                 quiet: "# HELP x h\n# TYPE x histogram\nx_bucket{le=\"+Inf\"} 1\n"),
        RuleCase(rule: "_count suffix", firing: "# HELP x_count h\n# TYPE x_count gauge\nx_count 1\n",
                 expected: #"x_count non-histogram and non-summary metrics should not have "_count" suffix"#,
                 quiet: "# HELP x h\n# TYPE x summary\nx_count 1\n"),
        RuleCase(rule: "_sum suffix", firing: "# HELP x_sum h\n# TYPE x_sum gauge\nx_sum 1\n",
                 expected: #"x_sum non-histogram and non-summary metrics should not have "_sum" suffix"#,
                 quiet: "# HELP x h\n# TYPE x histogram\nx_sum 1\n"),
        RuleCase(rule: "le label", firing: "# HELP x h\n# TYPE x gauge\nx{le=\"1\"} 1\n",
                 expected: #"x non-histogram metrics should not have "le" label"#,
                 quiet: "# HELP x h\n# TYPE x histogram\nx_bucket{le=\"1\"} 1\n"),
        RuleCase(rule: "quantile label", firing: "# HELP x h\n# TYPE x gauge\nx{quantile=\"1\"} 1\n",
                 expected: #"x non-summary metrics should not have "quantile" label"#,
                 quiet: "# HELP x h\n# TYPE x summary\nx{quantile=\"1\"} 1\n"),
        RuleCase(rule: "type in name", firing: "# HELP x_gauge h\n# TYPE x_gauge gauge\nx_gauge 1\n",
                 expected: "x_gauge metric name should not include type 'gauge'",
                 quiet: "# HELP x_gauge h\nx_gauge 1\n"),
        RuleCase(rule: "colons", firing: "# HELP a:b h\n# TYPE a:b gauge\na:b 1\n",
                 expected: "a:b metric names should not contain ':'",
                 quiet: "# HELP a_b h\n# TYPE a_b gauge\na_b 1\n"),
        RuleCase(rule: "camelCase metric", firing: "# HELP fooBar h\n# TYPE fooBar gauge\nfooBar 1\n",
                 expected: "fooBar metric names should be written in 'snake_case' not 'camelCase'",
                 quiet: "# HELP FOO_BAR h\n# TYPE FOO_BAR gauge\nFOO_BAR 1\n"),
        RuleCase(rule: "camelCase label", firing: "# HELP x h\n# TYPE x gauge\nx{myLabel=\"a\"} 1\n",
                 expected: "x label names should be written in 'snake_case' not 'camelCase'",
                 quiet: "# HELP x h\n# TYPE x gauge\nx{my_label=\"a\"} 1\n"),
        RuleCase(rule: "abbreviated units", firing: "# HELP x_ms h\n# TYPE x_ms gauge\nx_ms 1\n",
                 expected: "x_ms metric names should not contain abbreviated units",
                 quiet: "# HELP x_msgs h\n# TYPE x_msgs gauge\nx_msgs 1\n"),
        RuleCase(rule: "duplicate metric", firing: "# HELP x h\n# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"1\"} 2\n",
                 expected: "x metric not unique",
                 quiet: "# HELP x h\n# TYPE x gauge\nx{a=\"1\"} 1\nx{a=\"2\"} 2\n"),
    ]

    @Test(arguments: cases)
    func ruleFires(_ c: RuleCase) throws {
        let p = try problems(c.firing)
        #expect(p.contains(c.expected), "\(p)")
    }

    @Test(arguments: cases)
    func ruleQuiet(_ c: RuleCase) throws {
        let texts = try problems(c.quiet).map { String($0.split(separator: " ", maxSplits: 1).last ?? "") }
        let expectedText = String(c.expected.split(separator: " ", maxSplits: 1).last ?? "")
        #expect(!texts.contains(expectedText), "\(texts)")
    }

    @Test func problemsSortedByMetricThenText() throws {
        let p = try problems("b_gauge 1\n# TYPE a counter\na 1\n")
        #expect(p == [
            #"a counter metrics should have "_total" suffix"#,
            "a no help text",
            "b_gauge no help text",
        ])
    }

    @Test func firstUnitWordWins() {
        #expect(MetricsLinter.metricUnit("disk_kilobytes_hours")?.unit == "kilobytes")
        #expect(MetricsLinter.metricUnit("thermometers_total") == nil)
        #expect(MetricsLinter.metricUnit("x_kilometers")?.base == "meters")
    }

    @Test func abbreviationsCountedPerMatch() throws {
        // "_s_" and "_m" both match: two identical problems, as promlint reports.
        let p = try problems("# HELP x_s_m h\n# TYPE x_s_m gauge\nx_s_m 1\n")
        #expect(p.filter { $0 == "x_s_m metric names should not contain abbreviated units" }.count == 2)
    }
}
