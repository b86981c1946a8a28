import Testing
import TestSupport
@testable import Engine
import TestSupport

/// Random token soups must parse or fail cleanly, and whatever parses must execute or fail cleanly.
@Suite struct TemplateRobustnessTests {
    static let pieces = ["{{", "}}", "{{-", "-}}", " ", "if", "else", "end", "range", "with", "define", "template", "block",
                         "break", "continue", "$labels", "$value", "$x", ":=", "=", "|", "(", ")", ".Labels", ".Value", ".",
                         "\"s\"", "`r`", "'c'", "1", "-2.5e3", "0x1F", "1i", "nil", "true", "humanize", "printf", "\"%d\"",
                         "index", "len", "eq", "lt", "and", "query", "first", "\n", "/*", "*/", ",", "$i", "$v", "\u{A0}",
                         "é", "\\", "\"", "args", "toTime", "slice", "call", "html", "title"]

    @Test func randomTemplatesNeverCrash() {
        var rng = TestRNG(seed: 42)
        let expander = AlertTemplateExpander(alertName: "R", labels: ["a": "b"], value: 1, timestampMillis: 0,
                                             query: { _ in [QueryResultSample(labels: ["x": "y"], value: 2)] })
        var parsed = 0
        for _ in 0..<3000 {
            let n = Int.random(in: 1...14, using: &rng)
            var text = ""
            for _ in 0..<n { text += Self.pieces.randomElement(using: &rng) ?? "" }
            let check = AlertTemplateExpander.checkAlertTemplate(alertName: "R", text: text)
            let out = expander.expandForAlert(text)
            if check == nil {
                parsed += 1
                #expect(!out.hasPrefix("<error expanding template: error parsing"))
            } else {
                #expect(out.hasPrefix("<error expanding template: error parsing template __alert_R: "))
                #expect(check?.description.hasPrefix("template: __alert_R:") == true)
            }
        }
        #expect(parsed > 0)
    }
}
