import Testing
import GoCompat

/// `strconv.FormatFloat(v, 'f', -1, 64)` and `fmt`'s `%v` of a float64, which is the shortest `%g`: exponent
/// form below 1e-4 and from 1e6 on (fmt/fmt_test.go, strconv/ftoa_test.go).
@Suite struct GoFloatTests {
    static let formatV: [(Double, String)] = [
        (0, "0"), (-0.0, "-0"), (1, "1"), (-1.5, "-1.5"), (0.1, "0.1"), (100000, "100000"), (1e6, "1e+06"),
        (123456789, "1.23456789e+08"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.0 / 3, "0.3333333333333333"),
        (1e21, "1e+21"), (1e100, "1e+100"), (.leastNonzeroMagnitude, "5e-324"), (.greatestFiniteMagnitude, "1.7976931348623157e+308"),
        (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ]

    @Test(arguments: formatV)
    func percentV(_ v: Double, _ want: String) {
        #expect(GoFloat.formatV(v) == want)
    }

    static let formatF: [(Double, String)] = [
        (0, "0"), (-0.0, "-0"), (1e6, "1000000"), (1e21, "1000000000000000000000"), (0.00001, "0.00001"),
        (1.5e-7, "0.00000015"), (123.456, "123.456"), (.nan, "NaN"), (.infinity, "+Inf"), (-.infinity, "-Inf"),
    ]

    @Test(arguments: formatF)
    func formatFloatF(_ v: Double, _ want: String) {
        #expect(GoFloat.formatF(v) == want)
    }

    @Test func shortestDigits() {
        let (d, dp) = GoFloat.shortestDigits(1234.5)
        #expect(String(decoding: d, as: UTF8.self) == "12345" && dp == 4)
        let (d2, dp2) = GoFloat.shortestDigits(0.00012)
        #expect(String(decoding: d2, as: UTF8.self) == "12" && dp2 == -3)
    }

    @Test func fixedPrecision() {
        #expect(GoFloat.formatFixed3(1.25) == "1.250")
        #expect(GoFloat.formatFixed3(2.5) == "2.500")
        #expect(GoFloat.percentF(1) == "1.000000")
        #expect(GoFloat.percentF(-2.5) == "-2.500000")
        #expect(GoFloat.percentF(1e20) == "100000000000000000000.000000")
    }
}
