import GoCompat
import Testing

/// `time.Parse(time.RFC3339, s)`: the forms Go accepts and rejects, as seconds and nanoseconds since the epoch.
@Suite struct GoTimeTests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0, 0),
        ("2023-11-14T22:13:20Z", 1_700_000_000, 0),
        ("2023-11-14T22:13:20.5Z", 1_700_000_000, 500_000_000),
        ("2023-11-14T22:13:20,25Z", 1_700_000_000, 250_000_000),
        ("2023-11-14T22:13:20.1234567891Z", 1_700_000_000, 123_456_789),
        ("2023-11-15T00:13:20+02:00", 1_700_000_000, 0),
        ("1969-12-31T23:59:59.5Z", -1, 500_000_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800, 0),
        ("9999-12-31T23:59:59Z", 253_402_300_799, 0),
    ] as [(String, Int64, Int64)])
    func accepted(_ text: String, _ seconds: Int64, _ nanos: Int64) throws {
        let t = try #require(GoTime.parseRFC3339(text))
        #expect(t.seconds == seconds)
        #expect(t.nanos == nanos)
    }

    @Test(arguments: [
        "", "2023-11-14", "2023-11-14t22:13:20Z", "2023-11-14T22:13:20z", "2023-11-14T22:13:20",
        "2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20.Z",
        "2023-11-14T22:13:20+0200", "2023-11-14T22:13:20Z ", "+023-11-14T22:13:20Z",
    ])
    func rejected(_ text: String) {
        #expect(GoTime.parseRFC3339(text) == nil)
    }

    /// Go's `time.quote`, as promtool 2.42 prints it (`--eval-interval` of `tsdb create-blocks-from rules`):
    /// `time: invalid duration "\xc3\xa9\x09\"x\\"` and `time: unknown unit "\xc3\xa9" in duration "5\xc3\xa9"`.
    @Test(arguments: [
        ("soon", #""soon""#),
        ("é\t\"x\\", #""\xc3\xa9\x09\"x\\""#),
        ("5é", #""5\xc3\xa9""#),
        ("\u{7F}~ ", "\"\u{7F}~ \""),
        ("", #""""#),
    ])
    func quoteEscapesAsGosTimePackage(_ text: String, _ quoted: String) {
        #expect(GoTime.quote(text) == quoted)
    }
}
