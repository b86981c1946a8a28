import Foundation
import TestSupport

/// `drop-in-differences.tsv`: every place where promtool-swift (following Prometheus 3.14) legitimately
/// differs from the installed promtool 2.42, one row each: `case<TAB>kind<TAB>reason<TAB>upstream change`.
///
/// `case` names a differential case (`config:config/x.yml`, `rules:wild/...`, `metrics:...`,
/// `promql:EXPR`, `mutation:...`, `usage:ARGS`) or a `fnmatch` pattern over them (`*` crosses `/`), so one
/// row can cover a family (every fixture of a 3.x-only config field). `kind` is `output` (same exit code,
/// different text) or `exit` (the exit code differs too). A row no case uses is stale and fails the suite.
/// Rows named `mutdiff-…` (kinds `2.x-3.x` and `deliberate`) explain classes of `scripts/mutdiff`'s
/// mutation campaign instead; this suite checks their form and prints them in README, nothing more.
struct DropInDifferences {
    struct Row: Sendable {
        var pattern: String
        var kind: String
        var reason: String
        var upstream: String
        var line: Int
    }

    static let path = SharedFiles.packageRoot + "/Tests/DifferentialTests/drop-in-differences.tsv"

    let rows: [Row]
    /// Problems reading the file (bad column count, unknown kind).
    let problems: [String]

    static func load() -> DropInDifferences {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return DropInDifferences(rows: [], problems: ["cannot read \(path)"])
        }
        var rows: [Row] = []
        var problems: [String] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.isEmpty || line.hasPrefix("#") || (i == 0 && line.hasPrefix("case\t")) { continue }
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count == 4, !cols[0].isEmpty, !cols[2].isEmpty, !cols[3].isEmpty else {
                problems.append("line \(i + 1): want 4 non-empty tab-separated columns: \(line)")
                continue
            }
            let mutdiff = cols[0].hasPrefix("mutdiff-")
            guard mutdiff ? ["2.x-3.x", "deliberate"].contains(cols[1]) : ["output", "exit"].contains(cols[1]) else {
                problems.append("line \(i + 1): kind must be output or exit (2.x-3.x or deliberate for mutdiff- rows), not \(cols[1])")
                continue
            }
            rows.append(Row(pattern: cols[0], kind: cols[1], reason: cols[2], upstream: cols[3], line: i + 1))
        }
        return DropInDifferences(rows: rows, problems: problems)
    }

    /// The row explaining a difference of case `id`; nil when none does. A row of kind `output` does not
    /// explain a different exit code.
    func explanation(for id: String, exitDiffers: Bool) -> Row? {
        row(matching: id).flatMap { $0.kind == "exit" || !exitDiffers ? $0 : nil }
    }

    /// The first row whose pattern matches case `id`, whatever its kind.
    func row(matching id: String) -> Row? {
        rows.first { fnmatch($0.pattern, id, 0) == 0 }
    }

    /// Rows whose pattern starts with one of `prefixes` and that explained none of `used` (row line numbers).
    func stale(prefixes: [String], used: Set<Int>) -> [Row] {
        rows.filter { row in prefixes.contains { row.pattern.hasPrefix($0) } && !used.contains(row.line) }
    }
}
