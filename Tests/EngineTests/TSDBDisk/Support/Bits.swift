/// Chunk bytes built bit by bit from the format description (tsdb/docs/format/chunks.md and chunkenc's
/// varbit/XOR rules), independent of the decoders under test.
struct Bits {
    var text = ""
    mutating func add(_ s: String) { text += s }
    mutating func add(_ v: UInt64, width: Int) {
        for i in stride(from: width - 1, through: 0, by: -1) { text += (v >> UInt64(i)) & 1 == 1 ? "1" : "0" }
    }
    mutating func add(double d: Double) { add(d.bitPattern, width: 64) }
    mutating func addByte(_ b: UInt8) { add(UInt64(b), width: 8) }
    var bytes: [UInt8] {
        var out: [UInt8] = []
        var cur: UInt8 = 0, n = 0
        for c in text {
            cur = cur << 1 | (c == "1" ? 1 : 0)
            n += 1
            if n == 8 { out.append(cur); cur = 0; n = 0 }
        }
        if n > 0 { out.append(cur << UInt8(8 - n)) }
        return out
    }
}
