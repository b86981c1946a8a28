import Testing
import TestSupport
@testable import Engine

/// Prometheus 3.14's start-timestamp chunk encodings: XOR2 (4), histogramST (5), floathistogramST (6). Vectors are
/// built bit by bit from the format description in `tsdb/chunkenc/{xor2,st,histogram_st}.go`, and XOR2 chunks
/// also by `XOR2TestEncoder` (the appender's rules) for round trips.
@Suite struct ChunkencSTTests {
    /// 1.5 → 3.0 is an XOR of 0x7FF0…: leading 1, 11 significant bits, trailing 52.
    static func xor2Chunk() -> [UInt8] {
        var b = Bits()
        b.add(7, width: 16); b.addByte(0x00)            // 7 samples, no start timestamps
        b.addByte(0xD0); b.addByte(0x0F)                // t 1000 (varint)
        b.add(double: 1.5)
        b.addByte(0x0F)                                 // delta 15 (uvarint)
        b.add("0")                                      // value unchanged
        b.add("0")                                      // dod 0, value unchanged → 1030
        b.add("110"); b.add(15, width: 13)              // dod 15 → 1060
        b.add("110"); b.add(1, width: 5); b.add(11, width: 6); b.add(0x7FF, width: 11)  // new window: 3.0
        b.add("110"); b.add(UInt64(bitPattern: -15), width: 13)  // dod −15 → 1075
        b.add("111")                                    // stale NaN
        b.add("0")                                      // dod 0, value unchanged (3.0: stale is no baseline)
        b.add("11111")                                  // dod 0, stale NaN → 1105
        return b.bytes
    }

    @Test func xor2ChunkDecodes() throws {
        let s = try ChunkSamples.decode(encoding: .xor2, bytes: Self.xor2Chunk())
        #expect(s.map(\.t) == [1000, 1015, 1030, 1060, 1075, 1090, 1105])
        let v = s.compactMap(\.float)
        #expect(v.count == 7)
        #expect(Array(v[0..<4]) == [1.5, 1.5, 1.5, 3.0] && v[5] == 3.0)
        #expect(isStaleNaN(v[4]) && isStaleNaN(v[6]))
        #expect(try ChunkSamples.decodeWithStartTimestamps(encoding: .xor2, bytes: Self.xor2Chunk()).allSatisfy { $0.startTimestamp == 0 })
    }

    @Test func xor2StartTimestampsDecode() throws {
        var b = Bits()
        b.add(3, width: 16); b.addByte(0x81)            // first ST known, per-sample STs from sample 1
        b.addByte(0xD0); b.addByte(0x0F); b.add(double: 1)  // t 1000, v 1
        b.addByte(0xC8); b.addByte(0x01)                // t − st = 100 → st 900
        b.addByte(0x0A); b.add("0")                     // t 1010, v unchanged
        b.add("1110"); b.add(50, width: 9)              // prevT − st = 50 → st 950
        b.add("0")                                      // t 1020, v unchanged
        b.add("110"); b.add(10, width: 6)               // prevT − st = 50 + 10 = 60 → st 950
        let s = try ChunkSamples.decodeWithStartTimestamps(encoding: .xor2, bytes: b.bytes)
        #expect(s.map(\.startTimestamp) == [900, 950, 950])
        #expect(s.map(\.sample.t) == [1000, 1010, 1020])
        #expect(s.compactMap(\.sample.float) == [1, 1, 1])
    }

    /// Series shapes an appender meets: steady scrapes, jitter, big gaps, value changes, stale markers, and start
    /// timestamps absent, constant, changing from the second sample, changing late, and past sample 127.
    @Test(arguments: 0..<8) func xor2RoundTrips(shape: Int) throws {
        var rng = TestRNG(seed: UInt64(100 + shape))
        var enc = XOR2TestEncoder()
        var want: [(st: Int64, t: Int64, v: Double)] = []
        var t: Int64 = 1_700_000_000_000 + Int64(shape)
        var v = 10.0
        var st: Int64 = shape == 1 ? t - 5000 : 0
        let n = shape >= 6 ? 300 : 140
        for i in 0..<n {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: t += Int64.random(in: 1...3000, using: &rng)
            case 1: t += Int64.random(in: 4000...500_000, using: &rng)
            case 2: t += Int64.random(in: 600_000...Int64(1) << 40, using: &rng)
            default: t += 15000
            }
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: v = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))
            case 1: v += 1
            case 2: v *= 1.0001
            default: break
            }
            if v.isNaN && v.bitPattern == staleNaNBits { v = 0 }
            let value = shape != 0 && Int.random(in: 0..<12, using: &rng) == 0 ? StaleNaN : v
            switch shape {
            case 2: if i >= 1 { st = t - Int64.random(in: 0...90_000, using: &rng) }
            case 3: if i == 40 { st = t - 100 }
            case 4: if i >= 130 && i % 3 == 0 { st = t - Int64.random(in: -1000...1000, using: &rng) }
            case 5: if i > 0 && i % 10 == 0 { st = st + Int64.random(in: -300...300, using: &rng) }
            case 6: if i == 200 { st = 42 }
            case 7: st = i % 2 == 0 ? t - 1 : Int64.random(in: Int64.min / 4...Int64.max / 4, using: &rng)
            default: break
            }
            enc.append(st: st, t: t, v: value)
            want.append((st, t, value))
        }
        let got = try ChunkSamples.decodeWithStartTimestamps(encoding: .xor2, bytes: enc.bytes)
        try #require(got.count == want.count)
        for (g, w) in zip(got, want) {
            #expect(g.startTimestamp == w.st && g.sample.t == w.t)
            #expect(g.sample.float?.bitPattern == w.v.bitPattern)
        }
        let plain = try ChunkSamples.decode(encoding: .xor2, bytes: enc.bytes)
        #expect(plain.map(\.t) == want.map(\.t))
    }

    @Test func xor2TruncatedIsAnError() {
        var enc = XOR2TestEncoder()
        for i in 0..<20 { enc.append(st: i < 10 ? 0 : Int64(i), t: Int64(i * 15000 + i % 3), v: Double(i % 4)) }
        let bytes = enc.bytes
        for cut in 0..<(bytes.count - 1) {
            #expect(throws: ChunkDecodeError.self) { try ChunkSamples.decode(encoding: .xor2, bytes: Array(bytes[0..<cut])) }
        }
    }

    @Test func xor2ImpossibleWindowIsAnError() {
        var b = Bits()
        b.add(2, width: 16); b.addByte(0)
        b.addByte(0); b.add(double: 1)
        b.addByte(1); b.add("110"); b.add(31, width: 5); b.add(60, width: 6)  // 31 + 60 > 64
        b.add(0, width: 60)
        #expect(throws: ChunkDecodeError.self) { try ChunkSamples.decode(encoding: .xor2, bytes: b.bytes) }
    }

    /// The integer histogram chunk of `ChunkencTests` in the ST layout: counter-reset header and a 14-bit count
    /// in bytes 0–1, the ST header in byte 2, and ST data after each sample.
    static func histogramSTChunk(countHigh: UInt8 = 0) -> [UInt8] {
        var b = Bits()
        b.addByte(0xC0 | countHigh); b.addByte(2); b.addByte(0x81)  // gauge, 2 samples, first ST known, change on 1
        b.addByte(0); b.add("0")                                    // zero threshold 0, schema 0
        b.add("10"); b.add(1, width: 3)
        b.add("10"); b.add(2, width: 3); b.add("0")
        b.add("0")
        b.add("11110"); b.add(1000, width: 12)                      // t 1000
        b.add("10"); b.add(5, width: 3); b.add("0"); b.add(double: 7.5)
        b.add("10"); b.add(2, width: 3); b.add("10"); b.add(1, width: 3)
        b.addByte(0x14)                                             // t − st = 10 → st 990
        b.add("110"); b.add(15, width: 6)                           // t 1015
        b.add("10"); b.add(3, width: 3); b.add("0"); b.add("0")
        b.add("10"); b.add(1, width: 3); b.add("10"); b.add(1, width: 3)
        b.add("110"); b.add(UInt64(bitPattern: -20), width: 6)       // prevT − st = −20 → st 1020
        return b.bytes
    }

    @Test func histogramSTChunkDecodes() throws {
        let s = try ChunkSamples.decodeWithStartTimestamps(encoding: .histogramST, bytes: Self.histogramSTChunk())
        try #require(s.count == 2)
        #expect(s.map(\.startTimestamp) == [990, 1020] && s.map(\.sample.t) == [1000, 1015])
        let h0 = try #require(s[0].sample.histogram), h1 = try #require(s[1].sample.histogram)
        #expect(h0.count == 5 && h0.positiveBuckets == [2, 3] && h0.counterResetHint == .gauge)
        #expect(h1.count == 8 && h1.positiveBuckets == [3, 5] && h1.counterResetHint == .gauge)
    }

    /// The top two bits of byte 0 are the counter-reset header, not part of the count; the other 6 are.
    @Test func histogramSTCountIsFourteenBits() throws {
        #expect(throws: ChunkDecodeError.self) {
            try ChunkSamples.decode(encoding: .histogramST, bytes: Self.histogramSTChunk(countHigh: 1))  // 258 samples
        }
    }

    @Test func floatHistogramSTChunkDecodes() throws {
        var b = Bits()
        b.addByte(0x00); b.addByte(2); b.addByte(0x80)   // 2 samples, first ST known, no changes recorded
        b.addByte(0); b.add("0"); b.add("0"); b.add("0")  // zero threshold 0, schema 0, no spans
        b.add("1110"); b.add(100, width: 9)              // t 100
        b.add(double: 3); b.add(double: 0); b.add(double: 2.5)
        b.addByte(0x28)                                  // t − st = 20 → st 80
        b.add("110"); b.add(30, width: 6)                // t 130
        b.add("0"); b.add("0"); b.add("0")              // count, zero count, sum unchanged
        let s = try ChunkSamples.decodeWithStartTimestamps(encoding: .floatHistogramST, bytes: b.bytes)
        #expect(s.map(\.startTimestamp) == [80, 80] && s.map(\.sample.t) == [100, 130])
        #expect(s.compactMap(\.sample.histogram?.sum) == [2.5, 2.5])
        let cut = Array(b.bytes.dropLast())
        #expect(throws: ChunkDecodeError.self) { try ChunkSamples.decode(encoding: .floatHistogramST, bytes: cut) }
    }

    @Test func stEncodingsAreDecodable() {
        for raw in UInt8(1)...6 { #expect(ChunkEncoding(rawValue: raw)?.isDecodable == true) }
        #expect(ChunkEncoding.none.isDecodable == false)
        #expect(ChunkEncoding.histogramST.holdsIntegerHistograms && ChunkEncoding.histogram.holdsIntegerHistograms)
        #expect(!ChunkEncoding.floatHistogramST.holdsIntegerHistograms && !ChunkEncoding.xor2.holdsIntegerHistograms)
    }
}
