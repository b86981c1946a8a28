import Testing
@testable import Lint

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("rules/*.yml", "rules/a.yml", true),
        ("rules/*.yml", "rules/sub/a.yml", false),
        ("rules/**/*.yml", "rules/sub/deep/a.yml", true),
        ("rules/**/*.yml", "rules/a.yml", true),
        ("*.rules.yml", "x/y/api.rules.yml", true),
        ("legacy/**", "legacy/a/b.yml", true),
        ("legacy/**", "other/a.yml", false),
        ("r?.y[am]l", "r1.yml", true),
        ("r[!0-9].yml", "r1.yml", false),
        ("./a.yml", "a.yml", true),
    ])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected)
    }

    @Test func hostilePatternTerminates() {
        let p = GlobPattern(String(repeating: "**/", count: 200) + "x")
        #expect(!p.matches(String(repeating: "a/", count: 200) + "y"))
    }
}
