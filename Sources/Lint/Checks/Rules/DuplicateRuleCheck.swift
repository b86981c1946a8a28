import Engine

/// `rules/duplicate`: the same recording rule (name and labels) or alert defined twice across the files.
public struct DuplicateRuleCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "rules/duplicate", defaultSeverity: .warning,
        summary: "Two rules record the same series, or two alerts have the same name and labels, in what one Prometheus loads.",
        doc: """
        Two recording rules with the same name and the same static labels write the same series: their \
        samples interleave or are rejected as out-of-order/duplicate, and the recorded data is garbage. Two \
        alerting rules with the same name and labels send indistinguishable alerts, usually a copy-pasted \
        rule edited in one place only. Rename one, give them distinct labels, or delete the copy. Rules \
        are compared within what one Prometheus loads: the rule files of one prometheus.yml, or, for rule \
        files linted without theirs, the files of one directory (so `staging/` and `production/` copies, or \
        two servers' folders in a monorepo, are not duplicates of each other).
        """)

    public func check(ruleSet: RuleSetContext, findings: inout Findings) {
        var first: [String: [(file: String, line: Int, expr: String)]] = [:]
        for (file, _, unit) in ruleSet.files {
            for group in file.groups {
                for rule in group.rules where !rule.name.value.isEmpty {
                    let labels = rule.labels.map { "\($0.name.value)=\($0.value.value)" }.sorted().joined(separator: ",")
                    let key = "\(unit)\u{0}\(rule.kind.rawValue)\u{0}\(rule.name.value)\u{0}\(labels)"
                    let expr = rule.expr?.value ?? ""
                    let earlier = first[key, default: []]
                    first[key, default: []].append((file.path, rule.range.start.line, expr))
                    // Same name and labels over series that cannot overlap (`namespace="a"` here,
                    // `namespace="b"` there) write or alert on different series: not a duplicate.
                    guard let prev = earlier.first(where: { !Self.disjoint($0.expr, expr) }) else { continue }
                    let whereText = prev.file == file.path ? "line \(prev.line)" : "\(prev.file):\(prev.line)"
                    let what = rule.kind == .record
                        ? "recording rule \"\(rule.name.value)\" with the same labels is already defined at \(whereText): both write the same series and corrupt it"
                        : "alert \"\(rule.name.value)\" with the same labels is already defined at \(whereText): the two are indistinguishable in Alertmanager"
                    findings.report(rule.name.range, what + "; rename one, give them distinct labels, or remove the copy",
                                    scopeLine: rule.range.start.line, file: file.path)
                }
            }
        }
    }

    /// True when the two expressions' results can never share a series: some output label is fixed to
    /// different values in the two (only parsed when names collide).
    static func disjoint(_ a: String, _ b: String) -> Bool {
        guard a != b, case .success(let ea) = LintParsers.parse(a), case .success(let eb) = LintParsers.parse(b) else {
            return false
        }
        let fb = fixedLabels(eb)
        return fixedLabels(ea).contains { label, value in fb[label].map { $0 != value } ?? false }
    }

    /// Output labels whose value is known from the expression: set by `=` matchers and carried through
    /// functions, aggregations that keep them and one-to-one matching, or written by label_replace()
    /// (a constant replacement, or `$1` of a `(.*)` / `(.+)` copy of a known label).
    static func fixedLabels(_ expr: Expr, depth: Int = 0) -> [String: String] {
        guard depth < 200 else { return [:] }
        switch expr {
        case .vectorSelector(let vs):
            var out: [String: String] = [:]
            for m in vs.matchers where m.type == .equal && m.name != "__name__" { out[m.name] = m.value }
            return out
        case .matrixSelector(let m):
            return fixedLabels(m.vectorSelector, depth: depth + 1)
        case .paren(let p): return fixedLabels(p.expr, depth: depth + 1)
        case .unary(let u): return fixedLabels(u.expr, depth: depth + 1)
        case .subquery(let s): return fixedLabels(s.expr, depth: depth + 1)
        case .numberLiteral, .stringLiteral: return [:]
        case .aggregate(let a):
            let inner = fixedLabels(a.expr, depth: depth + 1)
            switch a.op {
            case .topk, .bottomk, .limitk, .limitRatio: return inner
            default:
                let g = Set(a.grouping)
                return inner.filter { a.without ? !g.contains($0.key) : g.contains($0.key) }
            }
        case .call(let c):
            if c.function.name == "label_replace", c.args.count == 5,
               case .stringLiteral(let dst) = c.args[1].unwrappingParens,
               case .stringLiteral(let repl) = c.args[2].unwrappingParens,
               case .stringLiteral(let src) = c.args[3].unwrappingParens,
               case .stringLiteral(let regex) = c.args[4].unwrappingParens
            {
                var base = fixedLabels(c.args[0], depth: depth + 1)
                if !repl.value.contains("$") {
                    base[dst.value] = repl.value
                } else if repl.value == "$1", regex.value == "(.*)" || regex.value == "(.+)", let v = base[src.value] {
                    base[dst.value] = v
                } else {
                    base.removeValue(forKey: dst.value)
                }
                return base
            }
            if c.function.name == "label_join" || c.function.name.hasPrefix("absent") { return [:] }
            guard let arg = c.args.first(where: { $0.type == .vector || $0.type == .matrix }) else { return [:] }
            return fixedLabels(arg, depth: depth + 1)
        case .binary(let b):
            let lv = b.lhs.type == .vector, rv = b.rhs.type == .vector
            if lv && !rv { return fixedLabels(b.lhs, depth: depth + 1) }
            if rv && !lv { return fixedLabels(b.rhs, depth: depth + 1) }
            if !lv && !rv { return [:] }
            let lhs = fixedLabels(b.lhs, depth: depth + 1)
            switch b.op {
            case .and, .unless: return lhs
            case .or:
                let rhs = fixedLabels(b.rhs, depth: depth + 1)
                return lhs.filter { rhs[$0.key] == $0.value }
            default:
                guard let m = b.matching else { return lhs }
                switch m.card {
                case .oneToOne: return m.on ? lhs.filter { m.matchingLabels.contains($0.key) } : lhs
                case .manyToOne: return lhs.filter { !m.include.contains($0.key) }
                case .oneToMany: return fixedLabels(b.rhs, depth: depth + 1).filter { !m.include.contains($0.key) }
                case .manyToMany: return lhs
                }
            }
        }
    }
}
