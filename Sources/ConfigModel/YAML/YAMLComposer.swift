import CLibYAML

/// Turns YAML text into positioned `Node` documents with libyaml's event parser.
///
/// Non-recursive (an explicit stack), so hostile nesting cannot overflow the stack; nesting depth and
/// alias expansion are bounded so that alias bombs fail fast instead of exhausting memory.
public enum YAMLComposer {
    /// Deepest nesting accepted; real configs nest a few dozen levels.
    public static let maxDepth = 1_000
    /// Most nodes an alias may expand to in one document (alias bombs stop here).
    public static let maxExpandedNodes = 5_000_000
    /// Largest input accepted (64 MiB). Real configs and rule files are a few MB at most; a larger input
    /// would only tie up memory and minutes before anything useful could be said about it.
    public static let maxInputBytes = 64 << 20

    static func checkSize(_ count: Int) throws(YAMLError) {
        if count > maxInputBytes {
            throw YAMLError(message: "yaml: input is \(count) bytes, larger than the \(maxInputBytes)-byte limit", mark: Mark(line: 1, column: 1))
        }
    }

    /// Composes every document in `text`. An empty stream gives no documents.
    public static func compose(_ text: String) throws(YAMLError) -> [Node] {
        try checkSize(text.utf8.count)
        var bytes = Array(text.utf8)
        if bytes.isEmpty { return [] }
        return try bytes.withUnsafeMutableBufferPointer { buf throws(YAMLError) -> [Node] in
            guard let base = buf.baseAddress else { return [] }
            return try composeBytes(base, count: buf.count)
        }
    }

    /// Composes every document in raw bytes, letting libyaml reject invalid UTF-8 as yaml.v2 does.
    /// With `firstDocumentOnly`, parsing stops after the first document (yaml.v2's `Unmarshal` never reads
    /// further, so later syntax errors go unnoticed there too).
    public static func compose(bytes: [UInt8], firstDocumentOnly: Bool = false) throws(YAMLError) -> [Node] {
        try checkSize(bytes.count)
        var bytes = bytes
        if bytes.isEmpty { return [] }
        return try bytes.withUnsafeMutableBufferPointer { buf throws(YAMLError) -> [Node] in
            guard let base = buf.baseAddress else { return [] }
            return try composeBytes(base, count: buf.count, firstDocumentOnly: firstDocumentOnly)
        }
    }

    private final class Frame {
        enum Kind { case sequence, mapping }
        let kind: Kind
        var items: [Node] = []
        let tag: String?
        let anchor: String?
        let mark: Mark
        var size = 1
        init(kind: Kind, tag: String?, anchor: String?, mark: Mark) {
            self.kind = kind
            self.tag = tag
            self.anchor = anchor
            self.mark = mark
        }
    }

    private static func composeBytes(_ base: UnsafeMutablePointer<UInt8>, count: Int, firstDocumentOnly: Bool = false) throws(YAMLError) -> [Node] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(message: "yaml: cannot initialise parser", mark: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, base, count)

        var documents: [Node] = []
        var stack: [Frame] = []
        var anchors: [String: (node: Node, size: Int)] = [:]
        var expanded = 0
        var root: Node?

        func mark(_ m: yaml_mark_t) -> Mark { Mark(line: Int(m.line) + 1, column: Int(m.column) + 1) }
        func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let p else { return nil }
            return String(cString: p)
        }
        func shortTag(_ t: String?) -> String? {
            guard let t else { return nil }
            let prefix = "tag:yaml.org,2002:"
            if t.hasPrefix(prefix) { return "!!" + t.dropFirst(prefix.count) }
            return t
        }

        func add(_ node: Node, size: Int, anchor: String?) throws(YAMLError) {
            if let anchor { anchors[anchor] = (node, size) }
            if let top = stack.last {
                top.items.append(node)
                top.size += size
            } else {
                root = node
            }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw parserError(&parser, input: UnsafeBufferPointer(start: base, count: count))
            }
            defer { yaml_event_delete(&event) }
            let start = mark(event.start_mark)
            let end = mark(event.end_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                root = nil
                anchors = [:]
                expanded = 0
            case YAML_DOCUMENT_END_EVENT:
                if let root { documents.append(root) }
                else { documents.append(Node(content: .scalar("", .plain), mark: start, endMark: end)) }
                if firstDocumentOnly { return documents }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let value: String
                if let v = s.value {
                    value = String(decoding: UnsafeBufferPointer(start: v, count: s.length), as: UTF8.self)
                } else {
                    value = ""
                }
                let style: Node.ScalarStyle
                switch s.style {
                case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
                case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
                case YAML_LITERAL_SCALAR_STYLE: style = .literal
                case YAML_FOLDED_SCALAR_STYLE: style = .folded
                default: style = .plain
                }
                var tag = shortTag(string(s.tag))
                if tag == "!" { tag = "!!str" }
                let node = Node(content: .scalar(value, style), tag: tag, mark: start, endMark: end)
                try add(node, size: 1, anchor: string(s.anchor))
            case YAML_SEQUENCE_START_EVENT:
                guard stack.count < maxDepth else {
                    throw YAMLError(message: "yaml: exceeded max depth of \(maxDepth)", mark: start)
                }
                let s = event.data.sequence_start
                stack.append(Frame(kind: .sequence, tag: shortTag(string(s.tag)), anchor: string(s.anchor), mark: start))
            case YAML_MAPPING_START_EVENT:
                guard stack.count < maxDepth else {
                    throw YAMLError(message: "yaml: exceeded max depth of \(maxDepth)", mark: start)
                }
                let s = event.data.mapping_start
                stack.append(Frame(kind: .mapping, tag: shortTag(string(s.tag)), anchor: string(s.anchor), mark: start))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                let node: Node
                if frame.kind == .sequence {
                    node = Node(content: .sequence(frame.items), tag: frame.tag, mark: frame.mark, endMark: end)
                } else {
                    node = Node(content: .mapping(try mergePairs(frame.items)), tag: frame.tag, mark: frame.mark, endMark: end)
                }
                try add(node, size: frame.size, anchor: frame.anchor)
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw YAMLError(message: "yaml: unknown anchor '\(name)' referenced", mark: start)
                }
                expanded += target.size
                guard expanded <= maxExpandedNodes else {
                    throw YAMLError(message: "yaml: document contains excessive aliasing", mark: start)
                }
                try add(target.node, size: target.size, anchor: nil)
            default:
                continue
            }
        }
    }

    /// Pairs up mapping items and applies `<<` merge keys: explicit keys win over merged ones, and
    /// earlier merge sources win over later ones, as YAML's merge type says.
    private static func mergePairs(_ items: [Node]) throws(YAMLError) -> [Node.Pair] {
        var explicit: [Node.Pair] = []
        var merged: [Node.Pair] = []
        var i = 0
        while i + 1 < items.count {
            let key = items[i], value = items[i + 1]
            i += 2
            let isMerge = key.tag == "!!merge" || (key.tag == nil && key.scalarValue == "<<" && {
                if case .scalar(_, .plain) = key.content { return true }
                return false
            }())
            guard isMerge else {
                explicit.append(Node.Pair(key: key, value: value))
                continue
            }
            var sources: [Node] = []
            switch value.content {
            case .mapping: sources = [value]
            case .sequence(let seq): sources = seq
            case .scalar:
                throw YAMLError(message: "yaml: map merge requires map or sequence of maps as the value", mark: value.mark)
            }
            for src in sources {
                guard case .mapping(let pairs) = src.content else {
                    throw YAMLError(message: "yaml: map merge requires map or sequence of maps as the value", mark: src.mark)
                }
                merged.append(contentsOf: pairs)
            }
        }
        if merged.isEmpty { return explicit }
        var seen = Set(explicit.compactMap { $0.key.scalarValue })
        var out = explicit
        for p in merged {
            if let k = p.key.scalarValue {
                if seen.contains(k) { continue }
                seen.insert(k)
            }
            out.append(p)
        }
        return out
    }

    /// libyaml's error in yaml.v2's words (`yaml: line N: PROBLEM`, with its line quirk) plus the real position.
    private static func parserError(_ p: inout yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        if p.error == YAML_READER_ERROR {
            // Reader errors (bad encoding) carry a byte offset instead of a mark.
            return YAMLError(message: "yaml: \(problem)", mark: mark(atOffset: Int(p.problem_offset), in: input))
        }
        let pm = p.problem_mark, cm = p.context_mark
        var line = 0
        if pm.line != 0 {
            line = Int(pm.line)
            if p.error == YAML_SCANNER_ERROR { line += 1 }
        } else if cm.line != 0 {
            line = Int(cm.line)
        }
        let where_ = line != 0 ? "line \(line): " : ""
        let context = p.context.map { String(cString: $0) }
        _ = context
        return YAMLError(message: "yaml: \(where_)\(problem)", mark: Mark(line: Int(pm.line) + 1, column: Int(pm.column) + 1))
    }
}

extension YAMLComposer {
    /// Line and column (counting characters) of a byte offset.
    static func mark(atOffset offset: Int, in input: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1, column = 1
        var i = 0
        let end = min(max(0, offset), input.count)
        while i < end {
            let c = input[i]
            if c == 0x0A { line += 1; column = 1 } else if c & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return Mark(line: line, column: column)
    }
}

/// A YAML syntax error: the message as Go's yaml.v2 prints it, and where it happened.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var mark: Mark
    public init(message: String, mark: Mark) {
        self.message = message
        self.mark = mark
    }
    public var description: String { message }
}
