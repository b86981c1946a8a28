import GoCompat

/// Decodes rule-file documents with yaml.v3's strict-decoding semantics, the way `rulefmt.Parse` does.
///
/// Prometheus decodes a rule file twice: into `RuleGroups` (strict unless unknown fields are ignored) for
/// the values, and into its node mirror `ruleGroups` (never strict; record/alert/expr kept as raw nodes)
/// for positions. Both decodes report their own errors, so the same problem can be printed twice. The
/// `view` picks which of the two this decoder imitates (type names in messages, strictness).
struct RuleFileDecoder {
    enum View { case groups, nodes }

    let view: View
    let decoder: YAMLDecoder
    let source: SourceText

    /// Most duplicate-key errors reported for one mapping.
    static let maxDuplicateKeyErrors = 1_000

    init(view: View, rejectUnknownFields: Bool, source: SourceText, aliasBudget: (limit: Int, mark: Mark)? = nil) {
        self.view = view
        self.decoder = YAMLDecoder(rejectUnknownFields: view == .groups && rejectUnknownFields)
        decoder.yamlV3Booleans = true
        decoder.aliasBudget = aliasBudget
        self.source = source
    }

    private func typeName(_ groups: String, _ nodes: String) -> String {
        view == .groups ? "rulefmt." + groups : "rulefmt." + nodes
    }

    /// Decodes one document (or a PrometheusRule's `spec`) into groups; throws the first fatal error
    /// (an invalid duration) or, at the end, yaml.v3's combined type errors.
    func decodeDocument(_ node: Node) throws(ConfigError) -> [RuleGroup] {
        let groups: [RuleGroup]
        do {
            groups = try decodeRoot(node)
        } catch {
            throw decoder.abortingError ?? error
        }
        try decoder.throwCollectedTypeErrors()
        return groups
    }

    private func decodeRoot(_ node: Node) throws(ConfigError) -> [RuleGroup] {
        if node.isNull { return [] }
        guard node.isMapping else {
            cannotUnmarshal(node, into: typeName("RuleGroups", "ruleGroups"))
            return []
        }
        if reportDuplicateKeys(node) { return [] }
        var m = decoder.mapping(node, goType: typeName("RuleGroups", "ruleGroups"))
        var groups: [RuleGroup] = []
        for key in m.keys where key == "groups" {
            if let g = m.node("groups") { groups = try decodeGroups(g) }
        }
        m.finish()
        return groups
    }

    private func decodeGroups(_ node: Node) throws(ConfigError) -> [RuleGroup] {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.content else {
            cannotUnmarshal(node, into: "[]" + typeName("RuleGroup", "RuleGroupNode"))
            return []
        }
        var out: [RuleGroup] = []
        out.reserveCapacity(items.count)
        // yaml v3 keeps a sequence element only when decoding it succeeded, and a null never sets a
        // struct: null groups and rules are dropped, not decoded as empty ones.
        for item in items where !item.isNull {
            try decoder.visit()
            out.append(try decodeGroup(item))
        }
        return out
    }

    private func decodeGroup(_ node: Node) throws(ConfigError) -> RuleGroup {
        var group = RuleGroup(mark: node.mark)
        if node.isNull { return group }
        guard node.isMapping else {
            cannotUnmarshal(node, into: typeName("RuleGroup", "RuleGroupNode"))
            return group
        }
        if reportDuplicateKeys(node) { return group }
        var m = decoder.mapping(node, goType: typeName("RuleGroup", "RuleGroupNode"))
        // Document order, so that the first invalid duration is the one reported, as in yaml.v3.
        for key in m.keys {
            switch key {
            case "name":
                if let n = m.node(key) { group.name = Positioned(try String(yaml: n, decoder: decoder), at: n.mark) }
            case "interval":
                if let n = m.node(key), !n.isNull { group.interval = try PromDuration(yaml: n, decoder: decoder) }
            case "query_offset":
                if let n = m.node(key), !n.isNull { group.queryOffset = try PromDuration(yaml: n, decoder: decoder) }
            case "limit":
                if let n = m.node(key) { group.limit = try decodeInt(n) }
            case "rules":
                if let n = m.node(key) { group.rules = try decodeRules(n) }
            case "labels":
                if let n = m.node(key) { group.labels = try decodeStringMap(n) }
            default:
                break
            }
        }
        m.finish()
        return group
    }

    private func decodeRules(_ node: Node) throws(ConfigError) -> [Rule] {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.content else {
            cannotUnmarshal(node, into: "[]" + typeName("Rule", "RuleNode"))
            return []
        }
        var out: [Rule] = []
        out.reserveCapacity(items.count)
        for item in items where !item.isNull {
            try decoder.visit()
            out.append(try decodeRule(item))
        }
        return out
    }

    private func decodeRule(_ node: Node) throws(ConfigError) -> Rule {
        var rule = Rule(mark: node.mark)
        if node.isNull { return rule }
        guard node.isMapping else {
            cannotUnmarshal(node, into: typeName("Rule", "RuleNode"))
            return rule
        }
        if reportDuplicateKeys(node) { return rule }
        var m = decoder.mapping(node, goType: typeName("Rule", "RuleNode"))
        for key in m.keys {
            switch key {
            case "record":
                if let n = m.node(key) { rule.record = try text(n) }
            case "alert":
                if let n = m.node(key) { rule.alert = try text(n) }
            case "expr":
                if let n = m.node(key) { rule.expr = try text(n) }
            case "for":
                if let n = m.node(key), !n.isNull { rule.forDuration = Positioned(try PromDuration(yaml: n, decoder: decoder), at: n.mark) }
            case "keep_firing_for":
                if let n = m.node(key), !n.isNull { rule.keepFiringFor = Positioned(try PromDuration(yaml: n, decoder: decoder), at: n.mark) }
            case "labels":
                if let n = m.node(key) { rule.labels = try decodeStringMap(n) }
            case "annotations":
                if let n = m.node(key) { rule.annotations = try decodeStringMap(n) }
            default:
                break
            }
        }
        m.finish()
        return rule
    }

    /// A string field; in the node view these are raw `yaml.Node`s, which accept anything (a tag too: a node
    /// is copied, never resolved, so a bad tag there is reported by the groups view alone).
    private func text(_ node: Node) throws(ConfigError) -> PositionedText {
        if view == .nodes {
            return PositionedText(node.scalarValue ?? "", at: node.mark)
        }
        let s = try String(yaml: node, decoder: decoder)
        return PositionedText(value: s, node: node, source: source)
    }

    /// `map[string]string`, in document order.
    private func decodeStringMap(_ node: Node) throws(ConfigError) -> [RuleLabel] {
        if node.isNull { return [] }
        guard case .mapping(let pairs) = node.content else {
            cannotUnmarshal(node, into: "map[string]string")
            return []
        }
        if reportDuplicateKeys(node) { return [] }
        var out: [RuleLabel] = []
        out.reserveCapacity(pairs.count)
        for p in pairs {
            // A null key does not decode into a string (yaml.v3 sets only pointers, maps, slices and
            // interfaces to null), so yaml.v3 skips the entry without decoding its value.
            if p.key.isNull { continue }
            let before = decoder.typeErrorCount
            let key = try String(yaml: p.key, decoder: decoder)
            let value = try String(yaml: p.value, decoder: decoder)
            guard decoder.typeErrorCount == before else { continue }
            let positioned = view == .groups ? PositionedText(value: value, node: p.value, source: source) : PositionedText(value, at: p.value.mark)
            out.append(RuleLabel(name: key, nameMark: p.key.mark, value: positioned))
        }
        return out
    }

    /// The tag yaml.v3 gives a node: like yaml.v2's, except that only `true`/`false` spellings are booleans
    /// (YAML 1.2), so `yes`, `on`, `y` are strings.
    static func v3ShortTag(_ node: Node) -> String {
        let tag = node.shortTag
        if tag == "!!bool", node.tag == nil, let s = node.scalarValue,
           !["true", "True", "TRUE", "false", "False", "FALSE"].contains(s) {
            return "!!str"
        }
        return tag
    }

    /// Records yaml.v3's `cannot unmarshal !!tag `value` into TYPE` (value cut to 7 bytes past 10).
    private func cannotUnmarshal(_ node: Node, into goType: String) {
        guard decoder.typeErrorUnlessFatal(node) else { return }
        let tag = Self.v3ShortTag(node)
        var value = ""
        if tag != "!!seq" && tag != "!!map", let s = node.scalarValue {
            value = s.utf8.count > 10 ? " `" + String(decoding: Array(s.utf8.prefix(7)), as: UTF8.self) + "...`" : " `" + s + "`"
        }
        decoder.typeError(node, "cannot unmarshal \(tag)\(value) into \(goType)")
    }

    /// An `int` field as yaml.v3 decodes it (the same conversions as yaml.v2's), with v3's tag names.
    private func decodeInt(_ node: Node) throws(ConfigError) -> Int {
        try decoder.willDecodeScalar(node)
        guard let value = YAMLInteger.signed(node) else {
            cannotUnmarshal(node, into: "int")
            return 0
        }
        return Int(truncatingIfNeeded: value)
    }

    /// yaml.v3 rejects a mapping with a repeated key before decoding it: one error per later occurrence
    /// (`mapping key "k" already defined at line N`), and the mapping is left undecoded. The errors come in
    /// yaml.v3's order — for each key in turn, every later key equal to it — and stand where the mapping
    /// starts among the file's other errors.
    private func reportDuplicateKeys(_ node: Node) -> Bool {
        guard case .mapping(let pairs) = node.content, pairs.count > 1 else { return false }
        var occurrences: [String: [Int]] = [:]
        var kinds: [String] = []
        kinds.reserveCapacity(pairs.count)
        for (index, p) in pairs.enumerated() {
            let kind: String
            switch p.key.content {
            case .scalar(let s, _): kind = "s:" + s
            case .sequence: kind = "q:"
            case .mapping: kind = "m:"
            }
            kinds.append(kind)
            occurrences[kind, default: []].append(index)
        }
        guard occurrences.count < pairs.count else { return false }
        var seen: [String: Int] = [:]
        var reported = 0
        for (i, kind) in kinds.enumerated() {
            let rank = seen[kind, default: 0]
            seen[kind] = rank &+ 1
            guard let later = occurrences[kind]?.dropFirst(rank &+ 1), !later.isEmpty else { continue }
            for j in later {
                // yaml.v3 reports every pair; a hostile file could make that quadratic, so stop early.
                guard reported < Self.maxDuplicateKeyErrors else { return true }
                reported &+= 1
                let key = pairs[j].key
                decoder.typeError(key, "mapping key \(goQuote(key.scalarValue ?? "")) already defined at line \(pairs[i].key.mark.line)",
                                  orderedAt: node.mark)
            }
        }
        return true
    }
}
