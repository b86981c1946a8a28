import Testing
@testable import Regexp

@Test func anchoredMatchIsWhole() throws {
    let re = try Regexp.anchored("a+b")
    #expect(re.matches("aab"))
    #expect(!re.matches("xaab"))
    #expect(!re.matches("aabx"))
}

@Test func dotMatchesNewlineWhenAnchored() throws {
    #expect(try Regexp.anchored("a.b").matches("a\nb"))
}

@Test(arguments: [
    ("[", "error parsing regexp: missing closing ]: `[)$`"),
    ("(", "error parsing regexp: missing closing ): `^(?s:()$`"),
    ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
    ("\\8", "error parsing regexp: invalid escape sequence: `\\8`"),
])
func compileErrorsReadAsGo(pattern: String, message: String) {
    #expect(throws: RegexpError.self) { try Regexp.anchored(pattern) }
    do {
        _ = try Regexp.anchored(pattern)
    } catch {
        #expect(error.description == message)
    }
}

@Test func expandFollowsGo() throws {
    let re = try Regexp.anchored("(?P<host>[^:]+):(\\d+)")
    let src = Array("example.org:9100".utf8)
    let m = try #require(re.match(src))
    #expect(re.expand("${1}-$2", source: src, match: m) == "example.org-9100")
    #expect(re.expand("$1x", source: src, match: m) == "")
    #expect(re.expand("${host}$$", source: src, match: m) == "example.org$")
    #expect(re.expand("$", source: src, match: m) == "$")
}

@Test func replaceAllFollowsGo() throws {
    let re = try Regexp("a*")
    #expect(re.replaceAll(in: "baaac", with: "X") == "XbXcX")
    let re2 = try Regexp("(\\w+)@")
    #expect(re2.replaceAll(in: "me@x you@y", with: "<$1>") == "<me>x <you>y")
}

@Test func hostilePatternIsLinear() throws {
    let re = try Regexp.anchored("(a*)*b")
    #expect(!re.matches(String(repeating: "a", count: 100_000)))
}

/// Go 1.22+ accepts `(?<name>…)` beside `(?P<name>…)`; escapes and classes holding `(?<` are left alone.
@Test func angleBracketNamedGroupsAsGo() throws {
    let re = try Regexp.anchored("(line1).*(?<second>line2)")
    #expect(re.groupNames == [nil, nil, "second"])
    #expect(Regexp.rewritingNamedGroups(Array(#"\(?<x>[(?<]"#.utf8)) == Array(#"\(?<x>[(?<]"#.utf8))
    #expect(throws: RegexpError.self) { try Regexp("(?<=a)b") }
}
