import Testing
import TestSupport
@testable import Engine

@Suite struct ChunkencTests {
    /// t=1000 v=1.5; t=1015 v=1.5; t=1030 v=3.0; t=1060 v=3.0.
    static func xorChunk() -> [UInt8] {
        var b = Bits()
        b.add(4, width: 16)
        b.addByte(0xD0); b.addByte(0x0F)         // varint 1000 (zig-zag 2000)
        b.add(double: 1.5)
        b.addByte(0x0F)                          // uvarint delta 15
        b.add("0")                               // value unchanged
        b.add("0")                               // dod 0
        b.add("11"); b.add(1, width: 5); b.add(11, width: 6); b.add(0x7FF, width: 11)  // 1.5 ^ 3.0
        b.add("10"); b.add(15, width: 14)        // dod 15
        b.add("0")
        return b.bytes
    }

    @Test func xorChunkDecodes() throws {
        let s = try ChunkSamples.decode(encoding: .xor, bytes: Self.xorChunk())
        #expect(s.map(\.t) == [1000, 1015, 1030, 1060])
        #expect(s.compactMap(\.float) == [1.5, 1.5, 3.0, 3.0])
    }

    @Test func xorChunkTruncatedIsAnError() {
        let bytes = Self.xorChunk()
        for cut in 0..<(bytes.count - 1) {
            #expect(throws: ChunkDecodeError.self) { try ChunkSamples.decode(encoding: .xor, bytes: Array(bytes[0..<cut])) }
        }
    }

    /// Two integer histogram samples: t=1000 (count 5, sum 7.5, buckets [2, 3]) and t=1015 (count 8, buckets [3, 5]).
    static func integerHistogramChunk() -> [UInt8] {
        var b = Bits()
        b.add(2, width: 16); b.addByte(0x00)               // 2 samples, unknown counter reset
        b.addByte(0)                                      // zero threshold 0
        b.add("0")                                        // schema 0
        b.add("10"); b.add(1, width: 3)                   // 1 positive span
        b.add("10"); b.add(2, width: 3); b.add("0")       // length 2, offset 0
        b.add("0")                                        // no negative spans
        b.add("11110"); b.add(1000, width: 12)            // t 1000
        b.add("10"); b.add(5, width: 3)                   // count 5
        b.add("0")                                        // zero count 0
        b.add(double: 7.5)                                // sum
        b.add("10"); b.add(2, width: 3)                   // bucket 2
        b.add("10"); b.add(1, width: 3)                   // bucket delta +1 → 3
        b.add("110"); b.add(15, width: 6)                 // t dod 15 → 1015
        b.add("10"); b.add(3, width: 3)                   // count dod 3 → 8
        b.add("0")                                        // zero count dod 0
        b.add("0")                                        // sum unchanged
        b.add("10"); b.add(1, width: 3)                   // bucket dods +1, +1 → 3, 5
        b.add("10"); b.add(1, width: 3)
        return b.bytes
    }

    @Test func integerHistogramChunkDecodes() throws {
        let s = try ChunkSamples.decode(encoding: .histogram, bytes: Self.integerHistogramChunk())
        try #require(s.count == 2)
        let h0 = try #require(s[0].histogram), h1 = try #require(s[1].histogram)
        #expect(s[0].t == 1000 && s[1].t == 1015)
        #expect(h0.count == 5 && h0.sum == 7.5 && h0.positiveBuckets == [2, 3] && h0.counterResetHint == .unknown)
        #expect(h0.positiveSpans == [FloatHistogram.Span(offset: 0, length: 2)] && h0.schema == 0)
        #expect(h1.count == 8 && h1.positiveBuckets == [3, 5] && h1.counterResetHint == .notCounterReset)
    }

    @Test func floatHistogramChunkDecodesWithCustomBoundsAndGaugeHeader() throws {
        var b = Bits()
        b.add(2, width: 16); b.addByte(0xC0)               // 2 samples, gauge
        b.addByte(255); b.add(double: 0.25)               // explicit zero threshold
        b.add("11111110"); b.add(UInt64(bitPattern: -53) & 0xFF_FFFF_FFFF_FFFF, width: 56)  // schema −53
        b.add("10"); b.add(1, width: 3)                   // 1 positive span
        b.add("10"); b.add(1, width: 3); b.add("0")       // length 1, offset 0
        b.add("0")                                        // no negative spans
        b.add("10"); b.add(2, width: 3)                   // 2 custom bounds
        b.add("1110"); b.add(501, width: 9)               // 0.5 as 500+1
        b.add("0"); b.add(double: 1e9)                    // raw 64-bit bound
        b.add("1110"); b.add(100, width: 9)               // t 100
        b.add(double: 3); b.add(double: 0); b.add(double: 2.5); b.add(double: 3)
        b.add("0")                                        // t dod 0 → delta 0 (t stays 100)
        b.add("11"); b.add(11, width: 5); b.add(2, width: 6); b.add(3, width: 2)  // count 3 → 4
        b.add("0"); b.add("0"); b.add("0")                // zero count, sum, bucket unchanged
        let s = try ChunkSamples.decode(encoding: .floatHistogram, bytes: b.bytes)
        try #require(s.count == 2)
        let h0 = try #require(s[0].histogram), h1 = try #require(s[1].histogram)
        #expect(h0.schema == -53 && h0.customValues == [0.5, 1e9] && h0.zeroThreshold == 0.25)
        #expect(h0.count == 3 && h0.sum == 2.5 && h0.positiveBuckets == [3] && h0.counterResetHint == .gauge)
        #expect(h1.count == 4 && h1.counterResetHint == .gauge && s[1].t == 100)
    }

    @Test func zeroThresholdShortForm() throws {
        var b = Bits()
        b.add(1, width: 16); b.addByte(0)
        b.addByte(243 - 9)                                // 0.5 × 2^-9 ... = 2^-10
        b.add("0"); b.add("0"); b.add("0")                // schema 0, no spans
        b.add("0"); b.add("0"); b.add("0"); b.add(double: 1)  // t 0, count 0, zero count 0, sum 1
        let s = try ChunkSamples.decode(encoding: .histogram, bytes: b.bytes)
        #expect(s.first?.histogram?.zeroThreshold == 1.0 / 1024)
    }

    @Test func randomBytesNeverCrash() {
        var rng = TestRNG(seed: 15)
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<64, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            for e in [ChunkEncoding.xor, .histogram, .floatHistogram, .xor2, .histogramST, .floatHistogramST] {
                _ = try? ChunkSamples.decode(encoding: e, bytes: bytes)
            }
        }
    }

    @Test func hugeSpanLengthIsRejectedNotAllocated() {
        var b = Bits()
        b.add(1, width: 16); b.addByte(0)
        b.addByte(0); b.add("0")
        b.add("10"); b.add(1, width: 3)
        b.add("11111111"); b.add(UInt64(UInt32.max), width: 64); b.add("0")
        b.add("0")
        #expect(throws: ChunkDecodeError.self) { try ChunkSamples.decode(encoding: .histogram, bytes: b.bytes) }
    }

    @Test func encodingNames() {
        #expect(ChunkEncoding(rawValue: 1)?.description == "XOR")
        #expect(ChunkEncoding(rawValue: 3)?.description == "floathistogram")
        #expect(ChunkEncoding(rawValue: 7) == nil)
    }
}
