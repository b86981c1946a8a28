import GoCompat

/// A small JSON parser producing positioned `Node`s, with Go `encoding/json`'s syntax error texts, for
/// file_sd `.json` files and Prometheus HTTP API responses.
public enum JSONReader {
    public struct Failure: Error, Sendable {
        public var message: String
        public var mark: Mark
    }

    /// Nesting bound (Go allows 10,000; we stop earlier to keep recursion shallow), same message.
    static let maxDepth = 1_000

    public static func parse(_ bytes: [UInt8]) throws(Failure) -> Node {
        var p = Parser(b: bytes)
        p.skipSpace()
        if p.i >= bytes.count { throw Failure(message: "unexpected end of JSON input", mark: p.mark(p.i)) }
        let node = try p.value(depth: 0)
        p.skipSpace()
        if p.i < bytes.count {
            throw Failure(message: "invalid character \(p.quoteChar(p.i)) after top-level value", mark: p.mark(p.i))
        }
        return node
    }

    struct Parser {
        let b: [UInt8]
        var i = 0
        var lineStarts: [Int] = [0]
        /// Number of UTF-8 scalar starts before each byte offset, for O(1) columns on long lines.
        var scalarsBefore: [Int32]

        init(b: [UInt8]) {
            self.b = b
            scalarsBefore = [Int32](repeating: 0, count: b.count + 1)
            var n: Int32 = 0
            for (k, c) in b.enumerated() {
                scalarsBefore[k] = n
                if c & 0xC0 != 0x80 { n &+= 1 }
                if c == 0x0A { lineStarts.append(k + 1) }
            }
            scalarsBefore[b.count] = n
        }

        func mark(_ offset: Int) -> Mark {
            var lo = 0, hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            let start = lineStarts[lo]
            let end = min(max(offset, start), b.count)
            return Mark(line: lo + 1, column: Int(scalarsBefore[end] - scalarsBefore[start]) + 1)
        }

        /// Go's `quoteChar`: `'x'`, `'\''`, `'"'`, or `'\x01'`-style for control bytes.
        func quoteChar(_ k: Int) -> String {
            guard k < b.count else { return "''" }
            let c = b[k]
            if c == 0x27 { return "'\\''" }
            if c == 0x22 { return "'\"'" }
            if c < 0x20 || c == 0x7F { return "'\\x" + (c < 0x10 ? "0" : "") + String(c, radix: 16) + "'" }
            if c < 0x80 { return "'" + String(UnicodeScalar(c)) + "'" }
            // A multi-byte character: decode it whole.
            var end = k + 1
            while end < b.count, b[end] & 0xC0 == 0x80, end - k < 4 { end += 1 }
            return "'" + String(decoding: b[k..<end], as: UTF8.self) + "'"
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        }

        func fail(_ context: String) -> Failure {
            if i >= b.count { return Failure(message: "unexpected end of JSON input", mark: mark(i)) }
            return Failure(message: "invalid character \(quoteChar(i)) \(context)", mark: mark(i))
        }

        mutating func value(depth: Int) throws(Failure) -> Node {
            guard depth < JSONReader.maxDepth else { throw Failure(message: "exceeded max depth", mark: mark(i)) }
            guard i < b.count else { throw fail("looking for beginning of value") }
            let start = mark(i)
            switch b[i] {
            case 0x7B: // {
                i += 1
                var pairs: [Node.Pair] = []
                skipSpace()
                if i < b.count, b[i] == 0x7D { i += 1; return Node(content: .mapping([]), mark: start) }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == 0x22 else { throw fail("looking for beginning of object key string") }
                    let key = try string()
                    skipSpace()
                    guard i < b.count, b[i] == 0x3A else { throw fail("after object key") }
                    i += 1
                    skipSpace()
                    let v = try value(depth: depth + 1)
                    pairs.append(Node.Pair(key: key, value: v))
                    skipSpace()
                    guard i < b.count else { throw fail("") }
                    if b[i] == 0x2C { i += 1; continue }
                    if b[i] == 0x7D { i += 1; break }
                    throw fail("after object key:value pair")
                }
                return Node(content: .mapping(pairs), mark: start)
            case 0x5B: // [
                i += 1
                var items: [Node] = []
                skipSpace()
                if i < b.count, b[i] == 0x5D { i += 1; return Node(content: .sequence([]), mark: start) }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < b.count else { throw fail("") }
                    if b[i] == 0x2C { i += 1; continue }
                    if b[i] == 0x5D { i += 1; break }
                    throw fail("after array element")
                }
                return Node(content: .sequence(items), mark: start)
            case 0x22:
                return try string()
            default:
                for (word, tag) in [("true", "!!bool"), ("false", "!!bool"), ("null", "!!null")] {
                    let w = Array(word.utf8)
                    if b[i] == w[0] {
                        for (k, c) in w.enumerated() {
                            guard i + k < b.count else { i = b.count; throw fail("") }
                            if b[i + k] != c { i += k; throw fail("in literal \(word) (expecting \(quoteCharOf(c)))") }
                        }
                        i += w.count
                        return Node(content: .scalar(word, .plain), tag: tag, mark: start)
                    }
                }
                if b[i] == 0x2D || (b[i] >= 0x30 && b[i] <= 0x39) { return try number(start) }
                throw fail("looking for beginning of value")
            }
        }

        func quoteCharOf(_ c: UInt8) -> String { "'" + String(UnicodeScalar(c)) + "'" }

        mutating func number(_ start: Mark) throws(Failure) -> Node {
            let s = i
            if b[i] == 0x2D { i += 1 }
            func digits() -> Int { let d = i; while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }; return i - d }
            guard i < b.count else { throw fail("") }
            if b[i] == 0x30 { i += 1 } else if digits() == 0 { throw fail("in numeric literal") }
            if i < b.count, b[i] == 0x2E {
                i += 1
                if digits() == 0 { throw fail("after decimal point in numeric literal") }
            }
            if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
                i += 1
                if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                if digits() == 0 { throw fail("in exponent of numeric literal") }
            }
            return Node(content: .scalar(String(decoding: b[s..<i], as: UTF8.self), .plain), tag: "!!float", mark: start)
        }

        mutating func string() throws(Failure) -> Node {
            let start = mark(i)
            i += 1
            var out: [UInt8] = []
            while true {
                guard i < b.count else { throw Failure(message: "unexpected end of JSON input", mark: mark(i)) }
                let c = b[i]
                if c == 0x22 { i += 1; break }
                if c < 0x20 { throw fail("in string literal") }
                if c == 0x5C {
                    i += 1
                    guard i < b.count else { throw Failure(message: "unexpected end of JSON input", mark: mark(i)) }
                    switch b[i] {
                    case 0x22: out.append(0x22)
                    case 0x5C: out.append(0x5C)
                    case 0x2F: out.append(0x2F)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        var v: UInt32 = 0
                        for _ in 0..<4 {
                            i += 1
                            guard i < b.count else { throw Failure(message: "unexpected end of JSON input", mark: mark(i)) }
                            let h = b[i]
                            guard let d = GoStrconv.hexValue(h) else { throw fail("in \\u hexadecimal character escape") }
                            v = v << 4 | UInt32(d)
                        }
                        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
                        out.append(contentsOf: Array(String(scalar).utf8))
                    default:
                        throw fail("in string escape code")
                    }
                    i += 1
                    continue
                }
                out.append(c)
                i += 1
            }
            return Node(content: .scalar(GoString.fromBytes(out), .doubleQuoted), mark: start)
        }
    }
}
