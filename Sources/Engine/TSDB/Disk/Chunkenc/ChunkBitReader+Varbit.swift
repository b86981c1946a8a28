/// The bit-level primitives shared by Prometheus's chunk formats (`tsdb/chunkenc/varbit.go`, `xorRead`), as
/// throwing reads on the bounds-checked `ChunkBitReader`.
extension ChunkBitReader {
    /// `count` bits or a decode error naming the position.
    @inline(__always)
    mutating func bits(_ count: Int) throws(ChunkDecodeError) -> UInt64 {
        guard let v = readBits(count) else { throw ChunkDecodeError(bitOffset: position, reason: "unexpected end of chunk") }
        return v
    }

    /// The length of the varbit prefix: up to `limit` one-bits ended by a zero bit (or by reaching the limit).
    @inline(__always)
    private mutating func unaryPrefix(limit: Int) throws(ChunkDecodeError) -> Int {
        var n = 0
        while n < limit {
            if try bits(1) == 0 { break }
            n += 1
        }
        return n
    }

    /// Payload widths of the varbit encodings, by number of leading one-bits.
    private static let varbitWidths: [Int] = [0, 3, 6, 9, 12, 18, 25, 56, 64]

    /// A signed varbit integer (`readVarbitInt`): prefix 0, 10, 110, … 11111111 then a two's-complement payload.
    mutating func varbitInt() throws(ChunkDecodeError) -> Int64 {
        let n = try unaryPrefix(limit: 8)
        let width = Self.varbitWidths[n]
        if width == 0 { return 0 }
        var raw = try bits(width)
        if width == 64 { return Int64(bitPattern: raw) }
        if raw > (UInt64(1) << UInt64(width - 1)) { raw = raw &- (UInt64(1) << UInt64(width)) }
        return Int64(bitPattern: raw)
    }

    /// An unsigned varbit integer (`readVarbitUint`).
    mutating func varbitUint() throws(ChunkDecodeError) -> UInt64 {
        let n = try unaryPrefix(limit: 8)
        let width = Self.varbitWidths[n]
        return width == 0 ? 0 : try bits(width)
    }

    /// The XOR timestamp delta-of-delta of float chunks: prefix 0, 10, 110, 1110, 1111 → 0, 14, 17, 20, 64 bits.
    @inline(__always)
    mutating func xorTimestampDoD() throws(ChunkDecodeError) -> Int64 {
        let (w, valid) = peek()
        if valid >= 1 && w &>> 63 == 0 {
            // Regular scrapes: the delta did not change.
            _ = consume(1)
            return 0
        }
        if valid >= 24 {
            // Prefix and payload (at most 4 + 20 bits) decoded from one look at the stream.
            // At least one leading one-bit: a zero first bit returned above.
            let prefix: Int, width: Int
            switch min((~w).leadingZeroBitCount, 4) {
            case 1: (prefix, width) = (2, 14)
            case 2: (prefix, width) = (3, 17)
            case 3: (prefix, width) = (4, 20)
            default:
                _ = consume(4)
                return Int64(bitPattern: try bits(64))
            }
            _ = consume(prefix &+ width)
            var raw = (w &<< UInt64(prefix)) &>> UInt64(64 &- width)
            if raw > (UInt64(1) << UInt64(width - 1)) { raw = raw &- (UInt64(1) << UInt64(width)) }
            return Int64(bitPattern: raw)
        }
        // Near the end of the chunk: bit by bit, so a truncated chunk's error names the exact position.
        let n = try unaryPrefix(limit: 4)
        let width: Int
        switch n {
        case 0: return 0
        case 1: width = 14
        case 2: width = 17
        case 3: width = 20
        default: return Int64(bitPattern: try bits(64))
        }
        var raw = try bits(width)
        if raw > (UInt64(1) << UInt64(width - 1)) { raw = raw &- (UInt64(1) << UInt64(width)) }
        return Int64(bitPattern: raw)
    }

    /// A Go `binary.ReadVarint` read as whole bytes from the bit stream.
    mutating func byteVarint() throws(ChunkDecodeError) -> Int64 {
        tsdbZigzagDecode(try byteUvarint())
    }

    /// A Go `binary.ReadUvarint` read as whole bytes from the bit stream.
    mutating func byteUvarint() throws(ChunkDecodeError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for i in 0..<10 {
            let b = try bits(8)
            if b < 0x80 {
                if i == 9 && b > 1 { break }
                return result | (b &<< shift)
            }
            result |= (b & 0x7f) &<< shift
            shift += 7
        }
        throw ChunkDecodeError(bitOffset: start, reason: "varint overflows 64 bits")
    }

    /// One XOR-compressed float (`xorRead`): 0 = unchanged; 10 = reuse the window; 11 = new leading (5 bits),
    /// significant-bit count (6 bits, 0 meaning 64) and the bits.
    @inline(__always)
    mutating func xorValue(_ value: inout Double, leading: inout UInt8, trailing: inout UInt8) throws(ChunkDecodeError) {
        let (w, valid) = peek()
        let newLeading: Int
        let significant: Int
        if valid >= 13 {
            // The control bits and a new window's header (at most 13 bits) decoded from one look at the stream.
            if w &>> 63 == 0 {
                _ = consume(1)
                return
            }
            let header: Int
            if (w &>> 62) & 1 == 0 {
                header = 2
                newLeading = Int(leading)
                significant = 64 - Int(leading) - Int(trailing)
            } else {
                header = 13
                newLeading = Int((w &>> 57) & 0x1f)
                let s = Int((w &>> 51) & 0x3f)
                significant = s == 0 ? 64 : s
                leading = UInt8(newLeading)
            }
            _ = consume(header)
            let newTrailing = 64 - newLeading - significant
            if newTrailing >= 0 && significant > 0 && header + significant <= valid {
                // The value's bits are in the same look at the stream.
                trailing = UInt8(newTrailing)
                _ = consume(significant)
                let delta = (w &<< UInt64(header)) &>> UInt64(64 - significant)
                value = Double(bitPattern: value.bitPattern ^ (delta &<< UInt64(newTrailing)))
                return
            }
        } else if try bits(1) == 0 {
            // Near the end of the chunk: bit by bit, so a truncated chunk's error names the exact position.
            return
        } else if try bits(1) == 0 {
            newLeading = Int(leading)
            significant = 64 - Int(leading) - Int(trailing)
        } else {
            newLeading = Int(try bits(5))
            var s = Int(try bits(6))
            if s == 0 { s = 64 }
            significant = s
            leading = UInt8(newLeading)
        }
        let newTrailing = 64 - newLeading - significant
        guard newTrailing >= 0, significant >= 0 else {
            throw ChunkDecodeError(bitOffset: position, reason: "invalid XOR window (leading \(newLeading), bits \(significant))")
        }
        trailing = UInt8(newTrailing)
        let delta = try bits(significant)
        value = Double(bitPattern: value.bitPattern ^ (delta &<< UInt64(newTrailing)))
    }
}
