import Testing
@testable import Lint

/// Line splitting on bytes gives the lines the character-based split gave.
@Suite struct SourceTextTests {
    static func characterSplit(_ text: String) -> [Substring] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
    }

    @Test func matchesTheCharacterBasedSplit() {
        let pieces = ["\n", "\r", "\r\n", "a", "é", "e\u{301}", "\u{301}", " ", "😀", "\n\n", "\r\r", "x: 1"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &rng) { text += pieces.randomElement(using: &rng) ?? "" }
            #expect(SourceText.splitLines(text).map(String.init) == Self.characterSplit(text).map(String.init),
                    "\(Array(text.unicodeScalars))")
        }
        #expect(SourceText.splitLines("").map(String.init) == [""])
        #expect(SourceText.splitLines("a\nb\r").map(String.init) == ["a", "b"])
    }
}
