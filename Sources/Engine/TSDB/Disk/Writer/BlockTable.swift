/// The table `promtool tsdb create-blocks-from` prints for each block it writes (and `tsdb list` for a
/// directory): ULID, time range, duration, sample/chunk/series counts and size, aligned as Go's `tabwriter`
/// (minimum cell width 13, padding 2) aligns one call's lines. `humanReadable` prints UTC times and sizes
/// in binary units (`1KiB512B`), as `-r` does.
public enum BlockTable {
    static let header = ["BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE"]

    /// The lines of one `printBlocks` call: the header (when asked) and one line per block.
    public static func lines(_ blocks: [WrittenBlock], header withHeader: Bool, humanReadable: Bool) -> [String] {
        var rows: [[String]] = withHeader ? [header] : []
        for b in blocks {
            rows.append([
                b.ulid.description, time(b.minTime, humanReadable), time(b.maxTime, humanReadable),
                TemplateFormat.durationString((b.maxTime &- b.minTime).multipliedReportingOverflow(by: 1_000_000).partialValue),
                String(b.numSamples), String(b.numChunks), String(b.numSeries), size(b.size, humanReadable),
            ])
        }
        // Every cell but the last of a row is a column cell: width = max(13, widest + 2).
        var widths = [Int](repeating: 13, count: header.count - 1)
        for r in rows {
            for (i, cell) in r.dropLast().enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count + 2) }
        }
        return rows.map { r in
            var line = ""
            for (i, cell) in r.enumerated() {
                line += cell
                if i < widths.count { line += String(repeating: " ", count: widths[i] - cell.unicodeScalars.count) }
            }
            return line
        }
    }

    /// promtool's `getFormattedTime`: milliseconds, or Go's `time.Unix(ms/1000, 0).UTC().String()`.
    static func time(_ ms: Int64, _ humanReadable: Bool) -> String {
        guard humanReadable else { return String(ms) }
        let (nanos, overflow) = (ms / 1000).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? String(ms) : TemplateFormat.timeString(nanos)
    }

    /// promtool's `getFormattedBytes`: bytes, or `units.Base2Bytes(n).String()` (`1MiB3KiB12B`).
    static func size(_ n: Int, _ humanReadable: Bool) -> String {
        guard humanReadable else { return String(n) }
        let units = ["", "K", "M", "G", "T", "P", "E"]
        var parts: [String] = []
        var rest = n
        for (i, unit) in units.enumerated() {
            if rest % 1024 != 0 || (i == 0 && rest == 0) {
                parts.append("\(rest % 1024)\(unit)\(i == 0 ? "B" : "iB")")
            }
            rest /= 1024
            if rest == 0 { break }
        }
        return parts.reversed().joined()
    }
}
