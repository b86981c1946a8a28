/// A value read from a rule file together with the position of the YAML node it came from.
public struct Positioned<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The decoded value.
    public var value: Value
    /// Where its node starts in the file (1-based line and column).
    public var mark: Mark

    public init(_ value: Value, at mark: Mark) {
        self.value = value
        self.mark = mark
    }
}

/// A scalar string that keeps enough of its source to map an offset inside the value back to the file.
///
/// Used for `expr` (PromQL errors carry positions inside the expression) and for label and annotation
/// values (template errors). Quoted, plain multi-line, literal (`|`) and folded (`>`) styles are handled.
public struct PositionedText: Sendable, Equatable {
    /// The decoded text, exactly what Prometheus sees.
    public var value: String
    /// Where the node starts (for block scalars: the `|` or `>` indicator); what Prometheus reports.
    public var mark: Mark
    /// The style the scalar was written in.
    public var style: Node.ScalarStyle
    /// The position of the first character of the text itself in the file (computed on demand: only
    /// errors need it).
    public var contentMark: Mark { fileMark(forScalarIndex: 0) }
    /// The file the node came from and the span it covers; the raw source text is sliced from it only
    /// when an offset has to be mapped back (errors), so loading stays cheap.
    let source: SourceText?
    let rawStart: Mark
    let rawEnd: Mark

    /// The source text the node spans (internal, for offset mapping).
    var raw: String { source?.slice(from: rawStart, to: rawEnd) ?? "" }

    struct SourceChar: Sendable, Equatable {
        var scalar: Unicode.Scalar
        var mark: Mark
    }

    /// True for a literal (`|`) or folded (`>`) block scalar.
    public var isBlock: Bool { style == .literal || style == .folded }

    init(value: String, node: Node, source: SourceText?) {
        self.value = value
        self.mark = node.mark
        if case .scalar(_, let style) = node.content { self.style = style } else { self.style = .plain }
        self.source = source
        self.rawStart = node.mark
        self.rawEnd = node.endMark
    }

    /// A text with no source (built in code); offsets map to its mark.
    public init(_ value: String, at mark: Mark) {
        self.value = value
        self.mark = mark
        self.style = .plain
        self.source = nil
        self.rawStart = mark
        self.rawEnd = mark
    }

    public static func == (a: PositionedText, b: PositionedText) -> Bool {
        a.value == b.value && a.mark == b.mark && a.style == b.style
    }

    /// The file position of the character at UTF-8 byte offset `offset` of `value` (clamped to the text).
    public func fileMark(forUTF8Offset offset: Int) -> Mark {
        var index = 0
        var bytes = 0
        for u in value.unicodeScalars {
            if bytes >= offset { break }
            bytes &+= UTF8.width(u)
            index &+= 1
        }
        return fileMark(forScalarIndex: index)
    }

    /// The file position of `line:column` inside `value` as PromQL reports it (1-based line; column in
    /// UTF-8 bytes from the line start, 1-based).
    public func fileMark(forLine line: Int, byteColumn column: Int) -> Mark {
        var offset = 0
        var currentLine = 1
        let bytes = Array(value.utf8)
        while currentLine < line, offset < bytes.count {
            if bytes[offset] == 0x0A { currentLine &+= 1 }
            offset &+= 1
        }
        return fileMark(forUTF8Offset: offset &+ max(0, column &- 1))
    }

    /// The file position of the `index`-th Unicode scalar of `value`, found by aligning the decoded text
    /// with its source: indentation, line folding, quotes and escapes exist only in the source.
    public func fileMark(forScalarIndex target: Int) -> Mark {
        let source = sourceChars()
        guard !source.isEmpty else { return mark }
        var j = 0
        // Skip what precedes the text: the block header line, or the opening quote.
        switch style {
        case .literal, .folded:
            while j < source.count, source[j].scalar != "\n" { j &+= 1 }
            if j < source.count { j &+= 1 }
        case .singleQuoted, .doubleQuoted:
            j = 1
        case .plain:
            break
        }
        var lastMatched: Int? = nil
        var i = 0
        for e in value.unicodeScalars {
            if i >= target { break }
            guard j < source.count else { break }
            let matched = align(e, from: &j, in: source)
            if let m = matched { lastMatched = m }
            i &+= 1
        }
        // Position of the target scalar: the next source scalar that is not layout.
        if i == target, j < source.count {
            var k = j
            let targetScalar = value.unicodeScalars.dropFirst(target).first
            while k < source.count {
                let s = source[k].scalar
                if let t = targetScalar, s == t { return source[k].mark }
                if !isLayout(s) { return source[k].mark }
                k &+= 1
            }
        }
        if let m = lastMatched, m < source.count {
            let prev = source[m].mark
            return Mark(line: prev.line, column: prev.column &+ 1)
        }
        return j < source.count ? source[j].mark : (source.last?.mark ?? mark)
    }

    /// The raw source scalars with their file positions.
    private func sourceChars() -> [SourceChar] {
        var out: [SourceChar] = []
        var line = rawStart.line
        var column = rawStart.column
        for u in raw.unicodeScalars {
            out.append(SourceChar(scalar: u, mark: Mark(line: line, column: column)))
            if u == "\n" {
                line &+= 1
                column = 1
            } else {
                column &+= 1
            }
        }
        return out
    }

    private func isLayout(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\\" || (style == .singleQuoted && s == "'") || (style == .doubleQuoted && s == "\"")
    }

    /// Consumes source scalars for one decoded scalar `e`; returns the source index it matched, if any.
    private func align(_ e: Unicode.Scalar, from j: inout Int, in source: [SourceChar]) -> Int? {
        while j < source.count {
            let s = source[j].scalar
            if s == e {
                // A doubled single quote decodes to one quote.
                if style == .singleQuoted, s == "'", j &+ 1 < source.count, source[j &+ 1].scalar == "'" {
                    j &+= 2
                    return j &- 2
                }
                j &+= 1
                return j &- 1
            }
            if style == .doubleQuoted, s == "\\" {
                // An escape sequence decodes to one scalar: consume it whole.
                var k = j &+ 1
                if k < source.count {
                    let c = source[k].scalar
                    let hexLength: Int
                    switch c {
                    case "x": hexLength = 2
                    case "u": hexLength = 4
                    case "U": hexLength = 8
                    case "\n":
                        // Escaped line break: no scalar; skip it and the next line's indentation.
                        j = k &+ 1
                        continue
                    default: hexLength = 0
                    }
                    k &+= 1 &+ hexLength
                }
                let at = j
                j = min(k, source.count)
                return at
            }
            if s == " " || s == "\t" || s == "\n" || s == "\r" {
                // Decoded whitespace that source folding produced: consume the source run.
                if e == " " || e == "\n" {
                    let at = j
                    while j < source.count, source[j].scalar == " " || source[j].scalar == "\t" || source[j].scalar == "\n" || source[j].scalar == "\r" {
                        j &+= 1
                        if e == "\n" && source[j &- 1].scalar == "\n" { break }
                    }
                    return at
                }
                j &+= 1
                continue
            }
            // Folding made a space or newline where the source has none: consume nothing.
            if e == " " || e == "\n" { return nil }
            j &+= 1
        }
        return nil
    }
}

/// The text of a rule file split for position lookups (columns count Unicode scalars, like `Mark`).
struct SourceText: Sendable {
    /// The file's UTF-8 bytes and the byte offset where each line starts (cheap to keep: no per-character
    /// storage, and copies share the buffers).
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ text: String) {
        bytes = Array(text.utf8)
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { starts.append(i &+ 1) }
        lineStarts = starts
    }

    /// End (exclusive) of line `index`'s content: before its `\n`, and before a `\r` that precedes it.
    private func lineEnd(_ index: Int) -> Int {
        let start = lineStarts[index]
        var end = index &+ 1 < lineStarts.count ? lineStarts[index &+ 1] &- 1 : bytes.count
        if end < bytes.count, bytes[end] == 0x0A, end > start, bytes[end &- 1] == 0x0D { end &-= 1 }
        return max(start, end)
    }

    /// Offset of the scalar after the one starting at `i`.
    private func nextScalar(_ i: Int, limit: Int) -> Int {
        var j = i &+ 1
        while j < limit, bytes[j] & 0xC0 == 0x80 { j &+= 1 }
        return j
    }

    /// The text from `start` up to `end` (exclusive), columns counted in scalars, line breaks as `\n`.
    func slice(from start: Mark, to end: Mark) -> String {
        guard start.line >= 1, start.line <= lineStarts.count else { return "" }
        var out: [UInt8] = []
        var line = start.line
        var column = max(1, start.column)
        while line <= lineStarts.count {
            let le = lineEnd(line &- 1)
            var pos = lineStarts[line &- 1]
            var col = 1
            while col < column && pos < le {
                pos = nextScalar(pos, limit: le)
                col &+= 1
            }
            while pos < le {
                if line > end.line || (line == end.line && col >= end.column) { return String(decoding: out, as: UTF8.self) }
                let n = nextScalar(pos, limit: le)
                out.append(contentsOf: bytes[pos..<n])
                pos = n
                col &+= 1
            }
            if line >= end.line { return String(decoding: out, as: UTF8.self) }
            out.append(0x0A)
            line &+= 1
            column = 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
