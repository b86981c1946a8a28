import Testing
@testable import Regexp

/// Where Go's regexp/syntax rejects what RE2 accepts: `\C`, and parse trees higher than 1,000 nodes
/// (real promtool 2.42: a relabel regex of 998 nested groups passes, 999 fails, as `^(?s:…)$` adds a level).
@Suite struct RegexpSyntaxLimitsTests {
    private static func groups(_ n: Int) -> String {
        String(repeating: "(", count: n) + "a" + String(repeating: ")", count: n)
    }

    @Test(arguments: ["\\C", "a\\Cb", "[\\C]", "(?:x|\\C)+"])
    func backslashCIsAnInvalidEscape(_ pattern: String) {
        #expect(throws: RegexpError(code: .invalidEscape, fragment: "\\C")) { try Regexp(pattern) }
    }

    @Test(arguments: ["\\\\C", "\\QC\\E", "\\Q\\C\\E"])
    func backslashCThatIsNotAnEscapeIsFine(_ pattern: String) throws {
        _ = try Regexp(pattern)
    }

    @Test func nestingLimitIsGos() throws {
        _ = try Regexp.anchored(Self.groups(998))
        _ = try Regexp(Self.groups(999))
        let deep = "^(?s:" + Self.groups(999) + ")$"
        #expect(throws: RegexpError(code: .nestingDepth, fragment: deep)) { try Regexp.anchored(Self.groups(999)) }
        #expect(throws: RegexpError(code: .nestingDepth, fragment: Self.groups(20_000))) { try Regexp(Self.groups(20_000)) }
        #expect(RegexpError(code: .nestingDepth, fragment: "x").description == "error parsing regexp: expression nests too deeply: `x`")
    }

    /// Non-capturing groups and flags add no level; long flat patterns stay far below the limit.
    @Test func wideOrNonCapturingPatternsAreFine() throws {
        _ = try Regexp(String(repeating: "(?:", count: 5_000) + "a" + String(repeating: ")", count: 5_000))
        _ = try Regexp(Array(repeating: "(a|b)*", count: 5_000).joined())
        _ = try Regexp(Array(repeating: "foo", count: 5_000).joined(separator: "|"))
    }

    /// Hostile patterns (seeded random strings over the syntax characters) never crash the pre-check, and
    /// whatever it accepts RE2 judges as before.
    @Test func randomPatternsNeverCrash() {
        let alphabet = Array("()[]{}|*+?\\^$.:,<>PQECpx0123aZ-".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 58) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            _ = try? Regexp(String(decoding: bytes, as: UTF8.self))
        }
    }
}
