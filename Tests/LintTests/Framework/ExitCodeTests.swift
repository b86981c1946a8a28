import Testing
@testable import Lint

@Suite struct ExitCodeTests {
    func result(_ sevs: [(Severity, CheckID)]) -> LintResult {
        LintResult(diagnostics: sevs.map {
            Diagnostic(file: "f", range: .fileStart, severity: $0.0, message: "m", check: $0.1)
        }, filesChecked: [], configurationFile: nil)
    }

    @Test func exitCodes() {
        #expect(result([]).exitCode(failOn: .warning) == 0)
        #expect(result([(.info, "rules/recording-name")]).exitCode(failOn: .warning) == 0)
        #expect(result([(.info, "rules/recording-name")]).exitCode(failOn: .info) == 3)
        #expect(result([(.warning, "labels/reserved")]).exitCode(failOn: .warning) == 3)
        #expect(result([(.warning, "labels/reserved")]).exitCode(failOn: .error) == 0)
        #expect(result([(.error, "labels/value-in-label")]).exitCode(failOn: .error) == 3)
        #expect(result([(.warning, "labels/reserved")]).exitCode(failOn: nil) == 0)
        #expect(result([(.error, InputErrors.rules), (.warning, "labels/reserved")]).exitCode(failOn: .warning) == 1)
        #expect(result([(.info, InputErrors.unrecognised)]).exitCode(failOn: .warning) == 0)
    }

    @Test func catalogueIsConsistent() {
        let infos = CheckCatalogue.standard.infos
        #expect(Set(infos.map(\.id)).count == infos.count)
        for i in infos {
            #expect(i.id.rawValue.contains("/"))
            #expect(!i.summary.isEmpty && !i.doc.isEmpty)
            #expect(CheckDocs.explain(i.id.rawValue, .standard)?.contains(i.doc) == true)
        }
        #expect(CheckDocs.explain("nope/nope", .standard) == nil)
        #expect(CheckDocs.list(.standard).split(separator: "\n").count == infos.count)
    }
}
