import Testing
import GoCompat

/// The one Go `strconv` quoting implementation (cases from Go's strconv quote tests).
@Suite struct GoQuoteTests {
    @Test func quoteStrings() {
        let cases: [(String, String, String)] = [
            ("\u{07}\u{08}\u{0C}\r\n\t\u{0B}", #""\a\b\f\r\n\t\v""#, #""\a\b\f\r\n\t\v""#),
            ("\\", #""\\""#, #""\\""#),
            ("\"q\"", #""\"q\"""#, #""\"q\"""#),
            ("\u{263a}", "\"\u{263a}\"", #""\u263a""#),
            ("\u{f0000}", #""\U000f0000""#, #""\U000f0000""#),
            ("\u{04}\u{7f}", #""\x04\x7f""#, #""\x04\x7f""#),
            ("!\u{a0}!\u{2000}!\u{3000}!", #""!\u00a0!\u2000!\u3000!""#, #""!\u00a0!\u2000!\u3000!""#),
            ("\u{feff}", #""\ufeff""#, #""\ufeff""#),
            ("plain text", #""plain text""#, #""plain text""#),
        ]
        for (s, quoted, ascii) in cases {
            #expect(goQuote(s) == quoted, "\(s)")
            #expect(goQuote(s, asciiOnly: true) == ascii, "\(s)")
            #expect(goQuote(bytes: Array(s.utf8)) == quoted, "\(s)")
            #expect(goQuote(bytes: Array(s.utf8), asciiOnly: true) == ascii, "\(s)")
        }
        #expect(["a", "b\n"].map(goQuote) == [#""a""#, #""b\n""#])
        // A String holds a Go string: U+10FF80...U+10FFFF stand for raw bytes (GoString); bytes are taken as UTF-8.
        #expect(goQuote("\u{10ffff}") == #""\xff""#)
        #expect(goQuote(bytes: Array("\u{10ffff}".utf8)) == #""\U0010ffff""#)
    }

    @Test func invalidUTF8PrintsAsBytes() {
        let cases: [([UInt8], String)] = [
            ([0x61, 0xFF, 0x62], #""a\xffb""#),
            ([0xED, 0xA0, 0x80], #""\xed\xa0\x80""#),          // surrogate
            ([0xC0, 0x80], #""\xc0\x80""#),                    // overlong
            ([0xE2, 0x82], #""\xe2\x82""#),                    // truncated
            ([0xF4, 0x90, 0x80, 0x80], #""\xf4\x90\x80\x80""#), // above U+10FFFF
            ([0xEF, 0xBF, 0xBD], "\"\u{FFFD}\""),               // a real U+FFFD is printable
        ]
        for (b, want) in cases {
            #expect(goQuote(bytes: b) == want, "\(b)")
            // The same bytes held as a Go string (invalid bytes kept as escapes) quote the same.
            #expect(goQuote(GoString.fromBytes(b)) == want, "\(b)")
        }
    }

    @Test func truncatedQuoting() {
        #expect(goQuote("abcdefghijklm", maxRunes: 10) == #""abcdefghij""#)
        #expect(goQuote("abc", maxRunes: 10) == #""abc""#)
        #expect(goQuote(bytes: [0xFF, 0xFF, 0x61, 0x62], maxRunes: 3) == #""\xff\xffa""#)
    }

    @Test func quoteRunes() {
        #expect(goQuoteRune("'") == #"'\''"#)
        #expect(goQuoteRune("\"") == #"'"'"#)
        #expect(goQuoteRune("\n") == #"'\n'"#)
        #expect(goQuoteRune("\u{263a}") == "'\u{263a}'")
        #expect(goQuoteRune("\u{263a}", asciiOnly: true) == #"'\u263a'"#)
        #expect(goQuoteRune("\u{00}") == #"'\x00'"#)
    }

    @Test func isPrint() {
        #expect(goIsPrint(" ") && goIsPrint("a") && goIsPrint("\u{263A}"))
        #expect(!goIsPrint("\u{0}") && !goIsPrint("\u{7F}") && !goIsPrint("\u{AD}") && !goIsPrint("\u{A0}") && !goIsPrint("\u{2028}"))
        #expect(!goIsPrint("\u{E000}")) // private use
    }

    @Test func goStringKeepsInvalidBytes() {
        let bytes: [UInt8] = [0x61, 0xC0, 0x80, 0xE2, 0x98, 0xBA]
        let s = GoString.fromBytes(bytes)
        #expect(GoString.bytes(s) == bytes)
        #expect(GoString.byteCount(s) == bytes.count)
        #expect(!GoString.isValidUTF8(s))
        #expect(GoString.isValidUTF8("☺"))
    }
}
