import Testing
@testable import Lint
@Test func catalogueVersion() { #expect(LintInfo.catalogueVersion >= 1) }
