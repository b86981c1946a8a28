/// Prometheus's XOR chunk (encoding 1) written sample by sample, bit-for-bit as Prometheus 3.x's
/// `chunkenc.XORChunk` appender writes it, so a block we write holds the same chunk bytes as one Prometheus
/// writes from the same samples (tests compare them with blocks `promtool tsdb create-blocks-from` wrote).
///
/// Layout: a 2-byte big-endian sample count, then a bit stream (most significant bit first): the first
/// sample's timestamp as a zig-zag varint and its value as 64 raw bits; the second timestamp as the uvarint
/// delta to the first and its value XORed with the first; from the third on, the delta-of-delta of the
/// timestamp in one of five bit buckets, and the value XORed with the previous one (Gorilla's leading/trailing
/// zero window). Not the in-memory head's `XORChunk` (a different format).
public struct XORChunkEncoder: Sendable {
    /// The chunk's bytes: sample count header and bit stream (the last byte may be partly filled).
    public private(set) var bytes: [UInt8]
    /// Free bits at the right of the last byte (0: the stream ends on a byte boundary).
    private var freeBits: Int = 0
    private var lastT: Int64 = 0
    private var lastBits: UInt64 = 0
    private var lastDelta: UInt64 = 0
    /// The current XOR window; `leading == 0xff` means no window yet.
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

    /// The most samples a chunk can count in its 2-byte header.
    public static let maxSamples = Int(UInt16.max) - 1

    public init() {
        bytes = [0, 0]
        bytes.reserveCapacity(128)
    }

    /// Samples appended so far.
    public var sampleCount: Int { Int(bytes[0]) << 8 | Int(bytes[1]) }

    /// Appends a sample. Returns false (appending nothing) when the header cannot count another sample;
    /// the caller cuts a new chunk long before (Prometheus's head cuts at 240).
    @discardableResult
    public mutating func append(t: Int64, v: Double) -> Bool {
        let n = sampleCount
        guard n < Self.maxSamples else { return false }
        let valueBits = v.bitPattern
        var delta: UInt64 = 0
        switch n {
        case 0:
            varint(t)
            write(valueBits, 64)
        case 1:
            delta = UInt64(bitPattern: t &- lastT)
            uvarint(delta)
            writeValue(valueBits)
        default:
            delta = UInt64(bitPattern: t &- lastT)
            let dod = Int64(bitPattern: delta &- lastDelta)
            if dod == 0 {
                write(0, 1)
            } else if Self.fits(dod, 14) {
                write(0b10, 2)
                write(UInt64(bitPattern: dod), 14)
            } else if Self.fits(dod, 17) {
                write(0b110, 3)
                write(UInt64(bitPattern: dod), 17)
            } else if Self.fits(dod, 20) {
                write(0b1110, 4)
                write(UInt64(bitPattern: dod), 20)
            } else {
                write(0b1111, 4)
                write(UInt64(bitPattern: dod), 64)
            }
            writeValue(valueBits)
        }
        lastT = t
        lastBits = valueBits
        lastDelta = delta
        bytes[0] = UInt8(truncatingIfNeeded: (n + 1) >> 8)
        bytes[1] = UInt8(truncatingIfNeeded: n + 1)
        return true
    }

    /// Prometheus's `bitRange`: does `x` fit the signed bucket of `nbits` bits (its range is shifted by one
    /// towards the positive side, as Prometheus's is)?
    private static func fits(_ x: Int64, _ nbits: Int) -> Bool {
        let half = Int64(1) << (nbits - 1)
        return -(half - 1) <= x && x <= half
    }

    private mutating func writeValue(_ valueBits: UInt64) {
        let x = valueBits ^ lastBits
        if x == 0 {
            write(0, 1)
            return
        }
        let newLeading = UInt8(min(x.leadingZeroBitCount, 31))
        let newTrailing = UInt8(x.trailingZeroBitCount)
        if leading != 0xff, newLeading >= leading, newTrailing >= trailing {
            // The previous window holds the meaningful bits.
            write(0b10, 2)
            write(x >> UInt64(trailing), 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        let significant = 64 - Int(newLeading) - Int(newTrailing)
        write(0b11, 2)
        write(UInt64(newLeading), 5)
        // 64 significant bits are written as 0 in the 6-bit field (a reader maps 0 back to 64).
        write(UInt64(significant & 0x3f), 6)
        write(x >> UInt64(newTrailing), significant)
    }

    private mutating func varint(_ v: Int64) {
        uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    private mutating func uvarint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            write(UInt64(UInt8(truncatingIfNeeded: x) | 0x80), 8)
            x >>= 7
        }
        write(x, 8)
    }

    /// Appends the `count` (0...64) low bits of `value`, most significant first.
    private mutating func write(_ value: UInt64, _ count: Int) {
        guard count > 0 else { return }
        var remaining = count
        // The bits to write, left-aligned.
        var u = count == 64 ? value : value << UInt64(64 - count)
        if freeBits > 0 {
            let last = bytes.count - 1
            bytes[last] |= UInt8(truncatingIfNeeded: u >> UInt64(64 - freeBits))
            if remaining < freeBits {
                freeBits -= remaining
                return
            }
            u = freeBits == 64 ? 0 : u << UInt64(freeBits)
            remaining -= freeBits
            freeBits = 0
        }
        while remaining >= 8 {
            bytes.append(UInt8(truncatingIfNeeded: u >> 56))
            u <<= 8
            remaining -= 8
        }
        if remaining > 0 {
            bytes.append(UInt8(truncatingIfNeeded: u >> 56))
            freeBits = 8 - remaining
        }
    }
}
