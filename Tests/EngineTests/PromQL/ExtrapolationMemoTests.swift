import Testing
import TestSupport
@testable import Engine

/// `ExtrapolationMemo` reuses the last extrapolation when a window's sample layout repeats; whatever the order
/// of the layouts asked for, each answer must be bit-identical to one computed afresh.
@Suite struct ExtrapolationMemoTests {
    @Test func reusedAnswersEqualFreshOnes() {
        var rng = TestRNG(seed: 0xe7a9)
        var memo = ExtrapolationMemo()
        var previous: ExtrapolationMemo.Key?
        for _ in 0..<5_000 {
            // Often the same layout again (as successive steps of a regular series), else a new one.
            let key = previous.flatMap { Int.random(in: 0..<3, using: &rng) == 0 ? nil : $0 } ?? ExtrapolationMemo.Key(
                gapStart: Int64.random(in: 0...300_000, using: &rng), gapEnd: Int64.random(in: 0...300_000, using: &rng),
                sampled: Int64.random(in: 1...600_000, using: &rng), count: Int.random(in: 2...100, using: &rng),
                perSecondOf: Bool.random(using: &rng) ? Int64.random(in: 1...900_000, using: &rng) : nil)
            previous = key
            var fresh = ExtrapolationMemo()
            let want = fresh.value(for: key), got = memo.value(for: key)
            let bits: (ExtrapolationMemo.Value) -> [UInt64] = {
                [$0.factor.bitPattern, $0.durationToStart.bitPattern, $0.durationToEnd.bitPattern, $0.sampledInterval.bitPattern]
            }
            #expect(bits(got) == bits(want))
        }
    }

    /// The limits Prometheus puts on extrapolation: a gap over 1.1 average intervals counts as half an interval.
    @Test func longGapsExtrapolateHalfAnInterval() {
        var memo = ExtrapolationMemo()
        // 11 samples 15 s apart (150 s), 60 s window: gaps of 1 s and 200 s.
        let v = memo.value(for: .init(gapStart: 1_000, gapEnd: 200_000, sampled: 150_000, count: 11, perSecondOf: 60_000))
        #expect(v.durationToStart == 1)
        #expect(v.durationToEnd == 7.5)
        #expect(v.sampledInterval == 150)
        let want: Double = (150 + 1 + 7.5) / 150 / 60
        #expect(v.factor == want)
    }
}
