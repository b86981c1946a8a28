import Testing
@testable import Engine

/// Prometheus 3 functions and data shapes not present in promtool 2.42 (expectations from template.go and Go's
/// text/template semantics).
@Suite struct TemplatePrometheusV3FunctionTests {
    static func expander(query: TemplateQueryFunction? = nil) -> AlertTemplateExpander {
        AlertTemplateExpander(alertName: "Test", labels: ["instance": "web-1.example.com:9090", "job": "node"],
                              externalLabels: ["cluster": "eu"], externalURL: "https://prom.example.com/sub/path",
                              value: 93.25, timestampMillis: 1_700_000_000_123, query: query)
    }

    static let cases: [(String, String)] = [
        ("{{ toDuration 90 }}", "1m30s"),
        ("{{ toDuration 0.0015 }}", "1.5ms"),
        ("{{ (toDuration 3600).Seconds }}", "3600"),
        ("{{ toTime 1435065584.128 }}", "2015-06-23 13:19:44.128 +0000 UTC"),
        ("{{ (toTime 1435065584).Format \"2006-01-02T15:04:05Z07:00\" }}", "2015-06-23T13:19:44Z"),
        ("{{ (toTime 0).Unix }}", "0"),
        ("{{ now }}", "1.700000000123e+09"),
        ("{{ now | humanizeTimestamp }}", "2023-11-14 22:13:20.122 +0000 UTC"), // float64 rounding of v*1e9, as in Go
        ("{{ urlQueryEscape \"a b/c?d=e\" }}", "a+b%2Fc%3Fd%3De"),
        ("{{ $labels.instance | stripDomain }}", "web-1:9090"),
        ("{{ $labels.instance | stripPort }}", "web-1.example.com"),
        ("{{ $externalLabels.cluster }} {{ $externalURL }} {{ pathPrefix }}", "eu https://prom.example.com/sub/path /sub/path"),
        ("{{ .ExternalURL }}", "https://prom.example.com/sub/path"),
        ("{{ $value }} {{ .Value | humanize }}", "93.25 93.25"),
        ("{{ if gt $value 80.0 }}high{{ else }}low{{ end }}", "high"),
        ("{{ title \"hello wORLD foo-bar\" }}", "Hello WORLD Foo-Bar"),
        ("{{ safeHtml \"<b>\" }}", "<b>"),
        ("{{ range $i := 3 }}{{ $i }}{{ end }}", "012"),
        ("{{ with $labels.nope }}x{{ else with $labels.job }}{{ . }}{{ end }}", "node"),
        ("{{ range $k, $v := $labels }}{{ if eq $k \"job\" }}{{ break }}{{ end }}{{ $k }};{{ continue }}x{{ end }}", "instance;"),
        ("{{ printf \"%.1f%%\" $value }}", "93.2%"),
        ("{{ .Value.foo }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:121: executing \"__alert_Test\" at <.Value.foo>: can't evaluate field foo in type interface {}>"),
        ("{{ .Nope }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <.Nope>: can't evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value interface {} }>"),
        ("{{ gt $value 80 }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <gt $value 80>: error calling gt: incompatible types for comparison: float64 and int>"),
        ("{{ toTime \"NaN\" }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <toTime \"NaN\">: error calling toTime: value is NaN or Inf>"),
        ("{{ parseDuration \"5x\" }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <parseDuration \"5x\">: error calling parseDuration: unknown unit \"x\" in duration \"5x\">"),
        // model.ParseDurationAllowNegative (prometheus/common v0.70.1), as template.go v3.14.0 calls it.
        ("{{ parseDuration \"-1m30s\" }}", "-90"),
        ("{{ reReplaceAll \"(\" \"\" \"x\" }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <reReplaceAll \"(\" \"\" \"x\">: error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`>"),
        ("{{ query \"up\" }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <query \"up\">: error calling query: query is not available in this context>"),
        ("{{ $labels.job | toUpper | printf \"%s!\" }}", "NODE!"),
        ("{{ bad", "<error expanding template: error parsing template __alert_Test: template: __alert_Test:1: function \"bad\" not defined>"),
    ]

    @Test(arguments: cases)
    func expands(text: String, expected: String) {
        #expect(Self.expander().expandForAlert(text) == expected, "text: \(text)")
    }

    struct QueryFailure: Error, CustomStringConvertible {
        var description: String { "bad_data: parse error" }
    }

    @Test func queryErrorsAreReported() {
        let e = Self.expander(query: { _ in throw QueryFailure() })
        #expect(e.expandForAlert("{{ query \"x(\" }}").hasSuffix("error calling query: bad_data: parse error>"))
    }

    @Test func queryResultsFlowThroughFunctions() throws {
        let e = Self.expander(query: { q in
            [QueryResultSample(labels: ["__name__": q, "instance": "b"], value: 2),
             QueryResultSample(labels: ["__name__": q, "instance": "a"], value: 1)]
        })
        #expect(try e.expand("{{ range query \"up\" | sortByLabel \"instance\" }}{{ label \"instance\" . }}={{ value . }} {{ end }}") == "a=1 b=2 ")
        #expect(try e.expand("{{ with query \"up\" }}{{ len . }} {{ (index . 1).Labels.instance }}{{ end }}") == "2 a")
    }

    @Test func checkAlertTemplateAcceptsValidTemplates() {
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "A", text: "{{ $labels.instance }} {{ $value | humanizePercentage }}") == nil)
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "A", text: "plain") == nil)
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "A", text: "") == nil)
    }
}

extension TemplatePrometheusV3FunctionTests {
    @Test func durationPointerIsNotAFloat() {
        let out = Self.expander().expandForAlert("{{ toDuration 5 | humanizeDuration }}")
        #expect(out.hasSuffix("error calling humanizeDuration: can't convert *time.Duration to float>"))
    }
}

extension TemplatePrometheusV3FunctionTests {
    /// `title` is x/text `cases.Title(AmericanEnglish, NoLower)` in Prometheus 3 (2.42 used strings.Title, which
    /// gives "Don'T" and "X.Y"); `toUpper`/`toLower` use Go's simple case mapping (checked against promtool).
    @Test func caseMapping() throws {
        let e = Self.expander()
        #expect(try e.expand("{{ title \"don't stop_me x.y éCOLE o'neil foo-bar a1b hello,world ǆx ßa\" }}")
                == "Don't Stop_me X.y ÉCOLE O'neil Foo-Bar A1b Hello,World ǅx Ssa")
        #expect(try e.expand("{{ title \"  multiple   spaces\\tand\\ttabs\" }}") == "  Multiple   Spaces\tAnd\tTabs")
        #expect(try e.expand("{{ title \"ünïcode wörds über\" }}") == "Ünïcode Wörds Über")
        #expect(try e.expand("{{ title \"MIXED case WORDS\" }}") == "MIXED Case WORDS")
        #expect(try e.expand("{{ toUpper \"straße ǆ ﬁ\" }}") == "STRAßE Ǆ ﬁ")
        #expect(try e.expand("{{ toLower \"İSTANBUL ǅ\" }}") == "istanbul ǆ")
    }
}

extension TemplatePrometheusV3FunctionTests {
    @Test func histogramValueIsOpaque() throws {
        let e = AlertTemplateExpander(alertName: "H", labels: ["job": "x"],
                                      templateValue: .opaque(typeName: "*histogram.FloatHistogram", text: "{count:2, sum:3, [1,2):2}"),
                                      timestampMillis: 0)
        #expect(try e.expand("{{ $value }}|{{ printf \"%v\" .Value }}|{{ if $value }}t{{ end }}") == "{count:2, sum:3, [1,2):2}|{count:2, sum:3, [1,2):2}|t")
        #expect(e.expandForAlert("{{ humanize $value }}").hasSuffix("error calling humanize: can't convert *histogram.FloatHistogram to float>"))
    }
}

extension TemplatePrometheusV3FunctionTests {
    /// x/text cases title-breaking tests (golang/text cases/map_test.go, cases 3 and 4), adapted to NoLower.
    static let titleCases: [(String, String)] = [
        ("FOO CASE TEST", "FOO CASE TEST"),
        ("DON'T DO THiS", "DON'T DO THiS"),
        ("with-hyphens", "With-Hyphens"),
        ("49ers 49ers", "49Ers 49Ers"),
        ("\"capitalize a^a -hyphen 0X _u a_u:a", "\"Capitalize A^A -Hyphen 0X _U A_u:a"),
        ("MidNumLet a.b\u{2018}c\u{2019}d\u{2024}e\u{fe52}f\u{ff07}f\u{ff0e}g", "MidNumLet A.b\u{2018}c\u{2019}d\u{2024}e\u{fe52}f\u{ff07}f\u{ff0e}g"),
        ("MidNum a,b;c\u{037e}d\u{0589}e\u{060c}f\u{2044}g\u{fe50}h", "MidNum A,B;C\u{037e}D\u{0589}E\u{060c}F\u{2044}G\u{fe50}H"),
        ("\u{0345} x\u{3031}x x\u{05d0}x \u{05d0}x a'.a a.a a4,a", "\u{0399} X\u{3031}X X\u{05d0}x \u{05d0}X A'.A A.a A4,A"),
        ("abc aBc ABC abC İsıI o'Brien", "Abc ABc ABC AbC İsıI O'Brien"),
    ]

    @Test(arguments: titleCases)
    func titleLikeXText(input: String, expected: String) {
        #expect(TemplateExecutor.title(input) == expected)
    }
}

extension TemplatePrometheusV3FunctionTests {
    @Test func parseOnceExpandMany() throws {
        let t = try AlertTemplateExpander.parseAlertTemplate(alertName: "Test", text: "{{ $labels.job }}={{ $value }}")
        #expect(Self.expander().expandForAlert(t) == "node=93.25")
        let bad = try AlertTemplateExpander.parseAlertTemplate(alertName: "Test", text: "{{ humanize \"x\" }}")
        #expect(Self.expander().expandForAlert(bad) == Self.expander().expandForAlert("{{ humanize \"x\" }}"))
    }
}
