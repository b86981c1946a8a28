/// Shared byte-level helpers of both parsers.
struct ByteScanner {
    let p: UnsafeBufferPointer<UInt8>
    /// End of the input (`p.count`; a piece of a streamed input ends earlier).
    var n: Int
    var i = 0
    var line = 1
    var lineStart = 0

    init(p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
    }

    /// The byte at `j`, or -1 past the end. (Reads past `n` see the lines after a streamed piece, which error
    /// texts quote as the whole input would.)
    @inline(__always) func at(_ j: Int) -> Int { j >= 0 && j < p.count ? Int(p[j]) : -1 }
    @inline(__always) var cur: Int { at(i) }

    @inline(__always) static func isNameStart(_ c: Int) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95 || c == 58
    }
    @inline(__always) static func isNameChar(_ c: Int) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }
    @inline(__always) static func isLabelStart(_ c: Int) -> Bool {
        (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c == 95
    }
    @inline(__always) static func isLabelChar(_ c: Int) -> Bool { isLabelStart(c) || (c >= 48 && c <= 57) }

    func error(_ msg: String, at pos: Int? = nil) -> ExpositionError {
        let at = pos ?? i
        return ExpositionError(line: line, column: max(1, at - lineStart + 1), message: msg)
    }

    /// The bytes of the current line from `from` up to and including `i` (clipped), for "while parsing" texts.
    /// Texts longer than `contextLimit` bytes are cut to their last `contextLimit` bytes, prefixed by `...`.
    func context(from: Int, through end: Int? = nil) -> String {
        let e = min(p.count, (end ?? i) + 1)
        var s = max(0, min(from, e))
        if e - s > Self.contextLimit {
            s = e - Self.contextLimit
            return "..." + ExpositionQuote.string(UnsafeBufferPointer(rebasing: p[s..<e]))
        }
        return ExpositionQuote.string(UnsafeBufferPointer(rebasing: p[s..<e]))
    }

    /// Longest quoted input excerpt in an error message (hostile inputs have megabyte lines).
    static let contextLimit = 4096

    func text(_ s: Int, _ e: Int) -> String {
        guard s >= 0, e <= p.count, s < e else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: p[s..<e]), as: UTF8.self)
    }

    mutating func skipBlanks() {
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
    }

    /// Scans a double-quoted string starting at `i` (which must be `"`): `"(\\.|[^\\"])*"`, optionally
    /// forbidding raw newlines. Returns the end (exclusive, after the closing quote) or nil if unterminated.
    /// Updates line counting for embedded newlines.
    mutating func scanQuoted(allowNewline: Bool) -> Int? {
        var j = i + 1
        while j < n {
            let c = p[j]
            if c == 0x22 { return j + 1 }
            if c == 0x5C {
                guard j + 1 < n else { return nil }
                if p[j + 1] == 0x0A {
                    if !allowNewline { return nil }
                    line += 1
                    lineStart = j + 2
                }
                j += 2
                continue
            }
            if c == 0x0A {
                if !allowNewline { return nil }
                line += 1
                lineStart = j + 1
            }
            j += 1
        }
        return nil
    }

    /// Unescapes `\"`, `\\`, `\n` (others kept verbatim) of `p[s..<e]`, as Prometheus's label-value replacer.
    func unescaped(_ s: Int, _ e: Int, quotes: Bool = true) -> String {
        guard s >= 0, e <= n, s < e else { return "" }
        var hasBackslash = false
        for j in s..<e where p[j] == 0x5C { hasBackslash = true; break }
        if !hasBackslash { return text(s, e) }
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var j = s
        while j < e {
            let c = p[j]
            if c == 0x5C, j + 1 < e {
                let d = p[j + 1]
                if d == 0x5C { out.append(0x5C); j += 2; continue }
                if d == UInt8(ascii: "n") { out.append(0x0A); j += 2; continue }
                if quotes, d == 0x22 { out.append(0x22); j += 2; continue }
            }
            out.append(c)
            j += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    func validUTF8(_ s: Int, _ e: Int) -> Bool {
        guard s >= 0, e <= n, s < e else { return true }
        var it = UnsafeBufferPointer(rebasing: p[s..<e]).makeIterator()
        var dec = UTF8()
        while true {
            switch dec.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}

/// Detects repeated label names in one label set; switches to a hash set for long sets (hostile input).
struct DuplicateLabelCheck {
    var names: Set<String> = []

    /// Whether `name` is `__name__` or already in `labels` (to be called before appending it).
    mutating func isDuplicate(_ name: String, in labels: [ExpositionLabel]) -> Bool {
        if name == "__name__" { return true }
        if labels.count < 16 { return labels.contains { $0.name == name } }
        if names.count != labels.count { names = Set(labels.map(\.name)) }
        return !names.insert(name).inserted
    }
}
