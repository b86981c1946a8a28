import Testing
import TestSupport
@testable import Engine
import TestSupport

fileprivate func roundTrip(_ samples: [(Int64, Double)]) -> [(Int64, UInt64)] {
    var c = XORChunk()
    for (t, v) in samples { c.append(t: t, v: v) }
    var it = c.makeIterator()
    var out: [(Int64, UInt64)] = []
    while it.next() { out.append((it.t, it.bits)) }
    return out
}

fileprivate func expectRoundTrip(_ samples: [(Int64, Double)], sourceLocation: SourceLocation = #_sourceLocation) {
    let got = roundTrip(samples)
    #expect(got.count == samples.count, sourceLocation: sourceLocation)
    for (i, (t, v)) in samples.enumerated() where i < got.count {
        #expect(got[i].0 == t, "timestamp \(i)", sourceLocation: sourceLocation)
        #expect(got[i].1 == v.bitPattern, "value \(i): \(v) vs \(Double(bitPattern: got[i].1))", sourceLocation: sourceLocation)
    }
}

@Suite struct XORChunkTests {
    @Test func regularCounter() {
        var v = 0.0
        expectRoundTrip((0..<120).map { i in
            v += Double(i % 7)
            return (1_700_000_000_000 + Int64(i) * 15_000, v)
        })
    }

    @Test func specialValues() {
        let vals: [Double] = [
            .nan, StaleNaN, -0.0, 0.0, .infinity, -.infinity, 1, -1, 0.1, 1e308, -1e-308, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, 9_007_199_254_740_992, -9_007_199_254_740_992, 9_007_199_254_740_994,
            Double(bitPattern: 0x7ff8_0000_0000_0001), StaleNaN, StaleNaN, -0.0, -0.0, 0, 3, 3, .nan, 42.5,
        ]
        expectRoundTrip(vals.enumerated().map { (Int64($0.offset) * 1000, $0.element) })
    }

    @Test func extremeTimestamps() {
        expectRoundTrip([(Int64.min, 1), (Int64.min + 1, 2), (-1, 3), (0, 4), (Int64.max - 1, 5), (Int64.max, 6)])
        expectRoundTrip([(-5_000_000, 1), (-4_999_999, 1), (-10, 2), (1_000_000_000_000_000, 2)])
    }

    @Test func irregularIntervals() {
        var rng = TestRNG(seed: 7)
        var t: Int64 = -1_000_000
        var samples: [(Int64, Double)] = []
        for _ in 0..<500 {
            let gapKind = Int.random(in: 0..<5, using: &rng)
            let gap: Int64 = switch gapKind {
            case 0: 1
            case 1: Int64.random(in: 1...9000, using: &rng)
            case 2: Int64.random(in: 1...200_000, using: &rng)
            case 3: Int64.random(in: 1...1_000_000, using: &rng)
            default: Int64.random(in: 1...Int64(1) << 40, using: &rng)
            }
            t += gap
            samples.append((t, 0))
        }
        for i in samples.indices { samples[i].1 = Double(i) }
        expectRoundTrip(samples)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomValues(seed: UInt64) {
        var rng = TestRNG(seed: seed)
        var t: Int64 = Int64.random(in: -1_000_000_000...1_000_000_000, using: &rng)
        var samples: [(Int64, Double)] = []
        var v = 0.0
        for _ in 0..<1000 {
            t += Int64.random(in: 1...60_000, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: v = Double(bitPattern: rng.next())  // any bit pattern, NaN payloads included
            case 1: v += Double(Int.random(in: -100...100, using: &rng))
            case 2: v = Double.random(in: -1e6...1e6, using: &rng)
            case 3: v = Double(Int64.random(in: -(1 << 53)...(1 << 53), using: &rng))
            case 4: v = [StaleNaN, -0.0, .infinity, -.infinity, .nan][Int.random(in: 0..<5, using: &rng)]
            case 5: break
            case 6: v = v.isFinite ? v * 1.0000001 : 1
            default: v = Double(Int.random(in: 0...10, using: &rng))
            }
            samples.append((t, v))
        }
        expectRoundTrip(samples)
    }

    /// An iterator started from a checkpoint (`makeIterator(seekingTo:)`) yields exactly the samples a full decode
    /// yields from the target on, whatever state (integer deltas, XOR windows, NaN payloads) the checkpoint holds.
    @Test(arguments: [1, 2, 3, 4, 5, 6])
    func seekingFromCheckpoints(seed: UInt64) {
        var rng = TestRNG(seed: seed)
        var t: Int64 = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        var c = XORChunk()
        var samples: [(t: Int64, bits: UInt64)] = []
        var v = 0.0
        for _ in 0..<Int.random(in: 1...130, using: &rng) {
            t += Int64.random(in: 1...30_000, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: v = Double(bitPattern: rng.next())
            case 1: v += Double(Int.random(in: -100...100, using: &rng))
            case 2: v = Double.random(in: -1e6...1e6, using: &rng)
            case 3: v = [StaleNaN, -0.0, .infinity, .nan][Int.random(in: 0..<4, using: &rng)]
            case 4: break
            default: v = v.isFinite ? v * 1.0000001 : 1
            }
            c.append(t: t, v: v)
            samples.append((t, v.bitPattern))
        }
        #expect((c.checkpoint1 != nil) == (samples.count >= XORChunk.checkpointSpacing))
        #expect((c.checkpoint2 != nil) == (samples.count >= 2 * XORChunk.checkpointSpacing))
        for target in [samples[0].t - 1, t + 1] + samples.map(\.t) + samples.map({ $0.t + 1 }) {
            var it = c.makeIterator(seekingTo: target)
            var got: [(t: Int64, bits: UInt64)] = []
            while it.next() {
                if it.t >= target { got.append((it.t, it.bits)) }
            }
            let want = samples.filter { $0.t >= target }
            #expect(got.map(\.t) == want.map(\.t), "target \(target)")
            #expect(got.map(\.bits) == want.map(\.bits), "target \(target)")
        }
    }

    @Test func staleMarkerBits() {
        #expect(StaleNaN.bitPattern == 0x7ff0_0000_0000_0002)
        #expect(isStaleNaN(StaleNaN))
        #expect(!isStaleNaN(.nan))
        #expect(!isStaleNaN(1))
    }

    @Test func compressesRegularCounter() {
        var c = XORChunk()
        var rng = TestRNG(seed: 3)
        var v = 1000.0
        for i in 0..<120 {
            v += Double(Int.random(in: 0...20, using: &rng))
            c.append(t: 1_700_000_000_000 + Int64(i) * 15_000, v: v)
        }
        // Gorilla-class compression: well under 2 bytes per sample for a 15 s integer counter.
        #expect(Double(c.byteCount) / 120 <= 1.4, "bytes: \(c.byteCount)")
    }
}
