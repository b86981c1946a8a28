/// A bounds-checked cursor over bytes from disk, for the TSDB's binary formats (Prometheus's `encoding.Decbuf`):
/// big-endian integers, varints and length-prefixed strings. Every read past the end or malformed varint is a
/// thrown `ByteReader.Error` carrying the offset, so a truncated or corrupt file gives a message naming where,
/// never a crash.
public struct ByteReader: ~Copyable {
    /// What went wrong and where (offset from the start of the buffer the reader was made on).
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at offset \(offset)" }
    }

    private let base: UnsafeRawBufferPointer
    /// The read position, from the start of `base`.
    public private(set) var offset: Int

    /// A reader over `buffer`; the caller keeps the memory alive while the reader is used.
    public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.base = buffer
        self.offset = offset
    }

    /// Bytes left.
    public var remaining: Int { offset <= base.count ? base.count - offset : 0 }

    /// Moves to an absolute position (checked).
    public mutating func seek(to position: Int) throws(Error) {
        guard position >= 0, position <= base.count else { throw Error(offset: position, reason: "position out of range") }
        offset = position
    }

    /// Skips `n` bytes (checked).
    public mutating func skip(_ n: Int) throws(Error) {
        guard n >= 0, n <= remaining else { throw Error(offset: offset, reason: "unexpected end of data") }
        offset += n
    }

    public mutating func byte() throws(Error) -> UInt8 {
        guard remaining >= 1 else { throw Error(offset: offset, reason: "unexpected end of data") }
        let b = base[offset]
        offset += 1
        return b
    }

    public mutating func be16() throws(Error) -> UInt16 {
        UInt16(truncatingIfNeeded: try bigEndian(2))
    }

    public mutating func be32() throws(Error) -> UInt32 {
        UInt32(truncatingIfNeeded: try bigEndian(4))
    }

    public mutating func be64() throws(Error) -> UInt64 {
        try bigEndian(8)
    }

    private mutating func bigEndian(_ n: Int) throws(Error) -> UInt64 {
        guard remaining >= n else { throw Error(offset: offset, reason: "unexpected end of data") }
        var v: UInt64 = 0
        for i in 0..<n { v = (v << 8) | UInt64(base[offset + i]) }
        offset += n
        return v
    }

    /// An unsigned LEB128 varint (Go's `binary.Uvarint`: at most 10 bytes, the 10th at most 1).
    public mutating func uvarint() throws(Error) -> UInt64 {
        let start = offset
        var v: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<10 {
            guard remaining >= 1 else { throw Error(offset: start, reason: "unexpected end of data in varint") }
            let b = base[offset]
            offset += 1
            if b < 0x80 {
                if i == 9 && b > 1 { throw Error(offset: start, reason: "varint overflows 64 bits") }
                return v | UInt64(b) << shift
            }
            v |= UInt64(b & 0x7f) << shift
            shift += 7
        }
        throw Error(offset: start, reason: "varint overflows 64 bits")
    }

    /// A zig-zag signed varint (Go's `binary.Varint`).
    public mutating func varint() throws(Error) -> Int64 {
        let u = try uvarint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// A uvarint that must fit in `Int` and be at most `limit` (a length or count read from the file).
    public mutating func uvarintInt(limit: Int = .max) throws(Error) -> Int {
        let start = offset
        let u = try uvarint()
        guard u <= UInt64(limit) else { throw Error(offset: start, reason: "value \(u) out of range") }
        return Int(u)
    }

    /// `n` raw bytes as a slice of the underlying buffer (no copy).
    public mutating func bytes(_ n: Int) throws(Error) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw Error(offset: offset, reason: "unexpected end of data") }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
        offset += n
        return slice
    }

    /// A uvarint-length-prefixed UTF-8 string (`Decbuf.UvarintStr`).
    public mutating func uvarintString() throws(Error) -> String {
        let n = try uvarintInt(limit: remaining)
        let raw = try bytes(n)
        return String(decoding: raw, as: UTF8.self)
    }
}
