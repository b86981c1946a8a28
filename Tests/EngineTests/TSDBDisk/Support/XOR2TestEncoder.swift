@testable import Engine

/// A test-only XOR2 chunk encoder (encoding 4) written from the format description in Prometheus 3.14's
/// `tsdb/chunkenc/xor2.go` (its appender's rules, bit by bit through `Bits`), independent of the decoder under test.
struct XOR2TestEncoder {
    private var body = Bits()
    private(set) var count = 0
    private var stHeader: UInt8 = 0
    private var st: Int64 = 0, t: Int64 = 0, tDelta: Int64 = 0, stDiff: Int64 = 0
    private var baseline: Double = 0
    private var leading: UInt8 = 0xff, trailing: UInt8 = 0
    private var firstSTChangeOn = 0

    /// The chunk data (without the encoding byte).
    var bytes: [UInt8] {
        var b = Bits()
        b.add(UInt64(count), width: 16)
        b.addByte(stHeader)
        b.add(body.text)
        return b.bytes
    }

    mutating func append(st newST: Int64 = 0, t newT: Int64, v: Double) {
        let stale = v.bitPattern == staleNaNBits
        var newTDelta: Int64 = 0
        var newSTDiff: Int64 = 0
        switch count {
        case 0:
            Self.varint(newT, into: &body)
            body.add(double: v)
            if newST != 0 {
                Self.varint(newT - newST, into: &body)
                stHeader = 0x80
            }
        case 1:
            newTDelta = newT - t
            Self.uvarint(UInt64(bitPattern: newTDelta), into: &body)
            valueAfterTimestampChange(v)
            if newST != st {
                newSTDiff = t - newST
                firstSTChangeOn = 1
                stHeader |= 1
                Self.varbit(newSTDiff, into: &body)
            }
        default:
            newTDelta = newT - t
            let dod = newTDelta - tDelta
            joint(dod: dod, v: v)
            if firstSTChangeOn > 0 {
                newSTDiff = t - newST
                Self.varbit(newSTDiff - stDiff, into: &body)
            } else if newST != st || count == 127 {
                newSTDiff = t - newST
                firstSTChangeOn = count
                stHeader |= UInt8(count)
                Self.varbit(newSTDiff, into: &body)
            }
        }
        st = newST
        t = newT
        if !stale { baseline = v }
        tDelta = newTDelta
        stDiff = newSTDiff
        count += 1
    }

    private mutating func joint(dod: Int64, v: Double) {
        if dod == 0 {
            if v.bitPattern == staleNaNBits { body.add("11111"); return }
            let delta = v.bitPattern ^ baseline.bitPattern
            if delta == 0 { body.add("0"); return }
            body.add("10")
            window(delta, reuse: "0", new: "1")
            return
        }
        if dod >= -(1 << 12) && dod <= (1 << 12) - 1 {
            body.add("110"); body.add(UInt64(bitPattern: dod), width: 13)
        } else if dod >= -(1 << 19) && dod <= (1 << 19) - 1 {
            body.add("1110"); body.add(UInt64(bitPattern: dod), width: 20)
        } else {
            body.add("11110"); body.add(UInt64(bitPattern: dod), width: 64)
        }
        valueAfterTimestampChange(v)
    }

    private mutating func valueAfterTimestampChange(_ v: Double) {
        if v.bitPattern == staleNaNBits { body.add("111"); return }
        let delta = v.bitPattern ^ baseline.bitPattern
        if delta == 0 { body.add("0"); return }
        window(delta, reuse: "10", new: "110")
    }

    private mutating func window(_ delta: UInt64, reuse: String, new: String) {
        let newLeading = UInt8(min(delta.leadingZeroBitCount, 31))
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            body.add(reuse)
            body.add(delta >> UInt64(trailing), width: 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        let significant = 64 - Int(newLeading) - Int(newTrailing)
        body.add(new)
        body.add(UInt64(newLeading), width: 5)
        body.add(UInt64(significant), width: 6)  // 64 is written as 0
        body.add(delta >> UInt64(newTrailing), width: significant)
    }

    static func uvarint(_ v: UInt64, into b: inout Bits) {
        var x = v
        while x >= 0x80 {
            b.addByte(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        b.addByte(UInt8(x))
    }

    static func varint(_ v: Int64, into b: inout Bits) {
        uvarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)), into: &b)
    }

    /// `putVarbitInt`: a unary width prefix, then the two's-complement payload.
    static func varbit(_ v: Int64, into b: inout Bits) {
        func fits(_ n: Int) -> Bool { v >= -((1 << (n - 1)) - 1) && v <= 1 << (n - 1) }
        let u = UInt64(bitPattern: v)
        if v == 0 { b.add("0") }
        else if fits(3) { b.add("10"); b.add(u, width: 3) }
        else if fits(6) { b.add("110"); b.add(u, width: 6) }
        else if fits(9) { b.add("1110"); b.add(u, width: 9) }
        else if fits(12) { b.add("11110"); b.add(u, width: 12) }
        else if fits(18) { b.add("111110"); b.add(u, width: 18) }
        else if fits(25) { b.add("1111110"); b.add(u, width: 25) }
        else if fits(56) { b.add("11111110"); b.add(u, width: 56) }
        else { b.add("11111111"); b.add(u, width: 64) }
    }
}
