import Testing
import TestSupport
@testable import Engine
import TestSupport

/// Bit-at-a-time decoder of the `XORChunk` format, independent of `ChunkBitReader`: the oracle the windowed
/// decoder must agree with, sample for sample and in where it stops on corrupt or truncated input.
fileprivate struct ReferenceDecoder {
    let bytes: [UInt8]
    let bitCount: Int
    var pos = 0

    init(bytes: [UInt8], bitCount: Int) {
        self.bytes = bytes
        self.bitCount = max(0, min(bitCount, bytes.count * 8))
    }

    mutating func bit() -> Bool? {
        guard pos < bitCount else { return nil }
        defer { pos += 1 }
        return (bytes[pos / 8] >> UInt8(7 - pos % 8)) & 1 == 1
    }

    mutating func bits(_ n: Int) -> UInt64? {
        guard n >= 0, n <= 64, n <= bitCount - pos else { return nil }
        var out: UInt64 = 0
        for _ in 0..<n {
            guard let b = bit() else { return nil }
            out = out << 1 | (b ? 1 : 0)
        }
        return out
    }

    mutating func ones(upTo limit: Int) -> Int? {
        var n = 0
        while n < limit {
            guard let b = bit() else { return nil }
            if !b { break }
            n += 1
        }
        return n
    }

    mutating func signed(_ width: Int) -> Int64? {
        guard let raw = bits(width) else { return nil }
        if width == 64 { return Int64(bitPattern: raw) }
        return Int64(bitPattern: raw << UInt64(64 - width)) >> Int64(64 - width)
    }

    /// Decodes up to `count` samples, stopping at the first undecodable one.
    static func decode(bytes: [UInt8], bitCount: Int, count: Int) -> [(t: Int64, bits: UInt64)] {
        var r = ReferenceDecoder(bytes: bytes, bitCount: bitCount)
        var out: [(t: Int64, bits: UInt64)] = []
        guard count > 0 else { return out }
        var varint: UInt64 = 0
        var shift: UInt64 = 0
        var done = false
        for _ in 0..<10 {
            guard let b = r.bits(8) else { return out }
            varint |= (b & 0x7f) << shift
            if b < 0x80 {
                done = true
                break
            }
            shift += 7
        }
        guard done, let first = r.bits(64) else { return out }
        var t = Int64(bitPattern: (varint >> 1) ^ (0 &- (varint & 1)))
        var bits = first
        out.append((t, bits))
        var tDelta: Int64 = 0
        var leading = 0, trailing = 0
        while out.count < count {
            guard let p = r.ones(upTo: 4) else { return out }
            let dod: Int64
            if p == 0 {
                dod = 0
            } else {
                guard let d = r.signed([14, 17, 20, 64][p - 1]) else { return out }
                dod = d
            }
            tDelta = tDelta &+ dod
            t = t &+ tDelta
            guard let changed = r.bit() else { return out }
            if changed {
                guard let isXOR = r.bit() else { return out }
                if isXOR {
                    guard let newWindow = r.bit() else { return out }
                    if newWindow {
                        guard let lz = r.bits(5), let sigRaw = r.bits(6) else { return out }
                        let sig = sigRaw == 0 ? 64 : Int(sigRaw)
                        guard Int(lz) + sig <= 64 else { return out }
                        leading = Int(lz)
                        trailing = 64 - Int(lz) - sig
                    }
                    guard let m = r.bits(64 - leading - trailing) else { return out }
                    bits ^= m << UInt64(trailing)
                } else {
                    guard let p = r.ones(upTo: 4), let d = r.signed([6, 9, 16, 32, 64][p]),
                          let prev = tsdbSmallInteger(bits) else { return out }
                    let (sum, overflow) = prev.addingReportingOverflow(d)
                    guard !overflow, sum.magnitude <= 1 << 53 else { return out }
                    bits = Double(sum).bitPattern
                }
            }
            out.append((t, bits))
        }
        return out
    }
}

fileprivate func decodeAll(bytes: [UInt8], bitCount: Int, count: Int) -> [(t: Int64, bits: UInt64)] {
    var it = XORChunkIterator(bytes: bytes, bitCount: bitCount, count: count)
    var out: [(t: Int64, bits: UInt64)] = []
    while it.next() { out.append((it.t, it.bits)) }
    let again = it.next()
    #expect(!again, "an exhausted or failed iterator stays exhausted")
    return out
}

fileprivate func sameSamples(_ a: [(t: Int64, bits: UInt64)], _ b: [(t: Int64, bits: UInt64)]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.t == $1.t && $0.bits == $1.bits }
}

/// Delta-of-delta values at the edges of every timestamp width class (1, 14, 17, 20 and 64 bits).
fileprivate let dodCases: [Int64] = [
    0, 1, -1, -8192, 8191, 8192, -8193, 65535, -65536, 65536, -65537, 524_287, -524_288, 524_288, -524_289,
    1 << 40, -(1 << 40), Int64.max, Int64.min,
]

/// Value steps covering "same", every integer-delta width class (6, 9, 16, 32, 64 bits) at its edges, and XOR
/// encodings with new and reused windows, 1 and 64 meaningful bits.
fileprivate let valueSteps: [(Double, Double)] = [
    (5, 5), (0, -32), (0, 31), (0, 32), (0, -33), (0, 255), (0, -256), (0, 256), (0, -257), (0, 32767), (0, -32768),
    (0, 32768), (0, -32769), (0, 2_147_483_647), (0, -2_147_483_648), (0, 2_147_483_648), (0, -2_147_483_649),
    (-9_007_199_254_740_992, 9_007_199_254_740_992), (9_007_199_254_740_992, -9_007_199_254_740_992),
    (0.5, 0.75), (1.5, 1.5000001), (1.0, -1.0), (Double(bitPattern: 1), -0.0), (-0.0, -0.0), (StaleNaN, StaleNaN),
    (.nan, .infinity), (-.infinity, 7), (9_007_199_254_740_994, 3), (0.1, 0.2),
]

/// A chunk whose timestamps step through `dods` and whose values step through `valueSteps` for each of them.
fileprivate func widthClassChunk(dods: [Int64]) -> (chunk: XORChunk, samples: [(t: Int64, bits: UInt64)]) {
    var c = XORChunk()
    var samples: [(t: Int64, bits: UInt64)] = []
    var t: Int64 = 1_700_000_000_000
    var delta: Int64 = 0
    func add(_ dod: Int64, _ v: Double) {
        if !samples.isEmpty {
            delta = delta &+ dod
            t = t &+ delta
        }
        c.append(t: t, v: v)
        samples.append((t, v.bitPattern))
    }
    for dod in dods {
        for (a, b) in valueSteps {
            add(0, a)
            add(dod, b)
        }
    }
    return (c, samples)
}

@Suite struct XORChunkDecodeTests {
    @Test(arguments: 0..<dodCases.count)
    func everyWidthClassRoundTrips(dodIndex: Int) {
        // Each dod class paired with each value class, then a second pass with the pair order reversed so the
        // fields land at other bit offsets of the decoding window.
        for dods in [[dodCases[dodIndex]], [dodCases[dodIndex], 15_000, dodCases[dodIndex]]] {
            let (c, samples) = widthClassChunk(dods: dods)
            let got = decodeAll(bytes: c.stream.bytes, bitCount: c.stream.bitCount, count: c.count)
            #expect(sameSamples(got, samples), "dods \(dods)")
            var viaChunk = c.makeIterator()
            var n = 0
            while viaChunk.next() {
                if n < samples.count { #expect(viaChunk.t == samples[n].t && viaChunk.bits == samples[n].bits) }
                n += 1
            }
            #expect(n == samples.count)
        }
    }

    @Test func allWidthClassesInOneChunk() {
        let (c, samples) = widthClassChunk(dods: dodCases + dodCases.reversed())
        #expect(sameSamples(decodeAll(bytes: c.stream.bytes, bitCount: c.stream.bitCount, count: c.count), samples))
    }

    @Test(arguments: [Int64(0), 8191, -524_289, Int64.min])
    func everyTruncationStopsCleanly(dod: Int64) {
        let (c, samples) = widthClassChunk(dods: [dod])
        let bytes = c.stream.bytes
        for cut in 0...c.stream.bitCount {
            let got = decodeAll(bytes: bytes, bitCount: cut, count: c.count)
            let ref = ReferenceDecoder.decode(bytes: bytes, bitCount: cut, count: c.count)
            #expect(sameSamples(got, ref), "cut at bit \(cut)")
            #expect(sameSamples(got, Array(samples.prefix(got.count))), "cut at bit \(cut)")
            if cut < c.stream.bitCount { #expect(got.count < samples.count, "cut at bit \(cut)") }
            // The bytes themselves cut short too (bitCount past the end is clamped).
            let short = Array(bytes.prefix((cut + 7) / 8))
            #expect(sameSamples(decodeAll(bytes: short, bitCount: c.stream.bitCount, count: c.count),
                                ReferenceDecoder.decode(bytes: short, bitCount: c.stream.bitCount, count: c.count)))
        }
    }

    @Test func endOfStream() {
        for n in 0...130 {
            var c = XORChunk()
            var samples: [(t: Int64, bits: UInt64)] = []
            for i in 0..<n {
                let t = Int64(i) * 15_000 + Int64(i % 3)
                let v = Double(i * i % 17) + (i % 5 == 0 ? 0.25 : 0)
                c.append(t: t, v: v)
                samples.append((t, v.bitPattern))
            }
            #expect(sameSamples(decodeAll(bytes: c.stream.bytes, bitCount: c.stream.bitCount, count: c.count), samples))
            // Claiming more samples than were written: decoding stops at the end of the stream.
            let more = decodeAll(bytes: c.stream.bytes, bitCount: c.stream.bitCount, count: n + 3)
            #expect(sameSamples(more, ReferenceDecoder.decode(bytes: c.stream.bytes, bitCount: c.stream.bitCount,
                                                             count: n + 3)))
            #expect(sameSamples(Array(more.prefix(n)), samples))
        }
    }

    @Test(arguments: 1...6)
    func corruptStreamsMatchReference(seed: UInt64) {
        var rng = TestRNG(seed: seed)
        for round in 0..<300 {
            var bytes: [UInt8]
            var count: Int
            if round % 3 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                count = Int.random(in: 0...60, using: &rng)
            } else {
                var c = XORChunk()
                var t = Int64.random(in: -1_000_000...1_000_000, using: &rng)
                var v = 0.0
                for _ in 0..<Int.random(in: 1...120, using: &rng) {
                    t += Int64.random(in: 1...100_000, using: &rng)
                    v = Bool.random(using: &rng) ? v + Double(Int.random(in: -300...300, using: &rng))
                        : Double(bitPattern: rng.next())
                    c.append(t: t, v: v)
                }
                bytes = c.stream.bytes
                count = c.count + Int.random(in: -2...2, using: &rng)
                for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                    let bit = UInt8(1) << UInt8.random(in: 0...7, using: &rng)
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= bit
                }
            }
            let bitCount = Int.random(in: -8...(bytes.count * 8 + 16), using: &rng)
            let got = decodeAll(bytes: bytes, bitCount: bitCount, count: count)
            let ref = ReferenceDecoder.decode(bytes: bytes, bitCount: bitCount, count: count)
            #expect(sameSamples(got, ref), "round \(round)")
        }
    }

    @Test(arguments: 1...4)
    func randomChunksMatchReference(seed: UInt64) {
        var rng = TestRNG(seed: seed &+ 100)
        for _ in 0..<40 {
            var c = XORChunk()
            var samples: [(t: Int64, bits: UInt64)] = []
            var t = Int64.random(in: Int64.min / 2...Int64.max / 2, using: &rng)
            var v = 0.0
            for _ in 0..<Int.random(in: 1...240, using: &rng) {
                let gaps: [Int64] = [
                    1, 15_000, Int64.random(in: 1...1 << 21, using: &rng), Int64.random(in: 1...1 << 50, using: &rng),
                ]
                t &+= gaps[Int.random(in: 0..<4, using: &rng)]
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: break
                case 1: v = Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &rng))
                case 2: v = Double(Int.random(in: -40_000...40_000, using: &rng))
                case 3: v = Double(bitPattern: rng.next())
                case 4: v = v.isFinite ? v + 0.5 : 0
                default: v = v.isFinite && v.magnitude < 1e15 ? v + Double(Int.random(in: -3...3, using: &rng)) : 1
                }
                c.append(t: t, v: v)
                samples.append((t, v.bitPattern))
            }
            let got = decodeAll(bytes: c.stream.bytes, bitCount: c.stream.bitCount, count: c.count)
            #expect(sameSamples(got, samples))
            #expect(sameSamples(got, ReferenceDecoder.decode(bytes: c.stream.bytes, bitCount: c.stream.bitCount,
                                                             count: c.count)))
        }
    }

    /// Pins the encoded format: these bytes were produced by the writer before the decoder was rewritten.
    @Test func encodedBytesAreStable() {
        var c = XORChunk()
        let samples: [(Int64, Double)] = [
            (1_700_000_000_000, 100), (1_700_000_015_000, 100), (1_700_000_030_000, 107), (1_700_000_045_001, 400),
            (1_700_000_059_999, 70_000), (1_700_000_075_000, 0.5), (1_700_000_090_000, 0.75),
            (1_700_000_105_000, StaleNaN), (1_700_001_105_000, -0.0), (1_700_101_105_000, 1e300),
            (1_700_101_105_001, 3), (1_900_000_000_000, 3_000_000_000),
        ]
        for (t, v) in samples { c.append(t: t, v: v) }
        let hex = c.stream.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(c.stream.bitCount == XORChunkDecodeTests.goldenBitCount)
        #expect(hex == XORChunkDecodeTests.goldenHex)
    }

    static let goldenBitCount = 957
    static let goldenHex = ""
        + "80a0abfef9624059000000000000c3a9820f000360125bffdb800043f82000f8"
        + "57fe222f7fff800400387e8030000000000007c00000000003c1ea383ffff000"
        + "0000000003e000000000bcd3d81bf8df90f22001d677fffffffffd050f80e3e3"
        + "fe43c8800759de0000005d15ce252d78000000059682efe8"
}

@Suite struct ChunkBitReaderTests {
    @Test(arguments: 1...4)
    func peekAndReadBitsMatchBitByBit(seed: UInt64) {
        var rng = TestRNG(seed: seed)
        for _ in 0..<60 {
            let bytes = (0..<Int.random(in: 0...20, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let bitCount = Int.random(in: -3...(bytes.count * 8 + 12), using: &rng)
            let total = max(0, min(bitCount, bytes.count * 8))
            for start in 0...total {
                var r = ChunkBitReader(bytes: bytes, bitCount: bitCount)
                let skipped = r.consume(start)
                #expect(skipped)
                #expect(r.remaining == total - start)
                var ref = ReferenceDecoder(bytes: bytes, bitCount: bitCount)
                ref.pos = start
                let (w, valid) = r.peek()
                #expect(valid == min(64, total - start))
                var expected: UInt64 = 0
                for k in 0..<64 {
                    let b = k < valid ? (ref.bit() ?? false) : false
                    expected |= (b ? 1 : 0) << UInt64(63 - k)
                }
                #expect(w == expected, "start \(start) of \(total)")
                for n in [0, 1, 5, 8, 9, 31, 56, 57, 58, 63, 64, 65, -1] {
                    var copy = r
                    let got = copy.readBits(n)
                    if n < 0 || n > 64 || n > total - start {
                        #expect(got == nil)
                        #expect(copy.position == start)
                    } else {
                        #expect(got == (n == 0 ? 0 : expected >> UInt64(64 - n)), "start \(start) n \(n)")
                        #expect(copy.position == start + n)
                    }
                }
                var past = r
                let overrun = past.consume(total - start + 1)
                #expect(!overrun)
                #expect(past.position == start)
            }
        }
    }

    @Test func emptyAndOverstatedStreams() {
        var empty = ChunkBitReader(bytes: [], bitCount: 100)
        #expect(empty.remaining == 0)
        #expect(empty.peek().window == 0 && empty.peek().valid == 0)
        let (bit, one, none, varint) = (empty.readBit(), empty.readBits(1), empty.readBits(0), empty.readUVarint())
        #expect(bit == nil && one == nil && none == 0 && varint == nil)
        // Bits past bitCount inside the last byte are never returned.
        var r = ChunkBitReader(bytes: [0xff, 0xff], bitCount: 9)
        #expect(r.peek().window == 0xff80_0000_0000_0000 && r.peek().valid == 9)
        let tooMany = r.readBits(10)
        let nine = r.readBits(9)
        let after = r.readBit()
        #expect(tooMany == nil && nine == 0x1ff && after == nil)
    }

    @Test func sixtyFourBitReadsAtEveryAlignment() {
        var rng = TestRNG(seed: 9)
        for offset in 0..<16 {
            var w = ChunkBitWriter()
            w.writeBits(0, count: offset)
            let a = rng.next(), b = rng.next()
            w.writeBits(a, count: 64)
            w.writeBits(b, count: 64)
            var r = ChunkBitReader(bytes: w.bytes, bitCount: w.bitCount)
            let (pad, first, second, extra) = (r.readBits(offset), r.readBits(64), r.readBits(64), r.readBits(1))
            #expect(pad == 0 && first == a && second == b && extra == nil)
        }
    }
}
