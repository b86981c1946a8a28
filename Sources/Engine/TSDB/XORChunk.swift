/// A Gorilla-style compressed chunk of float samples.
///
/// Layout (not Prometheus's bit-exact format): first timestamp as zig-zag varint, first value as 64 raw bits;
/// later timestamps as delta-of-delta in the buckets `0`, `10`+14, `110`+17, `1110`+20, `1111`+64 bits;
/// later values as `0` (bit-identical to the previous) or `1` followed by either `0` + a bucketed integer delta
/// (`0`+6, `10`+9, `110`+16, `1110`+32, `1111`+64 bits; used when both values are integers of magnitude
/// ≤ 2^53, the common counter case) or `1` + Gorilla XOR encoding.
/// Every value round-trips bit-exactly (NaN payloads such as the stale marker, -0.0, ±Inf).
struct XORChunk: Sendable {
    private(set) var stream = ChunkBitWriter()
    private(set) var count = 0
    private(set) var minTime: Int64 = 0
    private(set) var maxTime: Int64 = 0
    private var tDelta: Int64 = 0
    private var lastBits: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0

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
}

/// The integer value of a double bit pattern when it is finite, integral, |x| ≤ 2^53 and not -0.0.
@inline(__always) func tsdbSmallInteger(_ bits: UInt64) -> Int64? {
    if bits == 0x8000_0000_0000_0000 { return nil }
    let x = Double(bitPattern: bits)
    guard x.isFinite, x.magnitude <= 9_007_199_254_740_992, x == x.rounded(.towardZero) else { return nil }
    return Int64(x)
}

/// Decodes an `XORChunk` forwards.
struct XORChunkIterator: Sendable {
    private var reader: ChunkBitReader
    private let count: Int
    private(set) var index = 0
    private(set) var t: Int64 = 0
    private(set) var bits: UInt64 = 0
    private var tDelta: Int64 = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0
    private var failed = false

    init(_ chunk: XORChunk) {
        reader = ChunkBitReader(bytes: chunk.stream.bytes, bitCount: chunk.stream.bitCount)
        count = chunk.count
    }

    var value: Double { Double(bitPattern: bits) }

    /// Advances to the next sample; false at the end (or on a corrupt stream).
    mutating func next() -> Bool {
        guard !failed, index < count else { return false }
        if decode() {
            index += 1
            return true
        }
        failed = true
        return false
    }

    private mutating func decode() -> Bool {
        if index == 0 {
            guard let zt = reader.readUVarint(), let vb = reader.readBits(64) else { return false }
            t = tsdbZigzagDecode(zt)
            bits = vb
            return true
        }
        guard let dod = readDoD() else { return false }
        tDelta = tDelta &+ dod
        t = t &+ tDelta
        guard let same = reader.readBit() else { return false }
        if !same { return true }
        guard let isXOR = reader.readBit() else { return false }
        if !isXOR {
            guard let prev = tsdbSmallInteger(bits), let d = readIntDelta() else { return false }
            let (sum, overflow) = prev.addingReportingOverflow(d)
            guard !overflow else { return false }
            bits = Double(sum).bitPattern
            return true
        }
        guard let newWindow = reader.readBit() else { return false }
        if newWindow {
            guard let lz = reader.readBits(5), let sigRaw = reader.readBits(6) else { return false }
            let sig = sigRaw == 0 ? 64 : Int(sigRaw)
            guard Int(lz) + sig <= 64 else { return false }
            leading = UInt8(lz)
            trailing = UInt8(64 - Int(lz) - sig)
        }
        let sig = 64 - Int(leading) - Int(trailing)
        guard sig > 0, let m = reader.readBits(sig) else { return false }
        bits ^= m << UInt64(trailing)
        return true
    }

    private mutating func readDoD() -> Int64? {
        var prefix = 0
        while prefix < 4 {
            guard let b = reader.readBit() else { return nil }
            if !b { break }
            prefix += 1
        }
        let width: Int
        switch prefix {
        case 0: return 0
        case 1: width = 14
        case 2: width = 17
        case 3: width = 20
        default: width = 64
        }
        guard let raw = reader.readBits(width) else { return nil }
        return tsdbSignExtend(raw, bits: width)
    }

    private mutating func readIntDelta() -> Int64? {
        var prefix = 0
        while prefix < 4 {
            guard let b = reader.readBit() else { return nil }
            if !b { break }
            prefix += 1
        }
        let width: Int
        switch prefix {
        case 0: width = 6
        case 1: width = 9
        case 2: width = 16
        case 3: width = 32
        default: width = 64
        }
        guard let raw = reader.readBits(width) else { return nil }
        return tsdbSignExtend(raw, bits: width)
    }
}
