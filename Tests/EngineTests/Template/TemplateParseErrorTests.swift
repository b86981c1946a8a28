import Testing
@testable import Engine
import Locking

/// Parse errors of alert templates, checked against `promtool check rules` output (Prometheus 2.42 agrees with
/// 3.14 on these; the v3-only `toDuration` function is expected to parse).
@Suite struct TemplateParseErrorTests {
    static let cases: [(String, String?)] = [
        ("{{ $labels.instance is down", "template: __alert_HighErrorRate:1: function \"is\" not defined"),
        ("{{ }}", "template: __alert_HighErrorRate:1: missing value for command"),
        ("{{", "template: __alert_HighErrorRate:1: unclosed action"),
        ("{{ $foo }}", "template: __alert_HighErrorRate:1: undefined variable \"$foo\""),
        ("{{ humanizeBytes $value }}", "template: __alert_HighErrorRate:1: function \"humanizeBytes\" not defined"),
        ("{{ if }}", "template: __alert_HighErrorRate:1: missing value for if"),
        ("{{ if $value }}x", "template: __alert_HighErrorRate:1: unexpected EOF"),
        ("{{ end }}", "template: __alert_HighErrorRate:1: unexpected {{end}}"),
        ("{{ else }}", "template: __alert_HighErrorRate:1: unexpected {{else}}"),
        ("{{ range }}", "template: __alert_HighErrorRate:1: missing value for range"),
        ("{{ with }}", "template: __alert_HighErrorRate:1: missing value for with"),
        ("{{ $labels.instance }", "template: __alert_HighErrorRate:1: unexpected \"}\" in operand"),
        ("{{ \"abc }}", "template: __alert_HighErrorRate:1: unterminated quoted string"),
        ("{{ 'a }}", "template: __alert_HighErrorRate:1: unterminated character constant"),
        ("{{ `abc }}", "template: __alert_HighErrorRate:1: unterminated raw quoted string"),
        ("{{ 1a }}", "template: __alert_HighErrorRate:1: bad number syntax: \"1a\""),
        ("{{/* x }}", "template: __alert_HighErrorRate:1: unclosed comment"),
        ("{{/* x */ }}", "template: __alert_HighErrorRate:1: comment ends before closing delimiter"),
        ("{{ $x := 1 }}{{ $x = }}", "template: __alert_HighErrorRate:1: missing value for command"),
        ("{{ : }}", "template: __alert_HighErrorRate:1: expected :="),
        ("{{ .Labels.foo | 1 }}", "template: __alert_HighErrorRate:1: non executable command in pipeline stage 2"),
        ("{{ $x, $y := 1 }}", "template: __alert_HighErrorRate:1: too many declarations in command"),
        ("{{ range $i, $v, $w := . }}{{end}}", "template: __alert_HighErrorRate:1: too many declarations in range"),
        ("{{ range $i, 1 }}{{end}}", "template: __alert_HighErrorRate:1: range can only initialize variables"),
        ("{{ break }}", "template: __alert_HighErrorRate:1: {{break}} outside {{range}}"),
        ("{{ continue }}", "template: __alert_HighErrorRate:1: {{continue}} outside {{range}}"),
        ("{{ template }}", "template: __alert_HighErrorRate:1: unexpected \"}}\" in template clause"),
        ("{{ template foo }}", "template: __alert_HighErrorRate:1: unexpected \"foo\" in template clause"),
        ("{{ define \"x\" }}", "template: __alert_HighErrorRate:1: unexpected EOF"),
        ("{{ define x }}{{end}}", "template: __alert_HighErrorRate:1: unexpected \"x\" in define clause"),
        ("{{ .Foo.Bar. }}", "template: __alert_HighErrorRate:1: unexpected <.> in operand"),
        ("{{ nil.foo }}", "template: __alert_HighErrorRate:1: unexpected . after term \"nil\""),
        ("{{ \"a\".foo }}", "template: __alert_HighErrorRate:1: unexpected . after term \"\\\"a\\\"\""),
        ("{{ (1 }}", "template: __alert_HighErrorRate:1: unclosed left paren"),
        ("{{ 08 }}", "template: __alert_HighErrorRate:1: integer overflow: \"08\""),
        ("{{ 99999999999999999999 }}", "template: __alert_HighErrorRate:1: integer overflow: \"99999999999999999999\""),
        ("{{ 1e }}", "template: __alert_HighErrorRate:1: illegal number syntax: \"1e\""),
        ("{{ 0x }}", "template: __alert_HighErrorRate:1: illegal number syntax: \"0x\""),
        ("{{ 'ab' }}", "template: __alert_HighErrorRate:1: malformed character constant: 'ab'"),
        ("{{ '' }}", "template: __alert_HighErrorRate:1: invalid syntax"),
        ("{{ \"\\q\" }}", "template: __alert_HighErrorRate:1: invalid syntax"),
        ("{{ if 1 }}{{ else }}{{ else }}{{ end }}", "template: __alert_HighErrorRate:1: expected end; found {{else}}"),
        ("{{ define \"a\" }}{{ else }}", "template: __alert_HighErrorRate:1: unexpected {{else}} in define clause"),
        ("{{ | .x }}", "template: __alert_HighErrorRate:1: unexpected \"|\" in command"),
        ("{{ $x := }}", "template: __alert_HighErrorRate:1: missing value for command"),
        ("{{ 1 }", "template: __alert_HighErrorRate:1: unexpected \"}\" in operand"),
        ("{{ block \"x\" }}{{ end }}", "template: __alert_HighErrorRate:1: missing value for block clause"),
        ("{{ with $x := 1 }}{{ end }}{{ $x }}", "template: __alert_HighErrorRate:1: undefined variable \"$x\""),
        ("{{ $labels.inst-ance }}", "template: __alert_HighErrorRate:1: bad character U+002D '-'"),
        ("{{ é }}", "template: __alert_HighErrorRate:1: function \"é\" not defined"),
        ("{{ ¿ }}", "template: __alert_HighErrorRate:1: unrecognized character in action: U+00BF '¿'"),
        ("{{ if true }}{{ else if }}{{ end }}", "template: __alert_HighErrorRate:1: missing value for if"),
        ("{{ 1.2.3 }}", "template: __alert_HighErrorRate:1: unexpected \".3\" in operand"),
        ("{{ .Labels..x }}", "template: __alert_HighErrorRate:1: unexpected <.> in operand"),
        ("{{ -}}", "template: __alert_HighErrorRate:1: missing value for command"),
        ("{{- }}", "template: __alert_HighErrorRate:1: missing value for command"),
        ("{{ true.x }}", "template: __alert_HighErrorRate:1: unexpected . after term \"true\""),
        ("{{ 1+2 }}", "template: __alert_HighErrorRate:1: bad number syntax: \"1+2\""),
        ("{{ 1__0 }}", "template: __alert_HighErrorRate:1: illegal number syntax: \"1__0\""),
        ("{{ .Labels.instance := 1 }}", "template: __alert_HighErrorRate:1: unexpected \":=\" in operand"),
        ("{{ range .x }}{{ end }}{{ break }}", "template: __alert_HighErrorRate:1: {{break}} outside {{range}}"),
        ("{{ define \"a\" }}{{ break }}{{ end }}", "template: __alert_HighErrorRate:1: {{break}} outside {{range}}"),
        ("{{ define \"a\" \"abcdefghijklmnop\" }}", "template: __alert_HighErrorRate:1: unexpected \"\\\"abcdefghi\"... in define clause"),
        ("{{ define \"__alert_HighErrorRate\" }}x{{ end }}", "template: __alert_HighErrorRate:1: template: multiple definition of template \"__alert_HighErrorRate\""),
        ("{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}", "template: __alert_HighErrorRate:1: template: multiple definition of template \"a\""),
        ("{{ $value | humanize | printf \"%s\" }} ok {{ $labels.job }}", nil),
        ("{{ range $i, $v := $labels }}{{ if eq $i \"x\" }}{{ break }}{{ end }}{{ continue }}{{ end }}", nil),
        ("{{ 0x1p-2 }} {{ 1_000 }} {{ 1i }} {{ 'a' }} {{ \"\\u00e9\" }} {{ -3 }}", nil),
        ("{{ printf \"%.2f\" $value }} {{ urlquery \"a b\" }} {{ index $labels \"x\" }} {{ len $labels }}", nil),
        ("{{ query \"up\" | first | value | humanizeDuration }} {{ toTime 1 }} {{ toDuration 1 }} {{ now }} {{ stripDomain \"x\" }}", nil),
        ("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", nil),
        ("{{ template \"x\" }}", nil),
        ("{{ with $labels }}{{ .instance }}{{ end }}", nil),
        ("{{ \"abc\" | call }}", nil),
        ("{{ ( ) }}", "template: __alert_HighErrorRate:1: missing value for parenthesized pipeline"),
        ("{{ $labels. }}", "template: __alert_HighErrorRate:1: unexpected <.> in operand"),
        ("{{ .Labels.a.b.c.d }}", nil),
        ("{{ 1 | | 2 }}", "template: __alert_HighErrorRate:1: unexpected \"|\" in command"),
        ("{{ if 1 }}{{ end }}{{ end }}", "template: __alert_HighErrorRate:1: unexpected {{end}}"),
        ("{{ range . }}{{ else }}{{ else }}{{ end }}", "template: __alert_HighErrorRate:1: expected end; found {{else}}"),
        ("{{ with 1 }}{{ else }}x{{ end }}{{ else }}", "template: __alert_HighErrorRate:1: unexpected {{else}}"),
        ("{{ template \"a\" 1 2 }}", nil),
        ("{{ $labels.instance }}{{ $x", "template: __alert_HighErrorRate:1: undefined variable \"$x\""),
        ("line1\n{{ foo }}", "template: __alert_HighErrorRate:2: function \"foo\" not defined"),
        ("{{ $x := 1\n\n", "template: __alert_HighErrorRate:3: unclosed action started at __alert_HighErrorRate:1"),
        ("{{ if 1 }}\n\n{{ end", "template: __alert_HighErrorRate:3: unclosed action"),
        ("a\nb\n{{ if 1 }}\n{{ .x | 1 }}{{ end }}", "template: __alert_HighErrorRate:4: non executable command in pipeline stage 2"),
        ("{{ define \"a\" }}\n{{ bad }}{{ end }}", "template: __alert_HighErrorRate:2: function \"bad\" not defined"),
        ("{{ if 1 }}\n{{ else }}\n{{ else }}{{ end }}", "template: __alert_HighErrorRate:3: expected end; found {{else}}"),
        ("{{ \"abc\n}}", "template: __alert_HighErrorRate:1: unterminated quoted string"),
    ]

    @Test(arguments: cases)
    func checkAlertTemplate(text: String, expected: String?) {
        let err = AlertTemplateExpander.checkAlertTemplate(alertName: "HighErrorRate", text: text)
        #expect(err?.description == expected, "text: \(text)")
        if let err { #expect(err.phase == .parse) }
    }

    /// Cases where Go 1.2x (Prometheus 3.x) differs from the Go 1.19 build of promtool 2.42.
    static let modernCases: [(String, String?)] = [
        ("{{ ) }}", "template: __alert_X:1: unexpected right paren"),
        ("{{ with .x }}a{{ else with .y }}b{{ end }}", nil),
        ("{{ with .x }}a{{ else with }}b{{ end }}", "template: __alert_X:1: missing value for with"),
        ("{{ range $i := 5 }}{{ $i }}{{ end }}", nil),
    ]

    @Test(arguments: modernCases)
    func modernGo(text: String, expected: String?) {
        let err = AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: text)
        #expect(err?.description == expected, "text: \(text)")
    }

    @Test(.disabled(if: threadSanitizerIsLinked, "recurses deeper than the 64 Ki frames of TSan's shadow call stack, which corrupts TSan's runtime")) func nestingIsBounded() {
        let deep = String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000)
        let err = AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: "{{ " + deep + " }}")
        #expect(err?.description == "template: __alert_X:1: max expression depth exceeded")
        let ifs = String(repeating: "{{ if 1 }}", count: 50_000) + String(repeating: "{{ end }}", count: 50_000)
        let err2 = AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: ifs)
        #expect(err2?.description == "template: __alert_X:1: max expression depth exceeded")
    }

    /// Go allows 10,000 nested parentheses and sets no bound on control nesting (diffs/17: 1,000
    /// parentheses and 500 nested `if` used to fail here).
    @Test(.disabled(if: threadSanitizerIsLinked, "recurses deeper than the 64 Ki frames of TSan's shadow call stack, which corrupts TSan's runtime")) func nestingAsDeepAsGoAllows() {
        let parens = { (n: Int) in "{{ " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + " }}" }
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: parens(10_000)) == nil)
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: parens(10_001))?.description
                == "template: __alert_X:1: max expression depth exceeded")
        let ifs = String(repeating: "{{ if 1 }}", count: 10_000) + "x" + String(repeating: "{{ end }}", count: 10_000)
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: ifs) == nil)
    }

    /// Go's parser splices the template name into the error's *format* (text/template/parse Tree.errorf), so
    /// a `%` in an alert name garbles the message as fmt does (mutdiff r00320, r00376, r01398, r01844).
    static let percentNameCases: [(String, String, String)] = [
        ("OracleDbTablespaceReachingCapacity(>85%)", "{{ if }}",
         "template: __alert_OracleDbTablespaceReachingCapacity(>85%!)(string=if):1: missing value for %!s(MISSING)"),
        ("PostgresqlBloatIndexHigh(>80%)", "{{ nosuchfn 1 }}",
         "template: __alert_PostgresqlBloatIndexHigh(>80%!)(string=nosuchfn):1: function %!q(MISSING) not defined"),
        ("Full 100%", "{{ if 1 }}", "template: __alert_Full 100%!:(MISSING)1: unexpected EOF"),
        ("Disk 90%% used", "{{ .Foo", "template: __alert_Disk 90% used:1: unclosed action"),
        // A verb other than v/s/x/X/q that consumes a token prints Go's `parse.item` struct field by field
        // (type, byte offset after the 112 bytes of Prometheus's variable definitions, text, line); as
        // promtool prints it (mutdiff-s2-16's two struct-shaped names).
        ("b%)x", "{{ 1 } }}",
         "template: __alert_b{%!)(parse.itemType=2) %!)(parse.Pos=117) %!)(string=}) %!)(int=1)}x:1: unexpected operand in %!s(MISSING)"),
        ("b%dx", "{{ 1 } }}", "template: __alert_b{2 117 %!d(string=}) 1}x:1: unexpected operand in %!s(MISSING)"),
        ("b%5.1sx", "{{ 1 } }}", "template: __alert_b    \"x:1: unexpected operand in %!s(MISSING)"),
    ]

    @Test(arguments: percentNameCases)
    func percentInTheAlertNameGarblesTheTextAsGoDoes(name: String, text: String, expected: String) {
        let err = AlertTemplateExpander.checkAlertTemplate(alertName: name, text: text)
        #expect(err?.description == expected)
    }

    @Test func hugeTemplateParses() throws {
        let text = String(repeating: "{{ $labels.instance }} is {{ $value | humanize }}; ", count: 20_000)
        #expect(AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: text) == nil)
    }

    @Test func functionsAreResolvedAgainstTheGivenSet() {
        #expect(throws: TemplateError.self) { try GoTemplate(name: "t", text: "{{ humanize 1 }}", functions: .builtins) }
        #expect((try? GoTemplate(name: "t", text: "{{ printf \"%d\" 1 }}", functions: .builtins)) != nil)
    }
}

extension TemplateParseErrorTests {
    @Test func errorsCarryPositions() throws {
        let parse = AlertTemplateExpander.checkAlertTemplate(alertName: "X", text: "a\nb\n{{ nope }}")
        #expect(parse?.line == 3)
        #expect(parse?.column == nil)
        let t = try GoTemplate(name: "t", text: "x\n  {{ humanize \"q\" }}")
        do {
            _ = try t.execute(.invalid)
            Issue.record("expected an execution error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 5)
        }
    }
}
