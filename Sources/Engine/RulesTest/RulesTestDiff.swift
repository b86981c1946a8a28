/// `--diff` output for alert mismatches: the expected and received alerts as indented JSON, compared line
/// by line (unchanged lines as is, removed ones prefixed `-`, added ones `+`). promtool uses a coloured
/// JSON diff for this experimental flag; this keeps its content without terminal colours.
enum RulesTestDiff {
    static func render(expected: [ComparableAlert], got: [ComparableAlert]) -> String {
        let a = lines(expected), b = lines(got)
        // Longest common subsequence table (alert lists are small).
        let n = a.count, m = b.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        if n > 0 && m > 0 {
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    table[i][j] = a[i] == b[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                out.append("  " + a[i]); i += 1; j += 1
            } else if j < m, i == n || table[i][j + 1] >= table[i + 1][j] {
                out.append("+ " + b[j]); j += 1
            } else {
                out.append("- " + a[i]); i += 1
            }
        }
        return out.joined(separator: "\n")
    }

    private static func lines(_ alerts: [ComparableAlert]) -> [String] {
        var out = ["["]
        for (k, alert) in alerts.enumerated() {
            out.append("  {")
            for (title, ls) in [("Labels", alert.labels), ("Annotations", alert.annotations)] {
                out.append("    \(jsonString(title)): {")
                for (x, l) in ls.labels.enumerated() {
                    out.append("      \(jsonString(l.name)): \(jsonString(l.value))" + (x == ls.count - 1 ? "" : ","))
                }
                out.append("    }" + (title == "Labels" ? "," : ""))
            }
            out.append("  }" + (k == alerts.count - 1 ? "" : ","))
        }
        out.append("]")
        return out
    }
}
