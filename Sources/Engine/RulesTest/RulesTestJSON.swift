/// `-o json`: the results as one JSON document, an object per test group (name, file, status, failures
/// with expected and received values), plus file-level failures and warnings.
public enum RulesTestJSON {
    public static func render(_ results: [RulesTestFileResult]) -> String {
        var groups: [String] = []
        for r in results {
            if let f = r.fileFailure {
                groups.append(object([("name", "null"), ("file", jsonString(r.file)), ("status", jsonString("error")),
                                      ("failures", "[" + failure(f) + "]")]))
            }
            for g in r.groups {
                groups.append(object([
                    ("name", jsonString(g.name)), ("file", jsonString(r.file)),
                    ("line", "\(g.mark.line)"), ("column", "\(g.mark.column)"),
                    ("status", jsonString(g.passed ? "passed" : "failed")),
                    ("failures", "[" + g.failures.map(failure).joined(separator: ",") + "]"),
                ]))
            }
        }
        let warnings = results.flatMap(\.warnings).map { jsonString(trimmed($0)) }
        let failed = results.contains { $0.failed }
        return "{\"status\":\(jsonString(failed ? "failed" : "passed")),\"warnings\":[\(warnings.joined(separator: ","))],\"groups\":[\(groups.joined(separator: ","))]}"
    }

    private static func failure(_ f: RulesTestFailure) -> String {
        var members: [(String, String)] = [("message", jsonString(trimmed(f.message))), ("file", jsonString(f.file))]
        if let m = f.mark, m.line > 0 {
            members.append(("line", "\(m.line)"))
            members.append(("column", "\(m.column)"))
        }
        if let e = f.expected { members.append(("expected", jsonString(e))) }
        if let g = f.got { members.append(("got", jsonString(g))) }
        return object(members)
    }

    private static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { jsonString($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    private static func trimmed(_ s: String) -> String {
        String(s.drop(while: { $0 == " " }))
    }
}
