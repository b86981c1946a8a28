/// Go's `time.Parse(time.RFC3339, s)` as Prometheus's tools use it (promtool's query times, unit tests'
/// `start_timestamp`): one parser, so both read the same timestamps the same way.
public enum GoTime {
    /// Go's `time.Duration.Seconds()` for a duration in milliseconds: whole seconds plus the remaining
    /// nanoseconds / 1e9, two roundings, so e.g. 1118 ms gives 1.1179999999999999 where 1118 / 1000 gives
    /// 1.118. PromQL's `rate` divides by this; the same bits need the same arithmetic.
    public static func durationSeconds(millis: Int64) -> Double {
        Double(millis / 1000) + Double((millis % 1000) * 1_000_000) / 1e9
    }

    /// How Go's `time` package quotes text in its errors (`time: invalid duration "…"`): not `strconv.Quote`,
    /// but its own copy, which escapes only `"` and `\` and writes every byte of a control or non-ASCII
    /// character as `\xhh` (so `é` is `\xc3\xa9`, a tab `\x09`).
    public static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            if c.value >= 0x80 || c.value < 0x20 {
                for b in String(c).utf8 { out += "\\x" + goHex(UInt32(b), width: 2) }
            } else {
                if c == "\"" || c == "\\" { out += "\\" }
                out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Seconds and nanoseconds (0 ..< 1e9) since the Unix epoch of `2006-01-02T15:04:05[.999999999]Z07:00`:
    /// `T` and `Z` upper case, a fraction after `.` or `,` (digits past the ninth ignored), `Z` or `±hh:mm`.
    /// nil for anything else or an out-of-range field.
    public static func parseRFC3339(_ s: String) -> (seconds: Int64, nanos: Int64)? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from >= 0, from + len <= b.count else { return nil }
            var v = 0
            for k in from..<(from + len) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            return v
        }
        guard b.count >= 20, let year = num(0, 4), b[4] == 0x2D, let month = num(5, 2), b[7] == 0x2D,
              let day = num(8, 2), b[10] == 0x54, let hour = num(11, 2), b[13] == 0x3A, let minute = num(14, 2),
              b[16] == 0x3A, let second = num(17, 2) else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
              second < 60 else { return nil }
        var i = 19
        var fracNanos: Int64 = 0
        if i < b.count, b[i] == 0x2E || b[i] == 0x2C {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if digits < 9 { fracNanos = fracNanos * 10 + Int64(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { fracNanos *= 10 }
        }
        var offset = 0
        guard i < b.count else { return nil }
        if b[i] == 0x5A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = num(i + 4, 2), oh < 24,
                  om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return (Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offset), fracNanos)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
