import ConfigModel

/// Maps byte offsets inside a YAML scalar's value (a PromQL expression, a template) back to file
/// positions, for plain, quoted, literal (`|`) and folded (`>`) scalars, single- or multi-line.
///
/// Each value character is aligned with the source character it came from (escape sequences of quoted
/// scalars included); where alignment is impossible it falls back to the nearest aligned character, or to
/// the scalar's start.
public struct ExprLocator: Sendable {
    /// One aligned value character: its byte offset in the value and its position in the file.
    struct Anchor: Sendable {
        var valueOffset: Int
        var line: Int
        var column: Int
    }

    let anchors: [Anchor]
    /// Total UTF-8 length of the value.
    let valueLength: Int
    let fallback: SourcePosition

    /// A locator that maps everything to `position`.
    public init(fixed position: SourcePosition) {
        anchors = []
        valueLength = 0
        fallback = position
    }

    public init(node: Node, value: String, source: SourceText?) {
        fallback = SourcePosition(node.mark)
        valueLength = value.utf8.count
        guard let source, case .scalar(_, let style) = node.content else {
            anchors = []
            return
        }
        let valueScalars = Array(value.unicodeScalars)
        var byteAt: [Int] = []
        byteAt.reserveCapacity(valueScalars.count + 1)
        var b = 0
        for s in valueScalars {
            byteAt.append(b)
            b &+= UTF8.width(s)
        }
        byteAt.append(b)

        var out: [Anchor] = []
        var cursor = 0
        let isBlock = style == .literal || style == .folded
        let firstLine = node.mark.line
        let lastLine = max(node.endMark.line, firstLine)
        lineLoop: for lineNo in firstLine...min(lastLine, firstLine &+ 100_000) {
            guard let text = source.line(lineNo) else { break }
            let chars = Array(text.unicodeScalars)
            var i = 0
            if lineNo == firstLine {
                if isBlock { continue }
                i = min(max(node.mark.column - 1, 0), chars.count)
                if style == .singleQuoted || style == .doubleQuoted, i < chars.count, chars[i] == "'" || chars[i] == "\"" {
                    i += 1
                }
            }
            while i < chars.count, chars[i] == " " || chars[i] == "\t" { i += 1 }
            if i >= chars.count { continue }
            // Folding turns line breaks into spaces or newlines: skip those in the value.
            while cursor < valueScalars.count, valueScalars[cursor] == " " || valueScalars[cursor] == "\n"
                || valueScalars[cursor] == "\t"
            {
                cursor += 1
            }
            while i < chars.count, cursor < valueScalars.count {
                let c = chars[i]
                let special = (style == .doubleQuoted && c == "\\") || (style == .singleQuoted && c == "'")
                if c == valueScalars[cursor] && !special {
                    out.append(Anchor(valueOffset: byteAt[cursor], line: lineNo, column: i + 1))
                    i += 1
                    cursor += 1
                    continue
                }
                if style == .singleQuoted, c == "'", i + 1 < chars.count, chars[i + 1] == "'", valueScalars[cursor] == "'" {
                    out.append(Anchor(valueOffset: byteAt[cursor], line: lineNo, column: i + 1))
                    i += 2
                    cursor += 1
                    continue
                }
                if style == .doubleQuoted, c == "\\", i + 1 < chars.count {
                    let width = Self.escapeWidth(chars[i + 1])
                    if width == 0 { continue lineLoop }  // escaped line break
                    out.append(Anchor(valueOffset: byteAt[cursor], line: lineNo, column: i + 1))
                    i += width
                    cursor += 1
                    continue
                }
                break
            }
            if cursor >= valueScalars.count { break }
        }
        anchors = out
    }

    /// Source characters an escape takes after the backslash's position (`\"` 2, `\x41` 4, …); 0 for a
    /// line continuation.
    static func escapeWidth(_ c: Unicode.Scalar) -> Int {
        switch c {
        case "x": return 4
        case "u": return 6
        case "U": return 10
        default: return 2
        }
    }

    /// The file position of byte `offset` in the value.
    public func position(ofByte offset: Int) -> SourcePosition {
        guard !anchors.isEmpty else { return fallback }
        // Last anchor at or before the offset (binary search: anchors are in value order).
        var lo = 0, hi = anchors.count - 1
        guard anchors[0].valueOffset <= offset else { return SourcePosition(line: anchors[0].line, column: anchors[0].column) }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if anchors[mid].valueOffset <= offset { lo = mid } else { hi = mid - 1 }
        }
        let a = anchors[lo]
        if a.valueOffset == offset { return SourcePosition(line: a.line, column: a.column) }
        // Past the last aligned character (e.g. the end of the value): one column after it.
        return SourcePosition(line: a.line, column: a.column &+ 1)
    }

    /// The file span of the value bytes `[start, end)`.
    public func range(start: Int, end: Int) -> SourceRange {
        SourceRange(start: position(ofByte: start), end: position(ofByte: max(start, end)))
    }
}
