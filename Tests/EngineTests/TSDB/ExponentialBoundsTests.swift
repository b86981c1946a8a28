#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Engine

/// Exponential bucket bounds are Prometheus's table bit for bit (which is not the correctly rounded
/// 2^(i/2^s)), the same on every platform.
@Suite struct ExponentialBoundsTests {
    /// 2^(i/2^s)/2 evaluated to 60 significant digits and rounded to the nearest Double: (schema, index, fraction).
    static let correctlyRounded: [(Int, Int, Double)] = [
        (1, 1, 0.7071067811865476), (2, 1, 0.5946035575013605), (2, 3, 0.8408964152537145), (3, 1, 0.5452538663326288),
        (3, 3, 0.6484197773255048), (3, 5, 0.7711054127039704), (3, 7, 0.9170040432046712), (5, 17, 0.7225904034885233),
        (5, 25, 0.859309649061239), (5, 31, 0.9785720620877001), (8, 1, 0.5013556375251013), (8, 6, 0.5081891574554765),
        (8, 10, 0.5137229745593819), (8, 18, 0.5249720429003436), (8, 19, 0.5263953865023132), (8, 22, 0.530688613644631),
        (8, 23, 0.5321274564422322), (8, 127, 0.7051948041086353), (8, 128, 0.7071067811865476), (8, 129, 0.7090239421602076),
        (8, 200, 0.859309649061239), (8, 248, 0.9785720620877001), (8, 254, 0.9945994234836332), (8, 255, 0.9972960560854701),
    ]

    /// Values of `exponentialBounds` in Prometheus 3.14's model/histogram/generic.go: (schema, index, fraction).
    static let upstream: [(Int, Int, Double)] = [
        (8, 0, 0.5), (8, 1, 0.5013556375251013), (8, 2, 0.5027149505564014), (8, 3, 0.5040779490592088),
        (8, 4, 0.5054446430258502), (8, 5, 0.5068150424757447), (8, 6, 0.5081891574554764), (8, 7, 0.509566998038869),
        (8, 8, 0.5109485743270583), (8, 9, 0.5123338964485679), (8, 10, 0.5137229745593818), (8, 11, 0.5151158188430205),
        (8, 12, 0.5165124395106142), (8, 13, 0.5179128468009786), (8, 14, 0.5193170509806894), (8, 15, 0.520725062344158),
        (8, 16, 0.5221368912137069), (8, 17, 0.5235525479396449), (8, 18, 0.5249720429003435), (8, 19, 0.526395386502313),
        (8, 20, 0.5278225891802786), (8, 21, 0.5292536613972564), (8, 22, 0.5306886136446309), (8, 23, 0.5321274564422321),
        (8, 248, 0.9785720620876999), (8, 249, 0.9812252401044634), (8, 250, 0.9838856116165875), (8, 251, 0.9865531961276168),
        (8, 252, 0.9892280131939752), (8, 253, 0.9919100824251095), (8, 254, 0.9945994234836328), (8, 255, 0.9972960560854698),
        (5, 16, 0.7071067811865475), (5, 17, 0.7225904034885232), (5, 18, 0.7384130729697496), (5, 19, 0.7545822137967112),
        (5, 20, 0.7711054127039704), (5, 21, 0.7879904225539431), (5, 22, 0.805245165974627), (5, 23, 0.8228777390769823),
        (5, 24, 0.8408964152537144), (5, 25, 0.8593096490612387), (5, 26, 0.8781260801866495), (5, 27, 0.8973545375015533),
        (5, 28, 0.9170040432046711), (5, 29, 0.9370838170551498), (5, 30, 0.9576032806985735), (5, 31, 0.9785720620876999),
        (3, 1, 0.5452538663326288), (3, 3, 0.6484197773255048), (2, 1, 0.5946035575013605), (1, 1, 0.7071067811865475),
    ]

    @Test func fractionsAreUpstreamsTableExactly() {
        for (schema, index, expected) in Self.upstream {
            #expect(ExponentialBounds.fraction(index, schema: schema) == expected, "schema \(schema) index \(index)")
            // Bucket `index` of the first octave is bounded by twice the fraction, and each octave up doubles.
            #expect(FloatHistogram.exponentialBound(Int32(index), schema: Int32(schema)) == 2 * expected)
            #expect(FloatHistogram.exponentialBound(Int32(index + (3 << schema)), schema: Int32(schema)) == 16 * expected)
            #expect(FloatHistogram.exponentialBound(Int32(index - (2 << schema)), schema: Int32(schema)) == expected / 2)
        }
    }

    /// Prometheus's table (and so ours) is not correctly rounded: entries lie at or a few ulps (up to 4) below the
    /// nearest Double to the exact value.
    @Test func atOrUpToThreeUlpsBelowTheExactValue() {
        for (schema, index, nearest) in Self.correctlyRounded {
            let ours = ExponentialBounds.fraction(index, schema: schema)
            #expect(ours <= nearest && nearest - ours <= 3 * nearest.ulp, "schema \(schema) index \(index)")
        }
        #expect(ExponentialBounds.fraction(255, schema: 8) != ExponentialBounds.fraction(255, schema: 8).nextUp)
    }

    /// Go's `math.Exp2` on the arguments the table needs: exact on integers, e.g. 2^(1/2) as Go rounds it.
    @Test func goExp2() {
        #expect(ExponentialBounds.goExp2(1) == 2)
        #expect(ExponentialBounds.goExp2(-3) == 0.125)
        #expect(ExponentialBounds.goExp2(0) == 1)
        #expect(abs(ExponentialBounds.goExp2(0.5) - 2.0.squareRoot()) <= 2.0.squareRoot().ulp)
    }

    /// The same bound in every schema that has it (2^(i/2^s) = 2^(2i/2^(s+1))), as Prometheus's table.
    @Test func schemasAgreeOnSharedBounds() {
        for s in 0..<8 {
            for i in 0..<(1 << s) {
                #expect(ExponentialBounds.fraction(i, schema: s) == ExponentialBounds.fraction(2 * i, schema: s + 1), "schema \(s) index \(i)")
            }
        }
    }

    /// Every fraction is increasing in its schema, in [0.5, 1), and within 4 ulps of `exp2`'s answer.
    @Test func fractionsAreOrderedAndCloseToExp2() {
        for s in 0...8 {
            var previous = 0.0
            for i in 0..<(1 << s) {
                let f = ExponentialBounds.fraction(i, schema: s)
                #expect(f > previous && f >= 0.5 && f < 1)
                let approx = exp2(Double(i) / Double(1 << s)) / 2
                #expect(abs(f - approx) <= 4 * approx.ulp, "schema \(s) index \(i)")
                previous = f
            }
        }
        #expect(ExponentialBounds.fraction(-1, schema: 3).isNaN)
        #expect(ExponentialBounds.fraction(8, schema: 3).isNaN)
    }

    /// The last finite bucket's bound is the largest Double, and the next bucket's is +Inf (Prometheus's
    /// special case), in a positive schema.
    @Test func lastBucketsAroundTheLargestDouble() {
        #expect(FloatHistogram.exponentialBound(1024 << 3, schema: 3) == .greatestFiniteMagnitude)
        #expect(FloatHistogram.exponentialBound((1024 << 3) + 1, schema: 3) == .infinity)
    }
}
