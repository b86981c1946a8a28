import Testing
import TestSupport
@testable import Engine

/// Bit-exactness of Prometheus's XOR chunk encoding. The byte strings are chunks `promtool tsdb
/// create-blocks-from openmetrics` wrote (QueryTests' TSDBCreateBlocksProcessTests compare whole blocks
/// against the installed promtool); the round trip decodes with an independent reader written from
/// tsdb/docs/format/chunks.md.
@Suite struct XORChunkEncoderTests {
    static func encode(_ samples: [(Int64, Double)]) -> [UInt8] {
        var e = XORChunkEncoder()
        for (t, v) in samples { e.append(t: t, v: v) }
        return e.bytes
    }

    @Test func twoSamplesMatchPromtool() {
        // a{b="c"} 1 100, 2 115 (promtool 2.42 and 3.x agree here).
        #expect(Self.encode([(100_000, 1), (115_000, 2)]) ==
            [0x00, 0x02, 0xC0, 0x9A, 0x0C, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0x98, 0x75, 0xC2, 0x5F, 0xFF])
    }

    @Test func threeSamplesMatchPromtool() {
        #expect(Self.encode([(100_000, 1), (101_000, 2), (102_000, 3)]) ==
            [0x00, 0x03, 0xC0, 0x9A, 0x0C, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0xE8, 0x07, 0xC2, 0x5F, 0xFF, 0x6C, 0x06])
    }

    @Test func oneSampleHasNoPaddingByte() {
        // Prometheus 3.x's bstream writes no zero byte after a byte-aligned end (2.42 added one: 14 bytes).
        #expect(Self.encode([(100_000, 3)]) == [0x00, 0x01, 0xC0, 0x9A, 0x0C, 0x40, 0x08, 0, 0, 0, 0, 0, 0])
    }

    @Test func emptyChunkIsTheHeader() {
        #expect(XORChunkEncoder().bytes == [0, 0])
        #expect(XORChunkEncoder().sampleCount == 0)
    }

    @Test(arguments: [1, 2, 3, 7, 120, 240, 1000])
    func roundTrip(count: Int) throws {
        var rng = TestRNG(seed: UInt64(count))
        var samples: [(Int64, Double)] = []
        var t = Int64(bitPattern: rng.next() % 1_000_000_000_000) - 500_000_000_000
        for i in 0..<count {
            // Steps that hit every delta-of-delta bucket, values of every XOR shape.
            let steps: [Int64] = [15_000, 15_000, 15_001, 14_000, 30_000, 8_000, 100_000, 1_000_000, 1 << 40, 1]
            t += steps[Int(rng.next() % UInt64(steps.count))]
            let kinds: [Double] = [Double(i), 0.1 * Double(i), Double(rng.next() % 1000), .nan, -0.0, .infinity,
                                   Double(bitPattern: rng.next()), samples.last?.1 ?? 0, 1e300, -1e-300]
            samples.append((t, kinds[Int(rng.next() % UInt64(kinds.count))]))
        }
        let bytes = Self.encode(samples)
        let decoded = try #require(TestXORReader.decode(bytes))
        #expect(decoded.count == samples.count)
        for (a, b) in zip(decoded, samples) {
            #expect(a.0 == b.0)
            #expect(a.1.bitPattern == b.1.bitPattern)
        }
        // The product's decoder (control bits, timestamps and values read from one look at the stream where
        // they fit, bit by bit near the end) gives the same samples.
        var it = try DiskXORChunkIterator(bytes: bytes)
        var product: [(Int64, Double)] = []
        while let s = try it.next() { product.append((s.t, s.v)) }
        #expect(product.count == samples.count)
        for (a, b) in zip(product, samples) {
            #expect(a.0 == b.0)
            #expect(a.1.bitPattern == b.1.bitPattern)
        }
        // Every truncation is an error or a shorter, equal prefix — never a crash or a different sample.
        for cut in stride(from: 2, to: bytes.count, by: max(1, bytes.count / 40)) {
            var short = try DiskXORChunkIterator(bytes: Array(bytes[..<cut]))
            var i = 0
            while i < samples.count {
                guard let s = try? short.next() else { break }
                #expect(s.t == samples[i].0 && s.v.bitPattern == samples[i].1.bitPattern)
                i += 1
            }
        }
    }
}

/// A reader of the XOR format for the round trip (not the product's decoder: an independent check).
enum TestXORReader {
    static func decode(_ bytes: [UInt8]) -> [(Int64, Double)]? {
        guard bytes.count >= 2 else { return nil }
        let n = Int(bytes[0]) << 8 | Int(bytes[1])
        var pos = 16 // bit position
        func bit() -> UInt64? {
            guard pos / 8 < bytes.count else { return nil }
            let b = (bytes[pos / 8] >> UInt8(7 - pos % 8)) & 1
            pos += 1
            return UInt64(b)
        }
        func bits(_ k: Int) -> UInt64? {
            var v: UInt64 = 0
            for _ in 0..<k { guard let b = bit() else { return nil }; v = v << 1 | b }
            return v
        }
        func uvarint() -> UInt64? {
            var x: UInt64 = 0, s: UInt64 = 0
            while true {
                guard let b = bits(8) else { return nil }
                x |= (b & 0x7F) << s
                if b < 0x80 { return x }
                s += 7
            }
        }
        // Prometheus's buckets reach one further on the positive side: 2^(k-1) is positive.
        func signExtend(_ v: UInt64, _ k: Int) -> Int64 {
            v > UInt64(1) << UInt64(k - 1) ? Int64(v) - (Int64(1) << Int64(k)) : Int64(v)
        }
        var out: [(Int64, Double)] = []
        var t: Int64 = 0, delta: Int64 = 0, vbits: UInt64 = 0, leading = 0, trailing = 0
        func readValue() -> Bool {
            guard let control = bit() else { return false }
            if control == 0 { return true }
            guard let window = bit() else { return false }
            if window == 1 {
                guard let l = bits(5), let sig = bits(6) else { return false }
                leading = Int(l)
                let s = sig == 0 ? 64 : Int(sig)
                trailing = 64 - leading - s
            }
            let s = 64 - leading - trailing
            guard let x = bits(s) else { return false }
            vbits ^= x << UInt64(trailing)
            return true
        }
        for i in 0..<n {
            if i == 0 {
                guard let u = uvarint(), let v = bits(64) else { return nil }
                t = Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
                vbits = v
            } else if i == 1 {
                guard let d = uvarint() else { return nil }
                delta = Int64(bitPattern: d)
                t &+= delta
                guard readValue() else { return nil }
            } else {
                var prefix = 0
                while prefix < 4 { guard let b = bit() else { return nil }; if b == 0 { break }; prefix += 1 }
                var dod: Int64 = 0
                switch prefix {
                case 0: dod = 0
                case 1: guard let v = bits(14) else { return nil }; dod = signExtend(v, 14)
                case 2: guard let v = bits(17) else { return nil }; dod = signExtend(v, 17)
                case 3: guard let v = bits(20) else { return nil }; dod = signExtend(v, 20)
                default: guard let v = bits(64) else { return nil }; dod = Int64(bitPattern: v)
                }
                delta &+= dod
                t &+= delta
                guard readValue() else { return nil }
            }
            out.append((t, Double(bitPattern: vbits)))
        }
        return out
    }
}
