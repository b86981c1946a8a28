import ConfigModel

/// Maps byte offsets inside a YAML scalar's value (a PromQL expression, a template) back to file
/// positions, for plain, quoted, literal (`|`) and folded (`>`) scalars, single- or multi-line.
///
/// It aligns each source line of the scalar with the value text; where alignment is impossible (escape
/// sequences in double-quoted strings) it falls back to the scalar's start.
public struct ExprLocator: Sendable {
    /// (first value byte offset of the segment, file line, file column of that byte).
    struct Segment: Sendable {
        var valueOffset: Int
        var line: Int
        var column: Int
        /// Value bytes of the segment, to count columns within it.
        var scalars: [Unicode.Scalar]
    }

    let segments: [Segment]
    let fallback: SourcePosition

    /// A locator that maps everything to `position`.
    public init(fixed position: SourcePosition) {
        segments = []
        fallback = position
    }

    public init(node: Node, value: String, source: SourceText?) {
        fallback = SourcePosition(node.mark)
        guard let source, case .scalar(_, let style) = node.content else {
            segments = []
            return
        }
        let valueScalars = Array(value.unicodeScalars)
        // Byte offset of each scalar index.
        var byteAt: [Int] = []
        byteAt.reserveCapacity(valueScalars.count + 1)
        var b = 0
        for s in valueScalars {
            byteAt.append(b)
            b &+= UTF8.width(s)
        }
        byteAt.append(b)

        var segs: [Segment] = []
        var cursor = 0
        let isBlock = style == .literal || style == .folded
        let firstLine = node.mark.line
        let lastLine = max(node.endMark.line, firstLine)
        for lineNo in firstLine...min(lastLine, firstLine &+ 10_000) {
            guard let text = source.line(lineNo) else { break }
            var chars = Array(text.unicodeScalars)
            var col = 1
            if lineNo == firstLine {
                if isBlock { continue }
                let skip = min(max(node.mark.column - 1, 0), chars.count)
                chars.removeFirst(skip)
                col += skip
                if style == .singleQuoted || style == .doubleQuoted, chars.first == "'" || chars.first == "\"" {
                    chars.removeFirst()
                    col += 1
                }
            }
            while let f = chars.first, f == " " || f == "\t" {
                chars.removeFirst()
                col += 1
            }
            if chars.isEmpty { continue }
            while cursor < valueScalars.count, valueScalars[cursor] == " " || valueScalars[cursor] == "\n"
                || valueScalars[cursor] == "\t"
            {
                cursor += 1
            }
            guard cursor < valueScalars.count else { break }
            var n = 0
            while n < chars.count, cursor + n < valueScalars.count, chars[n] == valueScalars[cursor + n] { n += 1 }
            if n == 0 { continue }
            segs.append(Segment(valueOffset: byteAt[cursor], line: lineNo, column: col,
                                scalars: Array(valueScalars[cursor..<(cursor + n)])))
            cursor += n
        }
        segments = segs
    }

    /// The file position of byte `offset` in the value.
    public func position(ofByte offset: Int) -> SourcePosition {
        guard let seg = segments.last(where: { $0.valueOffset <= offset }) else { return fallback }
        var bytes = seg.valueOffset
        var col = seg.column
        for s in seg.scalars {
            if bytes >= offset { break }
            bytes &+= UTF8.width(s)
            col &+= 1
        }
        return SourcePosition(line: seg.line, column: col)
    }

    /// The file span of the value bytes `[start, end)`.
    public func range(start: Int, end: Int) -> SourceRange {
        SourceRange(start: position(ofByte: start), end: position(ofByte: max(start, end)))
    }
}
