/// Decodes a Prometheus 3.x `XOR2` float chunk (encoding 4, `tsdb/chunkenc/xor2.go`): a 2-byte big-endian sample
/// count, the start-timestamp header byte, the first sample as a varint timestamp and a 64-bit value, the second as
/// a uvarint delta and an XOR2 value; from the third on a joint timestamp/value control prefix:
///
/// | prefix | meaning |
/// | --- | --- |
/// | `0` | same delta, same value |
/// | `10` | same delta, value changed (`0` reuse the window, `1` new window) |
/// | `110` / `1110` / `11110` | delta-of-delta in 13 / 20 / 64 signed bits, then a value (`0` same, `10` reuse, `110` new window, `111` stale NaN) |
/// | `11111` | same delta, stale NaN |
///
/// Values XOR against the last non-stale value. Start timestamps follow each sample (`ChunkStartTimestamps`).
/// Every read is bounds-checked; a corrupt chunk throws instead of trapping.
public struct DiskXOR2ChunkIterator: Sendable {
    private var reader: ChunkBitReader
    /// Samples the header says the chunk holds.
    public let count: Int
    private var starts: ChunkStartTimestamps
    private var read = 0
    private var t: Int64 = 0
    private var tDelta: Int64 = 0
    /// The last non-stale value: what unchanged values repeat and changed ones XOR against.
    private var baseline: Double = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0

    /// An iterator over `bytes` (the chunk data, without the encoding byte).
    public init(bytes: [UInt8]) throws(ChunkDecodeError) {
        guard bytes.count >= 3 else { throw ChunkDecodeError(bitOffset: 0, reason: "XOR2 chunk shorter than its 3-byte header") }
        count = Int(bytes[0]) << 8 | Int(bytes[1])
        starts = ChunkStartTimestamps(header: bytes[2])
        reader = ChunkBitReader(bytes: bytes, bitCount: bytes.count &* 8)
        _ = reader.consume(24)
    }

    /// The next sample with its start timestamp (0 when the chunk stores none), or nil after the last one.
    public mutating func next() throws(ChunkDecodeError) -> (st: Int64, t: Int64, v: Double)? {
        guard read < count else { return nil }
        let previousT = t
        var value: Double
        switch read {
        case 0:
            t = try reader.byteVarint()
            value = Double(bitPattern: try reader.bits(64))
            if !isStaleNaN(value) { baseline = value }
        case 1:
            tDelta = Int64(bitPattern: try reader.byteUvarint())
            t = t &+ tDelta
            value = try readValue()
        default:
            switch try readControl() {
            case 0:
                t = t &+ tDelta
                value = baseline
            case 1:
                t = t &+ tDelta
                value = try reader.bits(1) == 0 ? try reuseWindow() : try newWindow()
            case 2:
                try readDoD(width: 13)
                value = try readValue()
            case 3:
                try readDoD(width: 20)
                value = try readValue()
            case 4:
                try readDoD(width: 64)
                value = try readValue()
            default:
                t = t &+ tDelta
                value = StaleNaN
            }
        }
        try starts.read(after: read, t: t, previousT: previousT, from: &reader)
        read += 1
        return (starts.st, t, value)
    }

    /// The joint control prefix of samples from the third on: the number of leading one-bits (0…5, at most five).
    private mutating func readControl() throws(ChunkDecodeError) -> Int {
        var n = 0
        while n < 5 {
            if try reader.bits(1) == 0 { break }
            n += 1
        }
        return n
    }

    /// A two's-complement delta-of-delta of `width` bits added to the timestamp delta.
    private mutating func readDoD(width: Int) throws(ChunkDecodeError) {
        var raw = try reader.bits(width)
        if width < 64 && raw >= UInt64(1) << UInt64(width - 1) { raw = raw &- (UInt64(1) << UInt64(width)) }
        tDelta = tDelta &+ Int64(bitPattern: raw)
        t = t &+ tDelta
    }

    /// A value after a timestamp change: `0` unchanged, `10` reuse the window, `110` new window, `111` stale NaN.
    private mutating func readValue() throws(ChunkDecodeError) -> Double {
        if try reader.bits(1) == 0 { return baseline }
        if try reader.bits(1) == 0 { return try reuseWindow() }
        if try reader.bits(1) == 0 { return try newWindow() }
        return StaleNaN
    }

    /// The significant bits of the XOR with the baseline, in the previous leading/trailing window.
    private mutating func reuseWindow() throws(ChunkDecodeError) -> Double {
        try xorBaseline(significant: 64 - Int(leading) - Int(trailing))
    }

    /// A new window: 5 bits of leading zeros, 6 bits of significant-bit count (0 meaning 64), then the bits.
    private mutating func newWindow() throws(ChunkDecodeError) -> Double {
        let at = reader.position
        let newLeading = Int(try reader.bits(5))
        var significant = Int(try reader.bits(6))
        if significant == 0 { significant = 64 }
        let newTrailing = 64 - newLeading - significant
        guard newTrailing >= 0 else {
            throw ChunkDecodeError(bitOffset: at, reason: "invalid XOR2 window (leading \(newLeading), bits \(significant))")
        }
        leading = UInt8(newLeading)
        trailing = UInt8(newTrailing)
        return try xorBaseline(significant: significant)
    }

    private mutating func xorBaseline(significant: Int) throws(ChunkDecodeError) -> Double {
        let delta = try reader.bits(significant)
        baseline = Double(bitPattern: baseline.bitPattern ^ (delta &<< UInt64(trailing)))
        return baseline
    }
}
