import GoCompat

/// A group of targets with common labels: one `static_configs` entry or one entry of a file_sd file.
public struct TargetGroup: YAMLDecodable, Sendable {
    /// Target addresses (`host:port`), in order.
    public var targets: [String] = []
    /// Positions of the targets (the group's position for targets from JSON).
    public var targetMarks: [Mark] = []
    public var labels = LabelSet()
    /// Where the group is identified in messages: its index in `static_configs`, or `FILE:INDEX` for file_sd.
    public var source = ""
    public var mark = Mark(line: 0, column: 0)

    public static var goTypeName: String {
        #"struct { Targets []string "yaml:\"targets\""; Labels model.LabelSet "yaml:\"labels\"" }"#
    }

    public init(targets: [String], labels: LabelSet = LabelSet(), source: String = "", mark: Mark = Mark(line: 0, column: 0)) {
        self.targets = targets
        self.targetMarks = targets.map { _ in mark }
        self.labels = labels
        self.source = source
        self.mark = mark
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        mark = node.mark
        var m = decoder.mapping(node, goType: Self.goTypeName)
        if let n = m.node("targets") {
            targets = try [String](yaml: n, decoder: decoder)
            if case .sequence(let items) = n.content { targetMarks = items.map(\.mark) }
            while targetMarks.count < targets.count { targetMarks.append(n.mark) }
        }
        labels = try m.decode("labels", default: LabelSet())
        m.finish()
    }
}

/// Decodes `static_configs` (null entries are an error, as Prometheus's SD registry says).
func decodeStaticConfigs(_ m: inout MappingDecoder) throws(ConfigError) -> [TargetGroup] {
    guard let n = m.node("static_configs"), !n.isNull else { return [] }
    guard case .sequence(let items) = n.content else {
        // The SD registry's field type for static_configs.
        m.decoder.cannotUnmarshal(n, into: "[]*targetgroup.Group")
        return []
    }
    var groups: [TargetGroup] = []
    for (i, item) in items.enumerated() {
        if item.isNull { throw ConfigError("empty or null section in static_configs", at: item.mark) }
        var g = try TargetGroup(yaml: item, decoder: m.decoder)
        g.source = String(i)
        groups.append(g)
    }
    return groups
}

/// Prometheus's `CheckTargetAddress`: an address may not contain `/` (users putting URLs in targets).
public func checkTargetAddress(_ address: String) -> String? {
    address.contains("/") ? "\(goQuote(address)) is not a valid hostname" : nil
}
