import Testing
import TestSupport
@testable import Engine

@Suite struct PromQLErrorTests {
    @Test func tableHasEnoughCases() {
        #expect(promQLErrorCases.count >= 200)
        #expect(promQLErrorCases.filter(\.oracle).count >= 200)
    }

    @Test func invalidExpressionsReportPrometheusErrors() {
        for c in promQLErrorCases {
            let opts = c.allFeatures ? ParserOptions.allEnabled : ParserOptions()
            do {
                let e = try PromQLParser.parse(c.expr, options: opts)
                Issue.record("\(c.expr) parsed as \(e) but should fail with \(c.error)")
            } catch {
                #expect(error.description == c.error, "\(c.expr)")
                #expect(!error.errors.isEmpty)
                for item in error.errors {
                    #expect(item.position.start >= 0 && item.position.start <= c.expr.utf8.count, "\(c.expr): \(item)")
                }
            }
        }
    }

    @Test func validExpressionsFromTheSameSourcesParse() {
        for c in promQLValidCases {
            let opts = c.allFeatures ? ParserOptions.allEnabled : ParserOptions()
            #expect(throws: Never.self, "\(c.expr)") { try PromQLParser.parse(c.expr, options: opts) }
        }
    }

    /// Prometheus reports every error it finds; the first one is printed.
    @Test func multipleErrorsAreListedInOrder() throws {
        let cases: [(String, [String])] = [
            ("foo and on(bar) group_left(baz) bar", [
                #"1:1: parse error: no grouping allowed for "and" operation"#,
                "1:1: parse error: set operations must always be many-to-many",
            ]),
            ("1 or on(bar) foo", [
                "1:1: parse error: vector matching only allowed between instant vectors",
                #"1:1: parse error: set operator "or" not allowed in binary scalar expression"#,
            ]),
            ("foo and bool 10", [
                "1:5: parse error: bool modifier can only be used on comparison operators",
                #"1:1: parse error: set operator "and" not allowed in binary scalar expression"#,
            ]),
            ("topk(some_metric,)", [
                "1:17: parse error: trailing commas not allowed in function call args",
                "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1",
            ]),
            ("foo[5y1hs]", [
                #"1:5: parse error: unknown unit "hs" in duration "5y1hs""#,
                "1:5: parse error: duration must be greater than 0",
            ]),
            ("foo[5s/0d]", [
                "1:7: parse error: division by zero",
                "1:1: parse error: duration must be greater than 0",
            ]),
        ]
        for (expr, want) in cases {
            do {
                _ = try PromQLParser.parse(expr, options: .allEnabled)
                Issue.record("\(expr) should fail")
            } catch {
                #expect(error.errors.map(\.description) == want, "\(expr)")
            }
        }
    }

    @Test func positionsCountLinesAndBytes() throws {
        do {
            _ = try PromQLParser.parse("sum(\n  rate(foo[5m])\n) +\n  bar{a=}")
            Issue.record("should fail")
        } catch {
            #expect(error.description == #"4:9: parse error: unexpected "}" in label matching, expected string"#)
            #expect(error.errors[0].line == 4)
            #expect(error.errors[0].column == 9)
            #expect(error.description(lineOffset: 10) == #"14:9: parse error: unexpected "}" in label matching, expected string"#)
        }
        do {
            _ = try PromQLParser.parse("")
            Issue.record("should fail")
        } catch {
            #expect(error.description == "unknown position: parse error: no expression found in input")
        }
    }

    @Test func experimentalSyntaxNeedsItsOption() {
        let cases: [(String, String)] = [
            ("foo[1m+1m]", "1:5: parse error: experimental duration expression is not enabled"),
            ("foo offset (1m)", "1:13: parse error: experimental duration expression is not enabled"),
            ("foo[5m] anchored", "1:1: parse error: anchored modifier is experimental and not enabled"),
            ("foo smoothed", "1:1: parse error: smoothed modifier is experimental and not enabled"),
            ("a + fill(0) b", "1:1: parse error: binop fill modifiers are experimental and not enabled"),
            ("limitk(1, foo)", "1:1: parse error: limitk() is experimental and must be enabled with --enable-feature=promql-experimental-functions"),
            ("sort_by_label(foo, \"a\")", #"1:1: parse error: function "sort_by_label" is not enabled"#),
        ]
        for (expr, want) in cases {
            do {
                _ = try PromQLParser.parse(expr)
                Issue.record("\(expr) should fail without options")
            } catch {
                #expect(error.description == want, "\(expr)")
            }
            #expect(throws: Never.self, "\(expr)") { try PromQLParser.parse(expr, options: .allEnabled) }
        }
    }

    @Test func invalidUTF8IsAPositionedError() {
        let inputs: [([UInt8], String)] = [
            (Array(#"some_metric{a=""#.utf8) + [0xFF] + Array(#""}"#.utf8), "1:15: parse error: invalid UTF-8 rune"),
            (Array("label_replace(a, `b`, `c".utf8) + [0xFF] + Array("`, `d`, `.*`)".utf8), "1:23: parse error: invalid UTF-8 rune"),
            ([0xC3, 0x28], "1:1: parse error: unexpected character: '\u{FFFD}'"),
            (Array("foo{".utf8) + [0xE2, 0x82] + Array("}".utf8), "1:5: parse error: unexpected character inside braces: '\u{FFFD}'"),
        ]
        for (bytes, want) in inputs {
            do {
                _ = try PromQLParser.parse(utf8: bytes)
                Issue.record("\(bytes) should fail")
            } catch {
                #expect(error.description == want)
            }
        }
    }
}
