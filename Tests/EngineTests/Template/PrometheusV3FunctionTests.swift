import Testing
@testable import Engine

/// Prometheus 3 functions and data shapes not present in promtool 2.42 (expectations from template.go and Go's
/// text/template semantics).
@Suite struct PrometheusV3FunctionTests {
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
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <parseDuration \"5x\">: error calling parseDuration: not a valid duration string: \"5x\">"),
        ("{{ reReplaceAll \"(\" \"\" \"x\" }}",
         "<error expanding template: error executing template __alert_Test: template: __alert_Test:1:115: executing \"__alert_Test\" at <reReplaceAll \"(\" \"\" \"x\">: error calling reReplaceAll: regexp: Compile(\"(\"): error parsing regexp: missing closing ): `(`>"),
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
