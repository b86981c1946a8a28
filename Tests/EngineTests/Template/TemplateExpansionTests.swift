import Testing
@testable import Engine

/// Scenarios from prometheus/prometheus template/template_test.go (text mode; HTML-mode cases are omitted).
@Suite struct TemplateExpansionTests {
    struct Scenario: Sendable, CustomTestStringConvertible {
        var text: String
        var output: String? = nil
        var input: TemplateValue = .invalid
        var query: [QueryResultSample] = []
        var error: String? = nil
        var testDescription: String { text }
    }

    enum Outcome { case success(String), failure(String) }

    /// Mirrors `Expander.Expand`: parse with name "test", execute, wrap errors like Prometheus.
    static func expand(_ s: Scenario) -> Outcome {
        let result = s.query
        let ctx = TemplateContext(query: { _ in result }, externalURL: "http://testhost:9090/path/prefix",
                                  timestampMillis: 0, missingKey: .zero)
        let tmpl: GoTemplate
        do {
            tmpl = try GoTemplate(name: "test", text: s.text)
        } catch {
            return .failure("error parsing template test: " + String(describing: error))
        }
        do {
            return .success(try tmpl.execute(s.input, context: ctx))
        } catch {
            return .failure("error executing template test: " + String(describing: error))
        }
    }

    static let metricA = QueryResultSample(labels: ["__name__": "metric", "instance": "a"], value: 11)

    static let scenarios: [Scenario] = [
        Scenario(text: "plain text", output: "plain text"),
        Scenario(text: "{{ 1 }}", output: "1"),
        Scenario(text: "{{\u{A0}}}", error: "error parsing template test: template: test:1: unrecognized character in action: U+00A0"),
        Scenario(text: "{{ \"<b>\" }}", output: "<b>"),
        Scenario(text: "{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", output: "1 2"),
        Scenario(text: "{{ query \"1.5\" | first | value }}", output: "1.5", query: [QueryResultSample(labels: [:], value: 1.5)]),
        Scenario(text: "{{ query \"metric{instance='a'}\" | first | value }}", output: "11", query: [metricA]),
        Scenario(text: "{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", output: "a", query: [metricA]),
        Scenario(text: "{{ query \"metric{__value__='a'}\" | first | strvalue }}", output: "a",
                 query: [QueryResultSample(labels: ["__name__": "metric", "__value__": "a"], value: 11)]),
        Scenario(text: "{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", output: "", query: [metricA]),
        Scenario(text: "{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", output: "", query: [metricA]),
        Scenario(text: "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
                 output: "a:11: b:21: ",
                 query: [QueryResultSample(labels: ["__name__": "metric", "instance": "b"], value: 21), metricA]),
        Scenario(text: "{{ \"foo.example.com\" | stripPort }}", output: "foo.example.com"),
        Scenario(text: "{{ \"foo.example.com:12345\" | stripPort }}", output: "foo.example.com"),
        Scenario(text: "{{ \"192.0.2.1\" | stripPort }}", output: "192.0.2.1"),
        Scenario(text: "{{ \"192.0.2.1:12345\" | stripPort }}", output: "192.0.2.1"),
        Scenario(text: "{{ \"2001:0DB8::1\" | stripPort }}", output: "2001:0DB8::1"),
        Scenario(text: "{{ \"[2001:0DB8::1]:12345\" | stripPort }}", output: "2001:0DB8::1"),
        Scenario(text: "{{ \"[2001:0DB8::1]::12345\" | stripPort }}", output: "[2001:0DB8::1]::12345"),
        Scenario(text: "{{ .Foo }}", output: "<no value>"),
        Scenario(text: "{{", error: "error parsing template test: template: test:1: unclosed action"),
        Scenario(text: "{{ query \"missing\" | first }}",
                 error: "error executing template test: template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements"),
        Scenario(text: "{{ (query \"missing\").banana }}",
                 error: "error executing template test: template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type template.queryResult"),
        Scenario(text: "{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", output: "xa"),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ end }}", output: "0:1:1.235M:120m:", input: .floats([0.0, 1.0, 1234567.0, 0.12])),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ end }}", output: "0:1:1.235M:120m:", input: .strings(["0.0", "1.0", "1234567.0", ".12"])),
        Scenario(text: "{{ humanize \"one\" }}",
                 error: "error executing template test: template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ end }}", output: "0:-1:1:1.235M:9.223E:",
                 input: .list([0, -1, 1, 1234567, Int64.max].map { .int($0, .int64) }, elementType: "int64")),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ end }}", output: "0:1:1.235M:18.45E:",
                 input: .list([0, 1, 1234567, UInt64.max].map { .uint($0, .uint64) }, elementType: "uint64")),
        Scenario(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", output: "0:1:1Mi:0.12:", input: .floats([0.0, 1.0, 1048576.0, 0.12])),
        Scenario(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", output: "0:1:1Mi:0.12:", input: .strings(["0.0", "1.0", "1048576.0", ".12"])),
        Scenario(text: "{{ humanize1024 \"one\" }}",
                 error: "error executing template test: template: test:1:3: executing \"test\" at <humanize1024 \"one\">: error calling humanize1024: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Scenario(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", output: "0:-1:1:1.177Mi:8Ei:",
                 input: .list([0, -1, 1, 1234567, Int64.max].map { .int($0, .int64) }, elementType: "int64")),
        Scenario(text: "{{ range . }}{{ humanize1024 . }}:{{ end }}", output: "0:1:1.177Mi:16Ei:",
                 input: .list([0, 1, 1234567, UInt64.max].map { .uint($0, .uint64) }, elementType: "uint64")),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}",
                 output: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:",
                 input: .floats([0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5), 899.99])),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", output: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:",
                 input: .strings(["0", "1", "60", "3600", "86400"])),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", output: "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:",
                 input: .floats([0.1, 0.0001, 0.12345, 60.1, 60.5, 1.2345, 12.345])),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", output: "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:",
                 input: .strings([".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"])),
        Scenario(text: "{{ humanizeDuration \"one\" }}",
                 error: "error executing template test: template: test:1:3: executing \"test\" at <humanizeDuration \"one\">: error calling humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", output: "0s:-1s:1s:14d 6h 56m 7s:",
                 input: .list([0, -1, 1, 1234567].map { .int($0, .int) }, elementType: "int")),
        Scenario(text: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", output: "0s:1s:14d 6h 56m 7s:",
                 input: .list([0, 1, 1234567].map { .uint($0, .uint) }, elementType: "uint")),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
                 output: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:", input: .floats([.infinity, -.infinity, .nan])),
        Scenario(text: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}",
                 output: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:", input: .strings(["+Inf", "-Inf", "NaN"])),
        Scenario(text: "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
                 output: "-22.22%:0%:12.35%:123.5%"),
        Scenario(text: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", output: "0%:-100%:100%:1.235e+08%:9.223e+20%:",
                 input: .list([0, -1, 1, 1234567, Int64.max].map { .int($0, .int64) }, elementType: "int64")),
        Scenario(text: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", output: "0%:100%:1.235e+08%:1.845e+21%:",
                 input: .list([0, 1, 1234567, UInt64.max].map { .uint($0, .uint64) }, elementType: "uint64")),
        Scenario(text: "{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}",
                 output: "-22.22%:0%:12.35%:123.5%"),
        Scenario(text: "{{ \"one\" | humanizePercentage }}",
                 error: "error executing template test: template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax"),
        Scenario(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
                 output: "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:",
                 input: .list([0, -1, 1, 1234567, 9223372036].map { .int($0, .int64) }, elementType: "int64")),
        Scenario(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
                 output: "1970-01-01 00:00:00 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:",
                 input: .list([0, 1, 1234567, 9223372036].map { .uint($0, .uint64) }, elementType: "uint64")),
        Scenario(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
                 input: .list([Int64.min, Int64.max].map { .int($0, .int64) }, elementType: "int64"),
                 error: "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64"),
        Scenario(text: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
                 input: .list([.uint(UInt64.max, .uint64)], elementType: "uint64"),
                 error: "error executing template test: template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1.8446744073709552e+19 cannot be represented as a nanoseconds timestamp since it overflows int64"),
        Scenario(text: "{{ 1435065584.128 | humanizeTimestamp }}", output: "2015-06-23 13:19:44.128 +0000 UTC"),
        Scenario(text: "{{ \"1435065584.128\" | humanizeTimestamp }}", output: "2015-06-23 13:19:44.128 +0000 UTC"),
        Scenario(text: "{{ (1435065584.128 | toTime).Format \"2006\" }}", output: "2015"),
        Scenario(text: "{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", output: "2015"),
        Scenario(text: "{{ \"aa bb CC\" | title }}", output: "Aa Bb CC"),
        Scenario(text: "{{ \"aa bb CC\" | toUpper }}", output: "AA BB CC"),
        Scenario(text: "{{ \"aA bB CC\" | toLower }}", output: "aa bb cc"),
        Scenario(text: "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", output: "true false"),
        Scenario(text: "{{ graphLink \"up\" }}", output: "/graph?g0.expr=up&g0.tab=0"),
        Scenario(text: "{{ tableLink \"up\" }}", output: "/graph?g0.expr=up&g0.tab=1"),
        Scenario(text: "{{ pathPrefix }}", output: "/path/prefix"),
        Scenario(text: "{{ externalURL }}", output: "http://testhost:9090/path/prefix"),
        Scenario(text: "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", output: "3720.01"),
        Scenario(text: "{{ \"foo.example.com\" | stripDomain }}", output: "foo"),
        Scenario(text: "{{ \"foo.example.com:12345\" | stripDomain }}", output: "foo:12345"),
        Scenario(text: "{{ \"192.0.2.1\" | stripDomain }}", output: "192.0.2.1"),
        Scenario(text: "{{ \"192.0.2.1:12345\" | stripDomain }}", output: "192.0.2.1:12345"),
        Scenario(text: "{{ \"2001:0DB8::1\" | stripDomain }}", output: "2001:0DB8::1"),
        Scenario(text: "{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", output: "[2001:0DB8::1]:12345"),
        Scenario(text: "{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", output: "[2001:0DB8::1]::12345"),
    ]

    @Test(arguments: scenarios)
    func upstreamScenario(_ s: Scenario) {
        let r = Self.expand(s)
        switch r {
        case .success(let out):
            #expect(s.error == nil, "expected error \(s.error ?? "")")
            #expect(out == s.output)
        case .failure(let msg):
            #expect(s.error == msg)
        }
    }
}
