import Testing
@testable import Engine

/// promtool's duration and histogram texts in `test rules` messages.
@Suite struct RulesTestFormatTests {
    @Test(arguments: [
        (Int64(0), "0s"), (60_000, "1m0s"), (1_500, "1.5s"), (250, "250ms"), (3_661_001, "1h1m1.001s"),
        (1_704_067_500_000, "473352h5m0s"), (-90_000, "-1m30s"),
    ])
    func goDurations(_ millis: Int64, _ text: String) {
        #expect(RulesTestFormat.goDuration(millis: millis) == text)
    }

    @Test func measuredDurations() {
        #expect(RulesTestFormat.goDuration(nanos: 999) == "999ns")
        #expect(RulesTestFormat.goDuration(nanos: 1_500) == "1.5µs")
        #expect(RulesTestFormat.goDuration(nanos: 6_123_456) == "6.123456ms")
        #expect(RulesTestFormat.goDuration(millis: Int64.max) == "2562047h47m16.854775807s")
    }

    @Test func histogramTestExpression() throws {
        let parsed = try PromQLParser.parseSeriesDescription("{} {{schema:1 sum:-0.3 count:32.1 z_bucket:7.1 z_bucket_w:0.05 buckets:[5.1 10 7] offset:-3 n_buckets:[4.1 5] n_offset:-5}}")
        let h = try #require(parsed.values.first?.histogram?.floatHistogram)
        #expect(RulesTestFormat.testExpression(h) == "{{schema:1 count:32.1 sum:-0.3 z_bucket:7.1 z_bucket_w:0.05 offset:-3 buckets:[5.1 10 7] n_offset:-5 n_buckets:[4.1 5]}}")
    }
}
