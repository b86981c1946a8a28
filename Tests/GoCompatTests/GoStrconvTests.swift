import Testing
import GoCompat

/// `strconv.ParseFloat`, `ParseInt` and `ParseUint` as the Go documentation and its own tests
/// (strconv/atof_test.go, atoi_test.go) describe them.
@Suite struct GoStrconvTests {
    static let floats: [(String, GoStrconv.FloatResult)] = [
        ("1", .value(1)), ("+1", .value(1)), ("-1", .value(-1)), ("1.5", .value(1.5)), (".5", .value(0.5)),
        ("5.", .value(5)), ("1e3", .value(1000)), ("1E-3", .value(0.001)), ("1e+3", .value(1000)),
        ("123456789012345678", .value(123456789012345680)), ("0.1", .value(0.1)),
        ("1_000", .value(1000)), ("1_000.5", .value(1000.5)), ("0x1p-2", .value(0.25)), ("0X1.8P1", .value(3)),
        ("-0x_1p4", .value(-16)), ("0x1.fffffffffffffp1023", .value(.greatestFiniteMagnitude)),
        ("Inf", .value(.infinity)), ("+inf", .value(.infinity)), ("-Infinity", .value(-.infinity)),
        ("1e308", .value(1e308)), ("1e-400", .value(0)),
        ("1e400", .outOfRange), ("-1e400", .outOfRange), ("0x1p1024", .outOfRange),
        ("", .invalidSyntax), ("+", .invalidSyntax), (".", .invalidSyntax), ("e5", .invalidSyntax), ("1e", .invalidSyntax),
        ("1e+", .invalidSyntax), ("1.5.5", .invalidSyntax), (" 1", .invalidSyntax), ("1 ", .invalidSyntax),
        ("0x10", .invalidSyntax), ("0x", .invalidSyntax), ("0xp1", .invalidSyntax), ("1p3", .invalidSyntax),
        ("_1", .invalidSyntax), ("1_", .invalidSyntax), ("1__0", .invalidSyntax), ("1_.5", .invalidSyntax),
        ("+NaN", .invalidSyntax), ("-nan", .invalidSyntax), ("infinit", .invalidSyntax), ("infx", .invalidSyntax),
        ("1,5", .invalidSyntax),
    ]

    @Test(arguments: floats)
    func parseFloat(_ text: String, _ want: GoStrconv.FloatResult) {
        #expect(GoStrconv.parseFloat(Array(text.utf8)) == want, "\(text)")
    }

    @Test func parseFloatNaNHasNoSign() throws {
        for text in ["NaN", "nan", "NAN"] {
            guard case .value(let v) = GoStrconv.parseFloat(Array(text.utf8)) else {
                Issue.record("\(text) does not parse")
                continue
            }
            #expect(v.isNaN)
            // math.NaN()'s bits, as Go's ParseFloat returns and Prometheus stores them.
            #expect(v.bitPattern == 0x7FF8_0000_0000_0001)
        }
        #expect(GoStrconv.parseFloat("-0").map { $0.sign } == .minus)
    }

    @Test func parseFloatOfASlice() {
        let bytes = Array("x 2.5e1 y".utf8)
        let r = bytes.withUnsafeBufferPointer { GoStrconv.parseFloat($0, 2, 7) }
        #expect(r == .value(25))
        #expect(bytes.withUnsafeBufferPointer { GoStrconv.parseFloat($0, 7, 2) } == .invalidSyntax)
    }

    static let ints: [(String, Int64?)] = [
        ("0", 0), ("-0", 0), ("12345", 12345), ("+12345", 12345), ("-12345", -12345), ("0x1F", 31), ("0X1f", 31),
        ("0o17", 15), ("017", 15), ("0b101", 5), ("1_000", 1000), ("0x_1F", 31), ("0_17", 15),
        ("9223372036854775807", .max), ("-9223372036854775808", .min),
        ("9223372036854775808", nil), ("-9223372036854775809", nil), ("", nil), ("-", nil), ("0x", nil), ("0b", nil),
        ("08", nil), ("0b2", nil), ("1__0", nil), ("_1", nil), ("1_", nil), ("12a", nil), ("1.0", nil), (" 1", nil),
    ]

    @Test(arguments: ints)
    func parseInt(_ text: String, _ want: Int64?) {
        #expect(GoStrconv.parseInt(Array(text.utf8)) == want, "\(text)")
    }

    @Test func parseUint() {
        #expect(GoStrconv.parseUint(Array("18446744073709551615".utf8)) == .max)
        #expect(GoStrconv.parseUint(Array("18446744073709551616".utf8)) == nil)
        #expect(GoStrconv.parseUint(Array("-1".utf8)) == nil)
        #expect(GoStrconv.parseUint(Array("0xFFFFFFFFFFFFFFFF".utf8)) == .max)
    }
}
