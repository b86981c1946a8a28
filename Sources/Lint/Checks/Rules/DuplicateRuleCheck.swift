import Engine

/// `rules/duplicate`: the same recording rule (name and labels) or alert defined twice across the files.
public struct DuplicateRuleCheck: LintCheck {
    public init() {}

    public let info = CheckInfo(
        id: "rules/duplicate", defaultSeverity: .warning,
        summary: "Two rules record the same series, or two alerts have the same name and labels, in what one Prometheus loads.",
        doc: """
        Two recording rules with the same name and the same static labels write the same series: their \
        samples interleave or are rejected as out-of-order/duplicate, and the recorded data is garbage \
        (recording rules whose results provably never share a series, such as `namespace="a"` and \
        `namespace="b"`, or that read different metrics, are not reported). Two alerting rules with the \
        same name, labels and expression send indistinguishable alerts: a copy-pasted rule, usually edited \
        in one place only (alerts of one name with different expressions, one problem detected several \
        ways, are not reported). Rename one, give them distinct labels, or delete the copy. Rules \
        are compared within what one Prometheus loads: the rule files of one prometheus.yml, or, for rule \
        files linted without theirs, the files of one directory (so `staging/` and `production/` copies, or \
        two servers' folders in a monorepo, are not duplicates of each other). Duplicates within one file, \
        or across the files of one prometheus.yml, are warnings; across files of a directory linted \
        without its prometheus.yml they are infos, since the files may be alternatives never loaded together.
        """)

    /// How many earlier rules of one name and labels a rule is compared with (bounds the work on inputs
    /// that repeat one name thousands of times).
    static let maxCompared = 64

    public func check(ruleSet: RuleSetContext, findings: inout Findings) {
        var first: [String: [(file: String, line: Int, expr: String)]] = [:]
        var shapes = ShapeCache()
        for member in ruleSet.files {
            let file = member.file, unit = member.unit
            for group in file.groups {
                for rule in group.rules where !rule.name.value.isEmpty {
                    let labels = rule.labels.map { "\($0.name.value)=\($0.value.value)" }.sorted().joined(separator: ",")
                    let key = "\(unit)\u{0}\(rule.kind.rawValue)\u{0}\(rule.name.value)\u{0}\(labels)"
                    let expr = rule.expr?.value ?? ""
                    let prev = first[key]?.first { Self.collide(rule.kind, $0.expr, expr, shapes: &shapes) }
                    if first[key, default: []].count < Self.maxCompared {
                        first[key, default: []].append((file.path, rule.range.start.line, expr))
                    }
                    guard let prev else { continue }
                    let sameFile = prev.file == file.path
                    let whereText = sameFile ? "line \(prev.line)" : "\(prev.file):\(prev.line)"
                    // Two files of one directory may be alternatives (examples, environments, fixtures):
                    // only a prometheus.yml says that they are loaded together.
                    let certain = sameFile || member.unitIsConfiguration
                    let condition = certain ? "" : " (if one Prometheus loads both files)"
                    let what = rule.kind == .record
                        ? "recording rule \"\(rule.name.value)\" with the same labels is already defined at \(whereText): both write the same series and corrupt it\(condition)"
                        : "alert \"\(rule.name.value)\" with the same labels is already defined at \(whereText): the two are indistinguishable in Alertmanager\(condition)"
                    findings.report(rule.name.range, what + "; rename one, give them distinct labels, or remove the copy",
                                    severity: certain ? nil : .info, scopeLine: rule.range.start.line, file: file.path)
                }
            }
        }
    }

    /// Whether two rules with the same kind, name and labels (only parsed when these collide) write the
    /// same series. Alerts: only when their expressions are the same text (a copy); several alerts of one
    /// name with different expressions are the usual way to detect one problem several ways. Recording
    /// rules: unless their results provably never share a series (`namespace="a"` here, `namespace="b"`
    /// there; `code=~"2.."` and `code=~"5.."`; a label one sets that the other cannot have), or they read
    /// entirely different metrics.
    static func collide(_ kind: RuleView.Kind, _ a: String, _ b: String, shapes: inout ShapeCache) -> Bool {
        if shapes.words(a) == shapes.words(b) { return true }
        guard kind == .record else { return false }
        guard let sa = shapes.shape(a), let sb = shapes.shape(b) else { return true }
        if !sa.names.isEmpty, !sb.names.isEmpty, sa.names.isDisjoint(with: sb.names) { return false }
        if sa.fixed.contains(where: { label, values in sb.fixed[label].map { !$0.overlaps(values) } ?? false }) { return false }
        // A label one side always sets (to a non-empty value) and the other can never have.
        func setVersusLacking(_ x: Shape, _ y: Shape) -> Bool {
            x.fixed.contains { label, values in !values.allowsEmpty && y.output.definitelyLacks(label) }
        }
        return !(setVersusLacking(sa, sb) || setVersusLacking(sb, sa))
    }

    /// What the comparison needs of one expression.
    struct Shape {
        var names: Set<String>
        var fixed: [String: LabelValues]
        var output: OutputLabels
    }

    /// Expression texts split into words and parsed once per run.
    struct ShapeCache {
        private var wordsOf: [String: [Substring]] = [:]
        private var shapes: [String: Shape?] = [:]

        mutating func words(_ s: String) -> [Substring] {
            if let w = wordsOf[s] { return w }
            let w = s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            wordsOf[s] = w
            return w
        }

        /// nil when the text does not parse.
        mutating func shape(_ s: String) -> Shape? {
            if let known = shapes[s] { return known }
            var shape: Shape?
            if case .success(let e) = LintParsers.parse(s) {
                shape = Shape(names: Set(ExprFacts.selectors(e).compactMap(ExprFacts.metricName)),
                              fixed: DuplicateRuleCheck.fixedLabels(e), output: OutputLabels.of(e))
            }
            shapes[s] = shape
            return shape
        }
    }

    /// The values a label can take: alternatives that are an exact value or a literal prefix.
    struct LabelValues {
        var alternatives: [(prefix: String, exact: Bool)]

        static func exactly(_ v: String) -> LabelValues { LabelValues(alternatives: [(v, true)]) }

        init(alternatives: [(prefix: String, exact: Bool)]) { self.alternatives = alternatives }

        /// What an `=` matcher, or a `=~` matcher of plain alternatives (`a|b`, `2..`, `kube-.*`), allows.
        init?(_ m: LabelMatcher) {
            switch m.type {
            case .equal: alternatives = [(m.value, true)]
            case .regexMatch:
                guard !m.value.contains(where: { "()[]{}\\^$".contains($0) }) else { return nil }
                alternatives = m.value.split(separator: "|", omittingEmptySubsequences: false).map { alt in
                    let prefix = alt.prefix { !".*+?".contains($0) }
                    return (String(prefix), prefix.count == alt.count)
                }
            default: return nil
            }
        }

        var allowsEmpty: Bool { alternatives.contains { $0.prefix.isEmpty } }

        func overlaps(_ o: LabelValues) -> Bool {
            alternatives.contains { a in o.alternatives.contains { b in Self.compatible(a, b) } }
        }

        static func compatible(_ a: (prefix: String, exact: Bool), _ b: (prefix: String, exact: Bool)) -> Bool {
            switch (a.exact, b.exact) {
            case (true, true): return a.prefix == b.prefix
            case (true, false): return a.prefix.hasPrefix(b.prefix)
            case (false, true): return b.prefix.hasPrefix(a.prefix)
            case (false, false): return a.prefix.hasPrefix(b.prefix) || b.prefix.hasPrefix(a.prefix)
            }
        }

        /// The alternatives of this that `o` allows too (enough for the disjointness question).
        func intersecting(_ o: LabelValues) -> LabelValues {
            LabelValues(alternatives: alternatives.filter { a in o.alternatives.contains { Self.compatible(a, $0) } })
        }
    }

    /// Output labels whose value is known from the expression: set by `=` matchers and carried through
    /// functions, aggregations that keep them and one-to-one matching, or written by label_replace()
    /// (a constant replacement, or `$1` of a `(.*)` / `(.+)` copy of a known label).
    static func fixedLabels(_ expr: Expr, depth: Int = 0) -> [String: LabelValues] {
        guard depth < 200 else { return [:] }
        switch expr {
        case .vectorSelector(let vs):
            var out: [String: LabelValues] = [:]
            for m in vs.matchers where m.name != "__name__" {
                guard let allowed = LabelValues(m) else { continue }
                out[m.name] = out[m.name].map { $0.intersecting(allowed) } ?? allowed
            }
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
                    base[dst.value] = .exactly(repl.value)
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
                var both: [String: LabelValues] = [:]
                for (label, values) in lhs {
                    if let r = rhs[label] { both[label] = LabelValues(alternatives: values.alternatives + r.alternatives) }
                }
                return both
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
