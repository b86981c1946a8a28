import Foundation
import Testing
@testable import Lint

/// `check metrics --extended` percentages print as `String(format: "%.2f")` printed them.
@Suite struct PercentFormatTests {
    @Test func matchesPrintf() {
        var values: [Double] = [0, 100, 50, 33.333333, 66.666666, 0.005, 0.015, 0.025, 1.005, 2.675, 99.995, 12.345, -0.0]
        for n in 1...97 { values.append(100.0 / Double(n)); values.append(Double(n) / 7 * 3) }
        for v in values {
            #expect(MetricsCardinality.goPercent(v) == String(format: "%.2f", v) + "%", "\(v)")
        }
        #expect(MetricsCardinality.goPercent(.nan) == "NaN%")
    }
}
