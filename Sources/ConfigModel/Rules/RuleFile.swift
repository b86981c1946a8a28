/// A Prometheus rule file: one or more YAML documents, each a plain `groups:` document or a Kubernetes
/// `PrometheusRule` manifest (groups under `spec.groups`), recognised by content.
public struct RuleFile: Sendable, Equatable {
    /// One YAML document's groups.
    public struct Document: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A plain rule file document (`groups:` at the top).
            case ruleGroups
            /// A `monitoring.coreos.com` `PrometheusRule` manifest; `name` from `metadata.name`.
            case prometheusRule(name: String?)
        }
        public var kind: Kind
        public var groups: [RuleGroup]
        /// Where the document's root node starts.
        public var mark: Mark

        public init(kind: Kind, groups: [RuleGroup], mark: Mark) {
            self.kind = kind
            self.groups = groups
            self.mark = mark
        }
    }

    public var documents: [Document]

    public init(documents: [Document]) { self.documents = documents }

    /// Every group of every document, in file order.
    public var groups: [RuleGroup] { documents.flatMap(\.groups) }

    /// Number of rules in the file (what promtool reports as `N rules found`).
    public var ruleCount: Int { documents.reduce(0) { $0 &+ $1.groups.reduce(0) { $0 &+ $1.rules.count } } }

    /// The outcome of loading: the file when it decoded, otherwise the decoding errors.
    public struct LoadResult: Sendable {
        public var file: RuleFile?
        public var errors: [RuleFileError]
        /// What reading the YAML cost (one libyaml pass, bounded by the composer's limits).
        public var work = YAMLComposer.Work()
    }

    /// Loads rule-file text as `rulefmt.Parse` decodes it (before validation). Errors keep Prometheus's
    /// texts: YAML syntax errors as yaml.v3 words them, type errors as `yaml: unmarshal errors:`, invalid
    /// durations as `not a valid duration string: "x"`. Like Prometheus, which decodes twice, a problem
    /// both decodes see is reported twice.
    public static func load(_ text: String, ignoreUnknownFields: Bool = false) -> LoadResult {
        load(bytes: Array(text.utf8), ignoreUnknownFields: ignoreUnknownFields)
    }

    /// Loads rule-file bytes; invalid UTF-8 is reported as yaml.v3 reports it.
    public static func load(bytes: [UInt8], ignoreUnknownFields: Bool = false) -> LoadResult {
        // One libyaml pass, worded as yaml v3 words it; libyaml rejects invalid UTF-8 as yaml v3 does.
        var work = YAMLComposer.Work()
        let nodes: [Node]
        do {
            nodes = try YAMLComposer.compose(bytes: bytes, dialect: .yamlV3, deferAliasBudget: true, work: &work)
        } catch {
            let err = RuleFileError(kind: .yaml, message: error.message, mark: error.mark)
            return LoadResult(file: nil, errors: [err, err], work: work)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let source = SourceText(text)
        var documents: [Document] = []
        var errors: [RuleFileError] = []
        for node in nodes {
            var target = node
            var kind = Document.Kind.ruleGroups
            if let manifest = kubernetesKind(node) {
                if manifest.isPrometheusRule {
                    kind = .prometheusRule(name: manifest.name)
                    target = node["spec"] ?? Node(content: .scalar("", .plain), mark: node.mark)
                } else if nodes.count > 1 {
                    // Helm output mixes manifests; only PrometheusRule ones hold rules.
                    continue
                }
            }
            if nodes.count > 1, target.isNull { continue }
            var groups: [RuleGroup] = []
            var failed = false
            for view in [RuleFileDecoder.View.groups, .nodes] {
                // The node view is strictly more lenient: when the groups view succeeded it would too, so it
                // only runs to add its own error messages (upstream decodes twice and reports both).
                if view == .nodes && !failed { break }
                let decoder = RuleFileDecoder(view: view, rejectUnknownFields: !ignoreUnknownFields, source: source,
                                              aliasBudget: work.decodeBudget)
                do {
                    let decoded = try decoder.decodeDocument(target)
                    if view == .groups { groups = decoded }
                } catch {
                    failed = true
                    errors.append(RuleFileError(kind: .yaml, message: error.message, mark: error.mark))
                }
            }
            if !failed { documents.append(Document(kind: kind, groups: groups, mark: node.mark)) }
        }
        if !errors.isEmpty { return LoadResult(file: nil, errors: errors, work: work) }
        return LoadResult(file: RuleFile(documents: documents), errors: [], work: work)
    }

    private struct ManifestKind {
        var isPrometheusRule: Bool
        var name: String?
    }

    /// A Kubernetes manifest's kind when `node` looks like one (`apiVersion` and `kind` scalars).
    private static func kubernetesKind(_ node: Node) -> ManifestKind? {
        guard node.isMapping, let api = node["apiVersion"]?.scalarValue, let kind = node["kind"]?.scalarValue else { return nil }
        let isRule = kind == "PrometheusRule" && api.hasPrefix("monitoring.coreos.com/")
        return ManifestKind(isPrometheusRule: isRule, name: node["metadata"]?["name"]?.scalarValue)
    }
}
