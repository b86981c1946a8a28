/// Block directory names: ULIDs (26 Crockford base32 characters, 48-bit millisecond time then randomness), as
/// `ulid.ParseStrict` accepts them. Prometheus treats only such directories as blocks.
public enum BlockDirectoryName {
    private static let values: [Int8] = {
        var t = [Int8](repeating: -1, count: 256)
        for (i, c) in "0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8.enumerated() {
            t[Int(c)] = Int8(i)
            if c >= 0x41 && c <= 0x5A { t[Int(c + 0x20)] = Int8(i) }
        }
        return t
    }()

    /// Whether `s` is a valid ULID text.
    public static func isValid(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 26, u[0] <= UInt8(ascii: "7") else { return false }
        return u.allSatisfy { values[Int($0)] >= 0 }
    }

    /// The millisecond timestamp encoded in the first 10 characters (nil for an invalid ULID).
    public static func timestamp(_ s: String) -> UInt64? {
        guard isValid(s) else { return nil }
        var t: UInt64 = 0
        for c in s.utf8.prefix(10) { t = t << 5 | UInt64(values[Int(c)]) }
        return t
    }
}
