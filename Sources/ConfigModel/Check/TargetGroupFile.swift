import GoCompat

/// Reading a file_sd file as promtool's `checkSDFile` does: `.json`, `.yml` or `.yaml` holding a list of
/// target groups (YAML decoded strictly; JSON with unknown fields rejected).
public enum TargetGroupFile {
    /// The groups in `path`; errors carry positions inside that file (`ConfigError.file` is set).
    public static func load(_ path: String) throws(ConfigError) -> [TargetGroup] {
        let bytes: [UInt8]
        switch FileSystem.readFile(path) {
        case .success(let b): bytes = b
        case .failure(let e): throw e
        }
        let ext = FilePath.ext(path)
        var groups: [TargetGroup?]
        switch ext.lowercased() {
        case ".json":
            groups = try decodeJSON(bytes, path: path)
        case ".yml", ".yaml":
            groups = try decodeYAML(bytes, path: path)
        default:
            throw ConfigError("invalid file extension: \(goQuote(ext))")
        }
        var out: [TargetGroup] = []
        for (i, g) in groups.enumerated() {
            guard let g else { throw ConfigError("nil target group item found (index \(i))") }
            out.append(g)
        }
        return out
    }

    static func decodeYAML(_ bytes: [UInt8], path: String) throws(ConfigError) -> [TargetGroup?] {
        let docs: [Node]
        do {
            docs = try YAMLComposer.compose(bytes: bytes, firstDocumentOnly: true)
        } catch {
            throw ConfigError(error.message, at: error.mark, file: path)
        }
        guard let root = docs.first, !root.isNull else { return [] }
        let decoder = YAMLDecoder()
        var out: [TargetGroup?] = []
        do {
            switch root.content {
            case .sequence(let items):
                for item in items {
                    if item.isNull { out.append(nil); continue }
                    out.append(try TargetGroup(yaml: item, decoder: decoder))
                }
            default:
                decoder.cannotUnmarshal(root, into: "[]*targetgroup.Group")
            }
            try decoder.throwCollectedTypeErrors()
        } catch {
            throw ConfigError(error.message, at: error.mark, file: path)
        }
        return out
    }

    static func jsonKind(_ n: Node) -> String {
        switch n.content {
        case .mapping: return "object"
        case .sequence: return "array"
        case .scalar:
            switch n.tag {
            case "!!bool": return "bool"
            case "!!float": return "number"
            case "!!null": return "null"
            default: return "string"
            }
        }
    }

    static func decodeJSON(_ bytes: [UInt8], path: String) throws(ConfigError) -> [TargetGroup?] {
        let root: Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw ConfigError(error.message, at: error.mark, file: path)
        }
        func fail(_ message: String, _ node: Node) -> ConfigError { ConfigError(message, at: node.mark, file: path) }
        if root.tag == "!!null" { return [] }
        guard case .sequence(let items) = root.content else {
            throw fail("json: cannot unmarshal \(jsonKind(root)) into Go value of type []*targetgroup.Group", root)
        }
        var out: [TargetGroup?] = []
        for item in items {
            if item.tag == "!!null" { out.append(nil); continue }
            guard case .mapping(let pairs) = item.content else {
                throw fail("json: cannot unmarshal \(jsonKind(item)) into Go value of type struct { Targets []string \"json:\\\"targets\\\"\"; Labels model.LabelSet \"json:\\\"labels\\\"\" }", item)
            }
            var group = TargetGroup(targets: [], mark: item.mark)
            for p in pairs {
                let key = p.key.scalarValue ?? ""
                switch key.lowercased() {
                case "targets":
                    if p.value.tag == "!!null" { group.targets = []; continue }
                    guard case .sequence(let ts) = p.value.content else {
                        throw fail("json: cannot unmarshal \(jsonKind(p.value)) into Go struct field .targets of type []string", p.value)
                    }
                    group.targets = []
                    group.targetMarks = []
                    for t in ts {
                        if t.tag == "!!null" { group.targets.append(""); group.targetMarks.append(t.mark); continue }
                        guard jsonKind(t) == "string", let s = t.scalarValue else {
                            throw fail("json: cannot unmarshal \(jsonKind(t)) into Go struct field .targets of type string", t)
                        }
                        group.targets.append(s)
                        group.targetMarks.append(t.mark)
                    }
                case "labels":
                    if p.value.tag == "!!null" { continue }
                    guard case .mapping(let lps) = p.value.content else {
                        throw fail("json: cannot unmarshal \(jsonKind(p.value)) into Go struct field .labels of type model.LabelSet", p.value)
                    }
                    var map = OrderedStringMap<String>()
                    for lp in lps {
                        let name = lp.key.scalarValue ?? ""
                        if !NameValidationScheme.utf8.isValidLabelName(name) {
                            throw fail("\(goQuote(name)) is not a valid label name", lp.key)
                        }
                        var value = ""
                        if lp.value.tag != "!!null" {
                            guard jsonKind(lp.value) == "string", let s = lp.value.scalarValue else {
                                throw fail("json: cannot unmarshal \(jsonKind(lp.value)) into Go struct field .labels of type model.LabelValue", lp.value)
                            }
                            value = s
                        }
                        map.entries.removeAll { $0.key == name }
                        map.entries.append(.init(key: name, value: value, keyMark: lp.key.mark, valueMark: lp.value.mark))
                    }
                    group.labels = LabelSet(map: map)
                default:
                    throw fail("json: unknown field \(goQuote(key))", p.key)
                }
            }
            out.append(group)
        }
        return out
    }
}

extension LabelSet {
    init(map: OrderedStringMap<String>) {
        self.init()
        self.map = map
    }
}
