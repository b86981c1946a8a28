/// Append-only big-endian bit buffer used by the chunk encoders.
struct ChunkBitWriter: Sendable {
    /// Encoded bytes; the last byte may be partially filled (low bits zero).
    private(set) var bytes: [UInt8] = []
    /// Number of bits written so far.
    private(set) var bitCount: Int = 0

    init() { bytes.reserveCapacity(64) }

    mutating func writeBit(_ bit: Bool) {
        let used = bitCount & 7
        if used == 0 { bytes.append(0) }
        if bit { bytes[bytes.count - 1] |= UInt8(0x80) >> UInt8(used) }
        bitCount += 1
    }

    /// Writes the low `count` bits (0...64) of `value`, most significant first.
    mutating func writeBits(_ value: UInt64, count: Int) {
        var remaining = min(max(count, 0), 64)
        while remaining > 0 {
            let used = bitCount & 7
            if used == 0 { bytes.append(0) }
            let free = 8 - used
            let take = min(free, remaining)
            let shift = UInt64(remaining - take)
            let part = UInt8(truncatingIfNeeded: (value >> shift) & ((UInt64(1) << UInt64(take)) - 1))
            bytes[bytes.count - 1] |= part << UInt8(free - take)
            remaining -= take
            bitCount += take
        }
    }

    /// Writes an unsigned LEB128 varint (byte-aligned or not: it is written as 8-bit groups).
    mutating func writeUVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeBits((v & 0x7f) | 0x80, count: 8)
            v >>= 7
        }
        writeBits(v, count: 8)
    }
}

/// Reader over a `ChunkBitWriter`'s output; every read reports underrun with `nil` instead of trapping.
///
/// Reads never look at `bytes` past `bytes.count` nor return bits past `bitCount`.
struct ChunkBitReader: Sendable {
    private let bytes: [UInt8]
    private let bitCount: Int
    private(set) var position: Int = 0

    init(bytes: [UInt8], bitCount: Int) {
        self.bytes = bytes
        self.bitCount = max(0, min(bitCount, bytes.count &* 8))
    }

    /// Number of unread bits.
    var remaining: Int { bitCount &- position }

    /// The next bits of the stream, most significant first, without consuming them: `valid` is `min(64, remaining)`
    /// and every bit of `window` past the first `valid` is zero.
    @inline(__always)
    func peek() -> (window: UInt64, valid: Int) {
        let left = bitCount &- position
        let byteIndex = position &>> 3
        let shift = UInt64(truncatingIfNeeded: position & 7)
        var w: UInt64
        if byteIndex &+ 9 <= bytes.count {
            // One unaligned big-endian word load (bounds checked just above) plus the next byte's top bits.
            let word = bytes.withUnsafeBytes {
                UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
            }
            w = (word &<< shift) | (UInt64(bytes[byteIndex &+ 8]) &>> (8 &- shift))
        } else if bytes.count >= 8 {
            // At most 8 bytes remain: load the last 8 bytes of the buffer and drop the ones already read.
            let base = bytes.count &- 8  // ≤ byteIndex
            let word = bytes.withUnsafeBytes {
                UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: base, as: UInt64.self))
            }
            let skip = UInt64(truncatingIfNeeded: (byteIndex &- base) &* 8) &+ shift  // 0...71
            w = skip >= 64 ? 0 : word &<< skip
        } else {
            // A buffer shorter than a word: assemble it byte by byte, zero-filled past the end.
            w = 0
            var i = byteIndex
            var s: UInt64 = 56
            while i < bytes.count {
                w |= UInt64(bytes[i]) &<< s
                i &+= 1
                s &-= 8
            }
            w = w &<< shift
        }
        if left >= 64 { return (w, 64) }
        return (w & ~(UInt64.max &>> UInt64(truncatingIfNeeded: left)), left)
    }

    /// Moves to an absolute bit position (a checkpoint the writer recorded); false (not moving) when out of range.
    mutating func seek(toBit target: Int) -> Bool {
        guard target >= 0, target <= bitCount else { return false }
        position = target
        return true
    }

    /// Skips `count` bits; false (consuming nothing) when fewer remain.
    @inline(__always)
    mutating func consume(_ count: Int) -> Bool {
        guard count >= 0, count <= bitCount &- position else { return false }
        position &+= count
        return true
    }

    mutating func readBit() -> Bool? {
        guard position < bitCount else { return nil }
        let byte = bytes[position >> 3]
        let bit = (byte >> UInt8(7 - (position & 7))) & 1
        position += 1
        return bit == 1
    }

    /// Reads `count` (0...64) bits, most significant first.
    @inline(__always)
    mutating func readBits(_ count: Int) -> UInt64? {
        guard count >= 0, count <= 64, count <= bitCount &- position else { return nil }
        if count == 0 { return 0 }
        let w = peek().window  // holds min(64, remaining) ≥ count stream bits
        position &+= count
        return w &>> UInt64(truncatingIfNeeded: 64 &- count)
    }

    mutating func readUVarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        for _ in 0..<10 {
            guard let b = readBits(8) else { return nil }
            result |= (b & 0x7f) << shift
            if b < 0x80 { return result }
            shift += 7
        }
        return nil
    }
}

@inline(__always) func tsdbZigzagEncode(_ v: Int64) -> UInt64 {
    UInt64(bitPattern: (v << 1) ^ (v >> 63))
}

@inline(__always) func tsdbZigzagDecode(_ u: UInt64) -> Int64 {
    Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
}

/// Whether `v` fits a `bits`-wide two's-complement field.
@inline(__always) func tsdbFitsSigned(_ v: Int64, bits: Int) -> Bool {
    let half = Int64(1) << Int64(bits - 1)
    return v >= -half && v < half
}
