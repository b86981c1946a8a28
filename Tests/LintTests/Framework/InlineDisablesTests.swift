import Testing
@testable import Lint

@Suite struct InlineDisablesTests {
    @Test func parsesDirectivesAndIgnoresProse() {
        let src = SourceText(path: "x", text: """
            a: 1 # promtool-swift: disable=labels/reserved, rules/duplicate -- reason, more
            # promtool-swift: disable-file=interval/*
            b: "promtool-swift: disable=not-a-comment"
            """)
        let d = InlineDisables(source: src)
        #expect(d.byLine[1] == ["labels/reserved", "rules/duplicate"])
        #expect(d.fileWide == ["interval/*"])
        #expect(d.byLine[3] == nil)
    }

    @Test func suppressesOnLineLineAboveAndRuleScope() {
        let src = SourceText(path: "x", text: "# promtool-swift: disable=labels/reserved\nx\ny\nz\n")
        let d = InlineDisables(source: src)
        func diag(_ line: Int, scope: Int? = nil, id: CheckID = "labels/reserved") -> Diagnostic {
            Diagnostic(file: "x", range: SourceRange(at: SourcePosition(line: line, column: 1)), severity: .warning,
                       message: "m", check: id, scopeLine: scope)
        }
        #expect(d.suppresses(diag(1)))
        #expect(d.suppresses(diag(2)))
        #expect(!d.suppresses(diag(3)))
        #expect(d.suppresses(diag(4, scope: 2)))
        #expect(!d.suppresses(diag(2, id: "labels/utf8-name")))
    }

    @Test func disableInRuleFileSuppressesOnlyThatRule() throws {
        let rules = """
                  # promtool-swift: disable=labels/required-labels
                  - alert: A
                    expr: up == 0
                    annotations: {summary: s}
                  - alert: B
                    expr: up == 0
                    annotations: {summary: s}

            """
        let ds = only("labels/required-labels", try lintFiles(["r.yml": ruleFile(rules)]))
        #expect(ds.count == 1)
        #expect(ds.first?.message.contains("\"B\"") == true)
    }

    @Test func disableFileAndAllAndCategory() throws {
        let rules = """
                  - alert: A
                    expr: up == 0
                  - record: x
                    expr: up
                    labels: {__bad: "1"}

            """
        let all = try lintFiles(["r.yml": "# promtool-swift: disable-file=all\n" + ruleFile(rules)])
        #expect(all.isEmpty)
        let cat = try lintFiles(["r.yml": "# promtool-swift: disable-file=labels/*\n" + ruleFile(rules)])
        #expect(!cat.isEmpty)
        #expect(cat.allSatisfy { $0.check.category != "labels" })
    }
}
