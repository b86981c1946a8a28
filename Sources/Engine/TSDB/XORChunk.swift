/// A Gorilla-style compressed chunk of float samples.
///
/// Layout (not Prometheus's bit-exact format): first timestamp as zig-zag varint, first value as 64 raw bits;
/// later timestamps as delta-of-delta in the buckets `0`, `10`+14, `110`+17, `1110`+20, `1111`+64 bits;
/// later values as `0` (bit-identical to the previous) or `1` followed by either `0` + a bucketed integer delta
/// (`0`+6, `10`+9, `110`+16, `1110`+32, `1111`+64 bits; used when both values are integers of magnitude
/// ≤ 2^53, the common counter case) or `1` + Gorilla XOR encoding.
/// Every value round-trips bit-exactly (NaN payloads such as the stale marker, -0.0, ±Inf).
///
/// The decoder state after samples 40 and 80 is kept (`XORCheckpoint`), so that a query reading the end of a
/// chunk (rule evaluation reads the newest minutes at every step) decodes at most 40 samples before its window
/// instead of up to 120.
struct XORChunk: Sendable {
    private(set) var stream = ChunkBitWriter()
    private(set) var count = 0
    private(set) var minTime: Int64 = 0
    private(set) var maxTime: Int64 = 0
    private var tDelta: Int64 = 0
    private var lastBits: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0
    /// Decoder state after sample `checkpointSpacing` and `2 · checkpointSpacing` (inline: no allocation).
    private(set) var checkpoint1: XORCheckpoint?
    private(set) var checkpoint2: XORCheckpoint?

    static let checkpointSpacing = 40

    init() {}

    /// Encoded size in bytes, including a 2-byte sample-count header as Prometheus stores it.
    var byteCount: Int { stream.bytes.count + 2 }

    /// Appends a sample; the caller guarantees `t` is greater than `maxTime` when `count > 0`.
    mutating func append(t: Int64, v: Double) {
        let bits = v.bitPattern
        if count == 0 {
            stream.writeUVarint(tsdbZigzagEncode(t))
            stream.writeBits(bits, count: 64)
            minTime = t
        } else {
            let delta = t &- maxTime
            writeDoD(delta &- tDelta)
            tDelta = delta
            writeValue(bits)
        }
        maxTime = t
        lastBits = bits
        count += 1
        if count == Self.checkpointSpacing || count == 2 * Self.checkpointSpacing {
            let cp = XORCheckpoint(position: Int32(truncatingIfNeeded: stream.bitCount), count: Int32(truncatingIfNeeded: count),
                                   t: t, tDelta: tDelta, bits: bits,
                                   leading: leading == 0xff ? 0 : leading, trailing: trailing)
            if count == Self.checkpointSpacing { checkpoint1 = cp } else { checkpoint2 = cp }
        }
    }

    private mutating func writeDoD(_ dod: Int64) {
        if dod == 0 {
            stream.writeBit(false)
        } else if tsdbFitsSigned(dod, bits: 14) {
            stream.writeBits(0b10, count: 2)
            stream.writeBits(UInt64(bitPattern: dod), count: 14)
        } else if tsdbFitsSigned(dod, bits: 17) {
            stream.writeBits(0b110, count: 3)
            stream.writeBits(UInt64(bitPattern: dod), count: 17)
        } else if tsdbFitsSigned(dod, bits: 20) {
            stream.writeBits(0b1110, count: 4)
            stream.writeBits(UInt64(bitPattern: dod), count: 20)
        } else {
            stream.writeBits(0b1111, count: 4)
            stream.writeBits(UInt64(bitPattern: dod), count: 64)
        }
    }

    private mutating func writeValue(_ bits: UInt64) {
        if bits == lastBits {
            stream.writeBit(false)
            return
        }
        stream.writeBit(true)
        if let prev = tsdbSmallInteger(lastBits), let cur = tsdbSmallInteger(bits) {
            stream.writeBit(false)
            writeIntDelta(cur - prev)  // both within ±2^53: cannot overflow
            return
        }
        stream.writeBit(true)
        let xor = bits ^ lastBits
        let lz = UInt8(min(xor.leadingZeroBitCount, 31))
        let tz = UInt8(xor.trailingZeroBitCount)
        if leading != 0xff && lz >= leading && tz >= trailing {
            stream.writeBit(false)
            let sig = 64 - Int(leading) - Int(trailing)
            stream.writeBits(xor >> UInt64(trailing), count: sig)
        } else {
            leading = lz
            trailing = tz
            stream.writeBit(true)
            stream.writeBits(UInt64(lz), count: 5)
            let sig = 64 - Int(lz) - Int(tz)
            stream.writeBits(UInt64(sig & 63), count: 6)  // 64 is stored as 0
            stream.writeBits(xor >> UInt64(tz), count: sig)
        }
    }

    private mutating func writeIntDelta(_ d: Int64) {
        if tsdbFitsSigned(d, bits: 6) {
            stream.writeBit(false)
            stream.writeBits(UInt64(bitPattern: d), count: 6)
        } else if tsdbFitsSigned(d, bits: 9) {
            stream.writeBits(0b10, count: 2)
            stream.writeBits(UInt64(bitPattern: d), count: 9)
        } else if tsdbFitsSigned(d, bits: 16) {
            stream.writeBits(0b110, count: 3)
            stream.writeBits(UInt64(bitPattern: d), count: 16)
        } else if tsdbFitsSigned(d, bits: 32) {
            stream.writeBits(0b1110, count: 4)
            stream.writeBits(UInt64(bitPattern: d), count: 32)
        } else {
            stream.writeBits(0b1111, count: 4)
            stream.writeBits(UInt64(bitPattern: d), count: 64)
        }
    }

    func makeIterator() -> XORChunkIterator { XORChunkIterator(self) }

    /// An iterator that has skipped the samples before the last checkpoint older than `target`: its `next()`
    /// yields every sample with a timestamp ≥ `target` (and maybe a few older ones).
    func makeIterator(seekingTo target: Int64) -> XORChunkIterator {
        var it = XORChunkIterator(self)
        if let cp = checkpoint2, cp.t < target {
            it.resume(at: cp)
        } else if let cp = checkpoint1, cp.t < target {
            it.resume(at: cp)
        }
        return it
    }
}

/// The decoder's state right after a sample: bit position, samples decoded, time, time delta, value bits and the
/// XOR window. Positions and counts fit 32 bits: checkpoints are only taken at samples 40 and 80.
struct XORCheckpoint: Sendable {
    var position: Int32
    var count: Int32
    var t: Int64
    var tDelta: Int64
    var bits: UInt64
    var leading: UInt8
    var trailing: UInt8
}

/// The integer value of a double bit pattern when it is finite, integral, |x| ≤ 2^53 and not -0.0.
@inline(__always) func tsdbSmallInteger(_ bits: UInt64) -> Int64? {
    if bits == 0x8000_0000_0000_0000 { return nil }
    let x = Double(bitPattern: bits)
    guard x.isFinite, x.magnitude <= 9_007_199_254_740_992, x == x.rounded(.towardZero) else { return nil }
    return Int64(x)
}

/// Decodes an `XORChunk` forwards.
///
/// Each sample is decoded from one 64-bit window of the stream where it fits (prefix classes are found by counting
/// leading one-bits); only the 64-bit delta classes and long XOR payloads need a second window.
struct XORChunkIterator: Sendable {
    private var reader: ChunkBitReader
    private let count: Int
    private(set) var index = 0
    private(set) var t: Int64 = 0
    private(set) var bits: UInt64 = 0
    private var tDelta: Int64 = 0
    private var leading = 0
    private var trailing = 0
    /// `tsdbSmallInteger(bits)`, valid when `intKnown` (set by an integer-delta sample, kept by an unchanged value).
    private var intValue: Int64 = 0
    private var intKnown = false
    private var failed = false

    init(_ chunk: XORChunk) {
        self.init(bytes: chunk.stream.bytes, bitCount: chunk.stream.bitCount, count: chunk.count)
    }

    /// An iterator over `count` samples encoded in the first `bitCount` bits of `bytes` (which may be corrupt).
    init(bytes: [UInt8], bitCount: Int, count: Int) {
        reader = ChunkBitReader(bytes: bytes, bitCount: bitCount)
        self.count = count
    }

    var value: Double { Double(bitPattern: bits) }

    /// Continues after the sample a checkpoint describes (taken by the writer of this iterator's chunk).
    mutating func resume(at cp: XORCheckpoint) {
        guard reader.seek(toBit: Int(cp.position)) else { return }
        index = Int(cp.count)
        t = cp.t
        tDelta = cp.tDelta
        bits = cp.bits
        leading = Int(cp.leading)
        trailing = Int(cp.trailing)
        intKnown = false
    }

    /// Advances to the next sample; false at the end (or on a corrupt stream).
    @inline(__always)
    mutating func next() -> Bool {
        guard !failed, index < count else { return false }
        if decode() {
            index &+= 1
            return true
        }
        failed = true
        return false
    }

    /// The first sample: zig-zag varint timestamp and 64 raw value bits.
    @inline(never)
    private mutating func decodeFirst() -> Bool {
        guard let zt = reader.readUVarint(), let vb = reader.readBits(64) else { return false }
        t = tsdbZigzagDecode(zt)
        bits = vb
        return true
    }

    @inline(__always)
    private mutating func decode() -> Bool {
        if index == 0 { return decodeFirst() }
        // Bits of the window past `valid` are zero, so decoding may run into them; `consume` then fails.
        var (w, valid) = reader.peek()
        var used: Int
        let dod: Int64
        let dodOnes = (~w).leadingZeroBitCount
        if dodOnes < 4 {
            // Prefix `0`, `10`, `110`, `1110` → payload of 0, 14, 17, 20 bits (table lookup: no branch per class).
            let width = Self.width(of: dodOnes, in: 0x14_11_0E_00)
            let payload = Int64(bitPattern: w &<< UInt64(truncatingIfNeeded: dodOnes &+ 1))
                &>> Int64(truncatingIfNeeded: 64 &- width)
            dod = width == 0 ? 0 : payload
            used = dodOnes &+ 1 &+ width
        } else {
            // `1111` + 64 bits: more than one window holds.
            guard reader.consume(4), let raw = reader.readBits(64) else { return false }
            dod = Int64(bitPattern: raw)
            (w, valid) = reader.peek()
            used = 0
        }
        tDelta = tDelta &+ dod
        t = t &+ tDelta

        let v = w &<< UInt64(truncatingIfNeeded: used)  // used ≤ 24
        if v & (1 << 63) == 0 {
            return reader.consume(used &+ 1)  // same value as before
        }
        if v & (1 << 62) == 0 {
            return decodeIntDelta(v &<< 2, used: used &+ 2)
        }
        used &+= 3
        if v & (1 << 61) != 0 {
            // New window: 5 bits of leading zeros, 6 bits of meaningful-bit count (64 stored as 0).
            let control = Int(truncatingIfNeeded: (v &<< 3) &>> 53)
            used &+= 11
            let lz = control &>> 6
            let sig = control & 63 == 0 ? 64 : control & 63
            guard used <= valid, lz &+ sig <= 64 else { return false }
            leading = lz
            trailing = 64 &- lz &- sig
        }
        let sig = 64 &- leading &- trailing
        guard sig > 0 else { return false }
        let m: UInt64
        if used &+ sig <= valid {  // used ≤ 38
            m = (w &<< UInt64(truncatingIfNeeded: used)) &>> UInt64(truncatingIfNeeded: 64 &- sig)
            guard reader.consume(used &+ sig) else { return false }
        } else {
            guard reader.consume(used), let raw = reader.readBits(sig) else { return false }
            m = raw
        }
        bits ^= m &<< UInt64(truncatingIfNeeded: trailing)
        intKnown = false
        return true
    }

    /// Byte `ones` (0...3) of `table`: the payload width of the class whose prefix has that many one-bits.
    @inline(__always)
    private static func width(of ones: Int, in table: UInt64) -> Int {
        Int(truncatingIfNeeded: (table &>> UInt64(truncatingIfNeeded: ones &* 8)) & 0xff)
    }

    /// Decodes an integer delta whose prefix starts at the top of `r`; `used` bits of the window precede it.
    @inline(__always)
    private mutating func decodeIntDelta(_ r: UInt64, used: Int) -> Bool {
        let d: Int64
        let ones = (~r).leadingZeroBitCount
        if ones < 4 {
            // Prefix `0`, `10`, `110`, `1110` → payload of 6, 9, 16, 32 bits: with `used` ≤ 62 bits, one window.
            let width = Self.width(of: ones, in: 0x20_10_09_06)
            guard reader.consume(used &+ ones &+ 1 &+ width) else { return false }
            d = Int64(bitPattern: r &<< UInt64(truncatingIfNeeded: ones &+ 1))
                &>> Int64(truncatingIfNeeded: 64 &- width)
        } else {
            guard reader.consume(used &+ 4), let raw = reader.readBits(64) else { return false }
            d = Int64(bitPattern: raw)
        }
        if !intKnown {
            guard let prev = tsdbSmallInteger(bits) else { return false }
            intValue = prev
        }
        // The writer only encodes deltas between integers of magnitude ≤ 2^53; anything else is corrupt.
        let (sum, overflow) = intValue.addingReportingOverflow(d)
        guard !overflow, sum.magnitude <= 1 << 53 else { return false }
        intValue = sum
        intKnown = true
        bits = Double(sum).bitPattern
        return true
    }
}
