import ConfigModel

/// promtool's `duplicate-rules` lint: rules (alerting or recording) with the same name and the same
/// labels (group labels overridden by rule labels) across the whole file; in a multi-document file,
/// within each document (each PrometheusRule manifest becomes its own rule file).
public enum DuplicateRuleLint {
    /// One duplicated rule identity.
    public struct Duplicate: Sendable, Equatable {
        /// The alert name, or the record name for recording rules.
        public var metric: String
        /// The merged labels, sorted by name (bytewise, as Go compares strings).
        public var labels: [(name: String, value: String)]
        /// Where the first repeat is in the file.
        public var mark: Mark

        public static func == (a: Duplicate, b: Duplicate) -> Bool {
            a.metric == b.metric && a.labels.elementsEqual(b.labels) { $0.name == $1.name && $0.value == $1.value }
        }
    }

    /// The duplicates in `file`, document by document, ordered by name then labels, each reported once.
    public static func duplicates(in file: RuleFile) -> [Duplicate] {
        file.documents.flatMap { duplicates(in: $0.groups) }
    }

    /// The duplicates among `groups`, ordered by name then labels, each reported once.
    public static func duplicates(in groups: [RuleGroup]) -> [Duplicate] {
        var entries: [Duplicate] = []
        for group in groups {
            for rule in group.rules {
                var merged: [String: String] = [:]
                for l in group.labels { merged[l.name] = l.value.value }
                for l in rule.labels { merged[l.name] = l.value.value }
                let labels = merged.map { (name: $0.key, value: $0.value) }.sorted { goLess($0.name, $1.name) }
                entries.append(Duplicate(metric: rule.name, labels: labels, mark: rule.alert?.mark ?? rule.record?.mark ?? rule.mark))
            }
        }
        guard entries.count >= 2 else { return [] }
        // Hash first (duplicates are rare); only the repeated identities are sorted. The position kept is the
        // first repeat's, in file order.
        var firstSeen: Set<String> = []
        firstSeen.reserveCapacity(entries.count)
        var reported: Set<String> = []
        var repeats: [Duplicate] = []
        for e in entries {
            var key = e.metric
            for l in e.labels { key += "\u{1}" + l.name + "\u{2}" + l.value }
            if firstSeen.insert(key).inserted { continue }
            if reported.insert(key).inserted { repeats.append(e) }
        }
        return repeats.sorted { compare($0, $1) < 0 }
    }

    /// The lint error promtool prints (`lint error N duplicate rule(s) found.` ...), nil when none.
    public static func error(for file: RuleFile) -> RuleFileError? {
        let dups = duplicates(in: file)
        guard let first = dups.first else { return nil }
        var text = "lint error \(dups.count) duplicate rule(s) found.\n"
        for d in dups {
            text += "Metric: \(d.metric)\nLabel(s):\n"
            for l in d.labels { text += "\t\(l.name): \(l.value)\n" }
        }
        text += "Might cause inconsistency while recording expressions"
        return RuleFileError(kind: .lint, message: text, mark: first.mark)
    }

    private static func compare(_ a: Duplicate, _ b: Duplicate) -> Int {
        if a.metric != b.metric { return goLess(a.metric, b.metric) ? -1 : 1 }
        let n = min(a.labels.count, b.labels.count)
        for i in 0..<n {
            let x = a.labels[i], y = b.labels[i]
            if x.name != y.name { return goLess(x.name, y.name) ? -1 : 1 }
            if x.value != y.value { return goLess(x.value, y.value) ? -1 : 1 }
        }
        return a.labels.count == b.labels.count ? 0 : (a.labels.count < b.labels.count ? -1 : 1)
    }

    /// Go's string order: bytewise on UTF-8.
    private static func goLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
