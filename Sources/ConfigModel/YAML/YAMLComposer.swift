import CLibYAML

/// Turns YAML text into positioned `Node` documents with libyaml's event parser.
///
/// Non-recursive (an explicit stack), so hostile nesting cannot overflow the stack. Nesting is bounded as
/// go-yaml bounds it (10,000 flow levels, 10,000 block indents, `exceeded max depth of 10000`), alias
/// expansion per file, and the work libyaml does per token inside flow collections: libyaml rescans its
/// whole simple-key stack (one entry per open flow level) for every token, so without a bound a file of n
/// bytes nested d levels deep costs n·d — quadratic for `[[[[…`.
public enum YAMLComposer {
    /// go-yaml's `max_flow_level`: more nested `[`/`{` than this is a scanner error.
    public static let maxFlowLevel = 10_000
    /// go-yaml's `max_indents`: more nested block collections than this is a scanner error.
    public static let maxIndents = 10_000
    /// Most nodes aliases may expand to in one file, all documents together (alias bombs stop here).
    public static let maxExpandedNodes = 5_000_000
    /// Most flow-nesting work (the sum, over parse events, of the open flow levels — what libyaml's
    /// simple-key scans cost) one input may need. Reaching go-yaml's depth limit takes 5·10⁷ with `[[[…`
    /// and 10⁸ with `{a: {a: …` (about half a second of CPU); the bound only stops inputs that keep
    /// thousands of flow levels open over many more tokens, which no real file does and which would
    /// otherwise take minutes. go-yaml has no such cost (it indexes simple keys by token), so this error
    /// is a deliberate difference.
    public static let maxFlowWork = 120_000_000

    /// Whose words syntax errors are given in: Prometheus reads configs with yaml v2 and rule files with
    /// yaml v3, which pick different lines (`line N:`) for the same libyaml error.
    public enum Dialect: Sendable {
        case yamlV2, yamlV3
    }

    /// What composing cost, for callers and tests that check the work stays linear in the input.
    public struct Work: Sendable {
        /// Parse events read from libyaml.
        public var events = 0
        /// Sum over events of the open flow levels (libyaml's simple-key scans).
        public var flowWork = 0
        /// Nodes that aliases stood for, all documents together.
        public var expandedAliasNodes = 0
        /// Where aliases first went past `maxExpandedNodes`, when the caller asked to decide later
        /// (`deferAliasBudget`) instead of failing at once.
        public var aliasBudgetExceededAt: Mark?
        public init() {}

        /// The decoding budget that stands in for the alias budget once it ran out: the nodes the input
        /// itself holds plus `maxExpandedNodes` (see `YAMLDecoder.aliasBudget`).
        public var decodeBudget: (limit: Int, mark: Mark)? {
            aliasBudgetExceededAt.map { (events &+ YAMLComposer.maxExpandedNodes, $0) }
        }
    }
    /// Largest input accepted (64 MiB). Real configs and rule files are a few MB at most; a larger input
    /// would only tie up memory and minutes before anything useful could be said about it.
    public static let maxInputBytes = 64 << 20

    static func checkSize(_ count: Int) throws(YAMLError) {
        if count > maxInputBytes {
            throw YAMLError(message: "yaml: input is \(count) bytes, larger than the \(maxInputBytes)-byte limit", mark: Mark(line: 1, column: 1))
        }
    }

    /// Composes every document in `text`. An empty stream gives no documents.
    public static func compose(_ text: String, dialect: Dialect = .yamlV2) throws(YAMLError) -> [Node] {
        try compose(bytes: Array(text.utf8), dialect: dialect)
    }

    /// Composes every document in raw bytes, letting libyaml reject invalid UTF-8 as yaml.v2 does.
    /// With `firstDocumentOnly`, parsing stops after the first document (yaml.v2's `Unmarshal` never reads
    /// further, so later syntax errors go unnoticed there too).
    public static func compose(bytes: [UInt8], firstDocumentOnly: Bool = false, dialect: Dialect = .yamlV2) throws(YAMLError) -> [Node] {
        var work = Work()
        return try compose(bytes: bytes, firstDocumentOnly: firstDocumentOnly, dialect: dialect, work: &work)
    }

    /// Like `compose(bytes:firstDocumentOnly:dialect:)`, adding what it cost to `work`.
    /// With `deferAliasBudget`, aliases past the budget do not fail here (the tree stays shared, so memory
    /// stays proportional to the input); `work.aliasBudgetExceededAt` tells the caller to bound its decoding.
    public static func compose(bytes: [UInt8], firstDocumentOnly: Bool = false, dialect: Dialect = .yamlV2,
                               deferAliasBudget: Bool = false, work: inout Work) throws(YAMLError) -> [Node] {
        try checkSize(bytes.count)
        var bytes = bytes
        if bytes.isEmpty { return [] }
        // go-yaml skips no BOM after the stream's start; libyaml would (see GoYAMLScanner).
        let bomMask = GoYAMLScanner.maskInnerBOMs(&bytes)
        // go-yaml reads `,`, `[` and `]` into a tag; libyaml ends the tag there (see GoYAMLScanner).
        GoYAMLScanner.escapeFlowIndicatorsInTags(&bytes)
        return try bytes.withUnsafeMutableBufferPointer { buf throws(YAMLError) -> [Node] in
            guard let base = buf.baseAddress else { return [] }
            return try composeBytes(base, count: buf.count, firstDocumentOnly: firstDocumentOnly, dialect: dialect,
                                    deferAliasBudget: deferAliasBudget, bomMask: bomMask, work: &work)
        }
    }

    private final class Frame {
        enum Kind { case sequence, mapping }
        let kind: Kind
        /// A `[…]` or `{…}` collection (counts towards go-yaml's flow level).
        let isFlow: Bool
        var items: [Node] = []
        let tag: String?
        let anchor: String?
        let mark: Mark
        var size = 1
        init(kind: Kind, isFlow: Bool, tag: String?, anchor: String?, mark: Mark) {
            self.kind = kind
            self.isFlow = isFlow
            self.tag = tag
            self.anchor = anchor
            self.mark = mark
        }
    }

    /// Composes, parsing again (a bounded number of times) after turning tabs that yaml v3 reads as
    /// comment indentation into spaces.
    private static func composeBytes(_ base: UnsafeMutablePointer<UInt8>, count: Int, firstDocumentOnly: Bool, dialect: Dialect,
                                     deferAliasBudget: Bool, bomMask: Unicode.Scalar?, work: inout Work) throws(YAMLError) -> [Node] {
        // Every attempt adds its events and flow work to `work`, so the flow-work bound caps all attempts
        // together; aliases are counted afresh (each attempt expands the same ones).
        var attempt = 0
        let aliasesBefore = (work.expandedAliasNodes, work.aliasBudgetExceededAt)
        while true {
            switch try composeOnce(base, count: count, firstDocumentOnly: firstDocumentOnly, dialect: dialect,
                                   deferAliasBudget: deferAliasBudget, bomMask: bomMask, retry: attempt < GoYAMLScanner.maxTabRetries, work: &work) {
            case .documents(let docs): return docs
            case .parseAgain:
                attempt += 1
                (work.expandedAliasNodes, work.aliasBudgetExceededAt) = aliasesBefore
            }
        }
    }

    private enum Outcome {
        case documents([Node])
        /// The input was changed in place (tabs in a v3 comment run); parse it again.
        case parseAgain
    }

    private static func composeOnce(_ base: UnsafeMutablePointer<UInt8>, count: Int, firstDocumentOnly: Bool, dialect: Dialect,
                                    deferAliasBudget: Bool, bomMask: Unicode.Scalar?, retry: Bool, work: inout Work) throws(YAMLError) -> Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw YAMLError(message: "yaml: cannot initialise parser", mark: Mark(line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, base, count)

        var documents: [Node] = []
        var stack: [Frame] = []
        var anchors: [String: (node: Node, size: Int)] = [:]
        var flowLevel = 0
        var root: Node?
        // yaml decodes a document only once it parsed completely, so a merge-key error waits for the
        // document's end: a later syntax error in the same document wins over it.
        var pendingMergeError: YAMLError?

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
                top.size = min(top.size &+ size, Int.max / 2)
            } else {
                root = node
            }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                if dialect == .yamlV3 {
                    if parser.error == YAML_PARSER_ERROR,
                       let ahead = GoYAMLScanner.v3ScannerErrorAhead(base, count: count, tokensParsed: parser.tokens_parsed) {
                        throw ahead
                    }
                    if retry, parser.error == YAML_SCANNER_ERROR,
                       GoYAMLScanner.acceptTabsBeforeComments(base, count: count,
                                                              scan: GoYAMLScanner.scan(base, count: count, limit: Int.max, dialect: dialect)) {
                        return .parseAgain
                    }
                }
                throw goError(&parser, input: UnsafeBufferPointer(start: base, count: count), dialect: dialect)
            }
            defer { yaml_event_delete(&event) }
            let start = mark(event.start_mark)
            let end = mark(event.end_mark)
            work.events &+= 1
            work.flowWork &+= flowLevel
            if work.flowWork > maxFlowWork {
                throw YAMLError(message: "yaml: too much nesting for the input's size: more than \(maxFlowWork) tokens × open flow levels", mark: start)
            }
            let indents = parser.indents.top - parser.indents.start
            if indents > maxIndents {
                throw depthError(maxIndents, at: event.start_mark, dialect: dialect)
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .documents(documents)
            case YAML_DOCUMENT_START_EVENT:
                root = nil
                anchors = [:]
                pendingMergeError = nil
            case YAML_DOCUMENT_END_EVENT:
                if let pendingMergeError { throw pendingMergeError }
                if let root { documents.append(root) }
                else { documents.append(Node(content: .scalar("", .plain), mark: start, endMark: end)) }
                if firstDocumentOnly { return .documents(documents) }
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let value: String
                if let v = s.value {
                    value = GoYAMLScanner.unmask(String(decoding: UnsafeBufferPointer(start: v, count: s.length), as: UTF8.self), bomMask)
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
                let s = event.data.sequence_start
                let isFlow = s.style == YAML_FLOW_SEQUENCE_STYLE
                if isFlow {
                    flowLevel &+= 1
                    if flowLevel > maxFlowLevel { throw depthError(maxFlowLevel, at: event.start_mark, dialect: dialect) }
                }
                stack.append(Frame(kind: .sequence, isFlow: isFlow, tag: shortTag(string(s.tag)), anchor: string(s.anchor), mark: start))
            case YAML_MAPPING_START_EVENT:
                let s = event.data.mapping_start
                let isFlow = s.style == YAML_FLOW_MAPPING_STYLE
                if isFlow {
                    flowLevel &+= 1
                    if flowLevel > maxFlowLevel { throw depthError(maxFlowLevel, at: event.start_mark, dialect: dialect) }
                }
                stack.append(Frame(kind: .mapping, isFlow: isFlow, tag: shortTag(string(s.tag)), anchor: string(s.anchor), mark: start))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                if frame.isFlow { flowLevel &-= 1 }
                let node: Node
                if frame.kind == .sequence {
                    node = Node(content: .sequence(frame.items), tag: frame.tag, mark: frame.mark, endMark: end)
                } else {
                    let pairs: [Node.Pair]
                    do {
                        pairs = try mergePairs(frame.items)
                    } catch {
                        pendingMergeError = pendingMergeError ?? error
                        pairs = []
                    }
                    node = Node(content: .mapping(pairs), tag: frame.tag, mark: frame.mark, endMark: end)
                }
                try add(node, size: frame.size, anchor: frame.anchor)
            case YAML_ALIAS_EVENT:
                let name = string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw YAMLError(message: "yaml: unknown anchor '\(name)' referenced", mark: start)
                }
                work.expandedAliasNodes = min(work.expandedAliasNodes &+ target.size, Int.max / 2)
                if work.expandedAliasNodes > maxExpandedNodes {
                    guard deferAliasBudget else { throw YAMLError(message: "yaml: document contains excessive aliasing", mark: start) }
                    work.aliasBudgetExceededAt = work.aliasBudgetExceededAt ?? start
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

    /// go-yaml's scanner error for nesting past `limit`, at the collection that went too deep. Both the
    /// problem and the context mark lie on that collection, so both dialects print the same line.
    private static func depthError(_ limit: Int, at m: yaml_mark_t, dialect: Dialect) -> YAMLError {
        YAMLError(message: "yaml: \(lineText(Int(truncatingIfNeeded: m.line), scanner: true))exceeded max depth of \(limit)",
                  mark: Mark(line: Int(truncatingIfNeeded: m.line) &+ 1, column: Int(truncatingIfNeeded: m.column) &+ 1))
    }

    /// go-yaml's `line N: ` prefix for a 0-based libyaml line (none on the first line); scanner errors add one.
    private static func lineText(_ line: Int, scanner: Bool) -> String {
        line != 0 ? "line \(scanner ? line &+ 1 : line): " : ""
    }

    /// libyaml's error in go-yaml's words (`yaml: line N: PROBLEM`) plus the real position. yaml v2 takes the
    /// line from the problem mark and falls back to the context mark; yaml v3 the other way round, and adds
    /// one for scanner errors on either.
    static func goError(_ p: inout yaml_parser_t, input: UnsafeBufferPointer<UInt8>, dialect: Dialect) -> YAMLError {
        let problem = p.problem.map { String(cString: $0) } ?? "unknown problem parsing YAML content"
        if p.error == YAML_READER_ERROR {
            // Reader errors (bad encoding) carry a byte offset instead of a mark.
            return YAMLError(message: "yaml: \(problem)", mark: mark(atOffset: Int(truncatingIfNeeded: p.problem_offset), in: input))
        }
        let scanner = p.error == YAML_SCANNER_ERROR
        let problemLine = Int(truncatingIfNeeded: p.problem_mark.line)
        let contextLine = Int(truncatingIfNeeded: p.context_mark.line)
        let whereText: String
        switch dialect {
        case .yamlV2:
            whereText = problemLine != 0 ? lineText(problemLine, scanner: scanner) : lineText(contextLine, scanner: false)
        case .yamlV3:
            whereText = contextLine != 0 ? lineText(contextLine, scanner: scanner) : lineText(problemLine, scanner: scanner)
        }
        return YAMLError(message: "yaml: \(whereText)\(problem)",
                         mark: Mark(line: problemLine &+ 1, column: Int(truncatingIfNeeded: p.problem_mark.column) &+ 1))
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
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var mark: Mark
    public init(message: String, mark: Mark) {
        self.message = message
        self.mark = mark
    }
    public var description: String { message }
}
