import GoCompat

/// Go's `%q` / `strconv.Quote` formatting, used to keep error texts identical to Prometheus's.
public enum ExpositionQuote {
    /// Quotes bytes as Go's `strconv.Quote(string(b))` does: invalid UTF-8 bytes become `\xNN`.
    public static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 { goQuote(bytes: Array(bytes)) }

    /// Quotes a Swift string as `strconv.Quote` does.
    public static func string(_ s: String) -> String { goQuote(bytes: Array(s.utf8)) }

    /// Formats a byte as Go's `%q` does for a `byte` (a rune literal such as `'x'` or `'\n'`).
    public static func rune(_ b: UInt8) -> String { goQuoteRune(Unicode.Scalar(b)) }
}
