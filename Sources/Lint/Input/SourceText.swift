/// The text of one input file, split into lines for comment scanning and position mapping.
public struct SourceText: Sendable {
    public var path: String
    public var text: String
    /// Lines without their terminators; index 0 is line 1.
    public var lines: [Substring]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = Self.splitLines(text)
    }

    /// Splits where a `\n` character is, as `split(separator: "\n")` does on characters: a `\r\n` pair is
    /// one character and does not split; a line's trailing `\r` is dropped. Works on UTF-8 bytes
    /// (`\n` and `\r` always end a character, so every cut is on a character boundary).
    static func splitLines(_ text: String) -> [Substring] {
        let utf8 = text.utf8
        var out: [Substring] = []
        var lineStart = utf8.startIndex
        var previous: UInt8 = 0
        var i = utf8.startIndex
        func add(_ end: String.Index) {
            var stop = end
            if stop > lineStart {
                let last = utf8.index(before: stop)
                if utf8[last] == 0x0D { stop = last }
            }
            out.append(text[lineStart..<stop])
        }
        while i < utf8.endIndex {
            let b = utf8[i]
            if b == 0x0A && previous != 0x0D {
                add(i)
                lineStart = utf8.index(after: i)
            }
            previous = b
            utf8.formIndex(after: &i)
        }
        add(utf8.endIndex)
        return out
    }

    /// Line `n` (1-based), or nil when out of range.
    public func line(_ n: Int) -> Substring? {
        guard n >= 1, n <= lines.count else { return nil }
        return lines[n - 1]
    }
}
