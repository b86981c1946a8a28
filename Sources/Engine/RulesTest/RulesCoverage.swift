import ConfigModel

/// `--coverage`: which alerting and recording rules of the loaded rule files no test exercised. An
/// alerting rule is covered by an `alert_rule_test` naming it; a recording rule by a `promql_expr_test`
/// whose expression selects the recorded metric.
public struct RulesCoverage: Sendable {
    /// One rule nobody tested.
    public struct Untested: Sendable, Equatable {
        public var file: String
        public var mark: Mark
        /// `alert` or `record`.
        public var kind: String
        public var name: String
    }

    public var total: Int
    public var untested: [Untested]

    /// Tested rules as a percentage (100 when there are no rules).
    public var percent: Double {
        total == 0 ? 100 : Double(total - untested.count) * 100 / Double(total)
    }

    public init(results: [RulesTestFileResult], parserOptions: ParserOptions) {
        var alertNames: Set<String> = []
        var selectors: [VectorSelector] = []
        for r in results {
            for g in r.groups {
                alertNames.formUnion(g.testedAlertNames)
                for e in g.testedExpressions {
                    if let expr = try? PromQLParser.parse(e, options: parserOptions) { selectors.append(contentsOf: expr.vectorSelectors) }
                }
            }
        }
        var seen: Set<String> = []
        total = 0
        untested = []
        for r in results {
            for (file, rule) in r.rules {
                let key = "\(file)\u{0}\(rule.mark.line)\u{0}\(rule.mark.column)"
                guard seen.insert(key).inserted else { continue }
                total += 1
                let covered: Bool
                if rule.isAlerting {
                    covered = alertNames.contains(rule.alertName)
                } else {
                    let name = rule.recordName
                    covered = selectors.contains { vs in
                        vs.matchers.contains { $0.name == "__name__" } && vs.matchers.allSatisfy { m in m.name != "__name__" || m.matches(name) }
                    }
                }
                if !covered {
                    untested.append(Untested(file: file, mark: rule.mark, kind: rule.isAlerting ? "alert" : "record", name: rule.name))
                }
            }
        }
    }

    /// The report printed after the run (stdout).
    public var lines: [String] {
        var out = ["Coverage: \(total - untested.count)/\(total) rules tested (\(TemplateFormat.formatFloat(percent, "f", 1))%)"]
        for u in untested { out.append("  untested \(u.kind) \(u.name) at \(u.file):\(u.mark.line):\(u.mark.column)") }
        return out
    }
}
