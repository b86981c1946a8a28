import Testing
@testable import Engine

/// Random token soups must parse or fail cleanly, and whatever parses must execute or fail cleanly.
@Suite struct TemplateRobustnessTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["{{", "}}", "{{-", "-}}", " ", "if", "else", "end", "range", "with", "define", "template", "block",
                         "break", "continue", "$labels", "$value", "$x", ":=", "=", "|", "(", ")", ".Labels", ".Value", ".",
                         "\"s\"", "`r`", "'c'", "1", "-2.5e3", "0x1F", "1i", "nil", "true", "humanize", "printf", "\"%d\"",
                         "index", "len", "eq", "lt", "and", "query", "first", "\n", "/*", "*/", ",", "$i", "$v", "\u{A0}",
                         "é", "\\", "\"", "args", "toTime", "slice", "call", "html", "title"]

    @Test func randomTemplatesNeverCrash() {
        var rng = SplitMix(state: 42)
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
