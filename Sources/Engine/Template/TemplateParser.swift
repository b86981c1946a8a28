import GoCompat

/// Parser of Go text/template source with Go's exact error messages.
final class TemplateParser {
    /// Go's `maxStackDepth`: most nested parenthesised pipelines (`max expression depth exceeded`).
    static let maxParenDepth = 10_000
    /// Most nested control structures (`{{if}}`, `{{range}}`, `{{with}}`, `{{block}}`) and parentheses
    /// together. Go sets no bound here; ours keeps parsing and execution within the large stack they run on,
    /// twice what Go allows for parentheses alone.
    static let maxNestingDepth = 20_000

    struct Failure: Error {
        let message: String
        var line: Int? = nil
    }

    private struct TreeState {
        var name: String
        var token: [TemplateItem] = Array(repeating: TemplateItem(type: .eof, pos: 0, val: "", line: 0), count: 3)
        var peekCount = 0
        var vars: [String] = ["$"]
        var rangeDepth = 0
        var stackDepth = 0
        var actionLine = 0
    }

    private var lex: TemplateLexer
    private let parseName: String
    private let functions: Set<String>
    private var t: TreeState
    private var nesting = 0
    private(set) var trees: [String: TemplateTree] = [:]

    init(name: String, text: String, functions: Set<String>) {
        lex = TemplateLexer(text)
        lex.breakOK = !functions.contains("break")
        lex.continueOK = !functions.contains("continue")
        parseName = name
        self.functions = functions
        t = TreeState(name: name)
    }

    /// Parses the whole text; the top-level tree is stored under the template's name.
    func parse() throws(Failure) {
        var root: [TemplateNode] = []
        while peek().type != .eof {
            if peek().type == .leftDelim {
                let delim = next()
                if nextNonSpace().type == .define {
                    let saved = t
                    t = TreeState(name: "definition")
                    try parseDefinition()
                    t = saved
                    continue
                }
                backup2(delim)
            }
            let n = try textOrAction()
            switch n {
            case .end: try errorf("unexpected %s", .string("{{end}}"))
            case .elseNode: try errorf("unexpected %s", .string("{{else}}"))
            case .node(let node): root.append(node)
            }
        }
        try add(TemplateTree(name: t.name, root: root))
    }

    // MARK: - Token buffer (Go's three-token lookahead)

    private func next() -> TemplateItem {
        if t.peekCount > 0 {
            t.peekCount -= 1
        } else {
            t.token[0] = lex.nextItem()
        }
        return t.token[min(max(t.peekCount, 0), 2)]
    }

    private func backup() { t.peekCount = min(t.peekCount + 1, 3) }

    private func backup2(_ t1: TemplateItem) {
        t.token[1] = t1
        t.peekCount = 2
    }

    private func backup3(_ t2: TemplateItem, _ t1: TemplateItem) {
        t.token[1] = t1
        t.token[2] = t2
        t.peekCount = 3
    }

    private func peek() -> TemplateItem {
        if t.peekCount > 0 { return t.token[min(t.peekCount, 3) - 1] }
        t.peekCount = 1
        t.token[0] = lex.nextItem()
        return t.token[0]
    }

    private func nextNonSpace() -> TemplateItem {
        while true {
            let token = next()
            if token.type != .space { return token }
        }
    }

    private func peekNonSpace() -> TemplateItem {
        let token = nextNonSpace()
        backup()
        return token
    }

    // MARK: - Errors

    /// Go's `Tree.errorf`: the template name and line are spliced into the *format*, which is then formatted
    /// with `args`, so a `%` in the name garbles the text as Go prints it (`(>85%!)(string=if)`, `%!s(MISSING)`).
    /// Tokens are passed as Go's `parse.item` struct (`TemplateItem.goValue`), so a `%` that consumes one prints
    /// its fields as Go does; nodes (`{{end}}`, `{{else}}`) are passed as their text, where Go would print a
    /// pointer's address that no two runs share.
    private func errorf(_ format: String, _ args: TemplateValue...) throws(Failure) -> Never {
        let line = t.token[0].line
        throw Failure(message: TemplatePrintf.sprintf("template: \(parseName):\(line): " + format, args), line: line)
    }

    private func expect(_ expected: TemplateItemType, _ context: String) throws(Failure) -> TemplateItem {
        let token = nextNonSpace()
        if token.type != expected { try unexpected(token, context) }
        return token
    }

    private func unexpected(_ token: TemplateItem, _ context: String) throws(Failure) -> Never {
        if token.type == .error {
            var extra = ""
            if t.actionLine != 0 && t.actionLine != token.line {
                extra = " in action started at \(parseName):\(t.actionLine)"
                if token.val.hasSuffix(" action") {
                    extra = String(extra.dropFirst(" in action".count))
                }
            }
            try errorf("%s%s", token.goValue, .string(extra))
        }
        try errorf("unexpected %s in %s", token.goValue, .string(context))
    }

    // MARK: - Trees

    private func add(_ tree: TemplateTree) throws(Failure) {
        if let existing = trees[tree.name], !existing.isEmpty {
            if !tree.isEmpty {
                try errorf("template: multiple definition of template %q", .string(tree.name))
            }
            return
        }
        trees[tree.name] = tree
    }

    private func parseDefinition() throws(Failure) {
        let context = "define clause"
        let name = nextNonSpace()
        if name.type != .string && name.type != .rawString { try unexpected(name, context) }
        do {
            t.name = try TemplateStrconv.unquote(name.val)
        } catch {
            try errorf("%s", .string("invalid syntax"))
        }
        _ = try expect(.rightDelim, context)
        let (list, end) = try itemList()
        if case .elseNode = end { try errorf("unexpected %s in %s", .string("{{else}}"), .string(context)) }
        try add(TemplateTree(name: t.name, root: list))
    }

    private enum Parsed {
        case node(TemplateNode)
        case end
        case elseNode(pos: Int, line: Int)
    }

    /// Parses nodes until `{{end}}` or `{{else}}`, which is returned separately.
    private func itemList() throws(Failure) -> ([TemplateNode], Parsed) {
        var list: [TemplateNode] = []
        while peekNonSpace().type != .eof {
            let n = try textOrAction()
            switch n {
            case .end, .elseNode: return (list, n)
            case .node(let node): list.append(node)
            }
        }
        try errorf("unexpected EOF")
    }

    private func textOrAction() throws(Failure) -> Parsed {
        let token = nextNonSpace()
        switch token.type {
        case .text:
            return .node(.text(pos: token.pos, text: token.val))
        case .leftDelim:
            t.actionLine = token.line
            defer { t.actionLine = 0 }
            return try action()
        default:
            try unexpected(token, "input")
        }
    }

    private func action() throws(Failure) -> Parsed {
        let token = nextNonSpace()
        switch token.type {
        case .block: return .node(try blockControl())
        case .breakKeyword: return .node(try breakControl(token))
        case .continueKeyword: return .node(try continueControl(token))
        case .elseKeyword: return try elseControl()
        case .end:
            _ = try expect(.rightDelim, "end")
            return .end
        case .ifKeyword: return .node(.branch(try parseControl(.ifBranch, "if")))
        case .range: return .node(.branch(try parseControl(.rangeBranch, "range")))
        case .template: return .node(try templateControl())
        case .with: return .node(.branch(try parseControl(.withBranch, "with")))
        default: break
        }
        backup()
        let tok = peek()
        let pipe = try pipeline("command", end: .rightDelim)
        return .node(.action(pos: tok.pos, line: tok.line, pipe: pipe))
    }

    private func breakControl(_ token: TemplateItem) throws(Failure) -> TemplateNode {
        let n = nextNonSpace()
        if n.type != .rightDelim { try unexpected(n, "{{break}}") }
        if t.rangeDepth == 0 { try errorf("{{break}} outside {{range}}") }
        return .breakLoop(pos: token.pos, line: token.line)
    }

    private func continueControl(_ token: TemplateItem) throws(Failure) -> TemplateNode {
        let n = nextNonSpace()
        if n.type != .rightDelim { try unexpected(n, "{{continue}}") }
        if t.rangeDepth == 0 { try errorf("{{continue}} outside {{range}}") }
        return .continueLoop(pos: token.pos, line: token.line)
    }

    private func pipeline(_ context: String, end: TemplateItemType) throws(Failure) -> TemplatePipe {
        let token = peekNonSpace()
        var pipe = TemplatePipe(pos: token.pos, line: token.line)
        decls: while true {
            let v = peekNonSpace()
            guard v.type == .variable else { break decls }
            _ = next()
            let tokenAfterVariable = peek()
            let nxt = peekNonSpace()
            if nxt.type == .assign || nxt.type == .declare {
                pipe.isAssign = nxt.type == .assign
                _ = nextNonSpace()
                pipe.decl.append((v.pos, v.val))
                t.vars.append(v.val)
            } else if nxt.type == .char && nxt.val == "," {
                _ = nextNonSpace()
                pipe.decl.append((v.pos, v.val))
                t.vars.append(v.val)
                if context == "range" && pipe.decl.count < 2 {
                    switch peekNonSpace().type {
                    case .variable, .rightDelim, .rightParen:
                        continue decls
                    default:
                        try errorf("range can only initialize variables")
                    }
                }
                try errorf("too many declarations in %s", .string(context))
            } else if tokenAfterVariable.type == .space {
                backup3(v, tokenAfterVariable)
            } else {
                backup2(v)
            }
            break decls
        }
        while true {
            let token = nextNonSpace()
            if token.type == end {
                try checkPipeline(pipe, context)
                return pipe
            }
            switch token.type {
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword,
                 .rawString, .string, .variable, .leftParen:
                backup()
                pipe.cmds.append(try command())
                if pipe.cmds.count > 100_000 { try errorf("pipeline too long") }
            default:
                try unexpected(token, context)
            }
        }
    }

    private func checkPipeline(_ pipe: TemplatePipe, _ context: String) throws(Failure) {
        if pipe.cmds.isEmpty { try errorf("missing value for %s", .string(context)) }
        for (i, c) in pipe.cmds.enumerated() where i > 0 {
            guard let first = c.args.first else { continue }
            switch first {
            case .bool, .dot, .nilValue, .number, .string:
                try errorf("non executable command in pipeline stage %d", .int(Int64(i + 1), .int))
            default: break
            }
        }
    }

    private func parseControl(_ kind: TemplateBranch.Kind, _ context: String) throws(Failure) -> TemplateBranch {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNestingDepth { try errorf("max expression depth exceeded") }
        let mark = t.vars.count
        defer { t.vars.removeSubrange(min(mark, t.vars.count)...) }
        let pipe = try pipeline(context, end: .rightDelim)
        if kind == .rangeBranch { t.rangeDepth += 1 }
        let (list, nextNode) = try itemList()
        if kind == .rangeBranch { t.rangeDepth -= 1 }
        var elseList: [TemplateNode]? = nil
        if case .elseNode = nextNode {
            if kind == .ifBranch && peek().type == .ifKeyword {
                _ = next()
                elseList = [.branch(try parseControl(.ifBranch, "if"))]
            } else if kind == .withBranch && peek().type == .with {
                _ = next()
                elseList = [.branch(try parseControl(.withBranch, "with"))]
            } else {
                let (el, n2) = try itemList()
                elseList = el
                if case .elseNode = n2 { try errorf("expected end; found %s", .string("{{else}}")) }
            }
        }
        return TemplateBranch(kind: kind, pos: pipe.pos, line: pipe.line, pipe: pipe, list: list, elseList: elseList)
    }

    private func elseControl() throws(Failure) -> Parsed {
        let p = peekNonSpace()
        if p.type == .ifKeyword || p.type == .with {
            return .elseNode(pos: p.pos, line: p.line)
        }
        let token = try expect(.rightDelim, "else")
        return .elseNode(pos: token.pos, line: token.line)
    }

    private func blockControl() throws(Failure) -> TemplateNode {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try parseTemplateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNestingDepth { try errorf("max expression depth exceeded") }
        let saved = t
        t = TreeState(name: name)
        let (list, end) = try itemList()
        let blockTree = TemplateTree(name: name, root: list)
        let blockState = t
        t = saved
        if case .elseNode = end { try errorf("unexpected %s in %s", .string("{{else}}"), .string(context)) }
        let outer = t
        t = blockState
        try add(blockTree)
        t = outer
        return .templateCall(pos: token.pos, line: token.line, name: name, pipe: pipe)
    }

    private func templateControl() throws(Failure) -> TemplateNode {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try parseTemplateName(token, context)
        var pipe: TemplatePipe? = nil
        if nextNonSpace().type != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .templateCall(pos: token.pos, line: token.line, name: name, pipe: pipe)
    }

    private func parseTemplateName(_ token: TemplateItem, _ context: String) throws(Failure) -> String {
        switch token.type {
        case .string, .rawString:
            do {
                return try TemplateStrconv.unquote(token.val)
            } catch {
                try errorf("%s", .string("invalid syntax"))
            }
        default:
            try unexpected(token, context)
        }
    }

    private func command() throws(Failure) -> TemplateCommand {
        var cmd = TemplateCommand(pos: peekNonSpace().pos, args: [])
        loop: while true {
            _ = peekNonSpace()
            if let operand = try operand() { cmd.args.append(operand) }
            let token = next()
            switch token.type {
            case .space: continue loop
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: try unexpected(token, "operand")
            }
            break loop
        }
        if cmd.args.isEmpty { try errorf("empty command") }
        return cmd
    }

    private func operand() throws(Failure) -> TemplateArg? {
        guard let node = try term() else { return nil }
        if peek().type == .field {
            let chainPos = peek().pos
            var fields: [String] = []
            while peek().type == .field {
                fields.append(String(next().val.dropFirst()))
            }
            switch node {
            case .field(_, let ident):
                return .field(pos: chainPos, ident: ident + fields)
            case .variable(_, let ident):
                return .variable(pos: chainPos, ident: ident + fields)
            case .bool, .string, .number, .nilValue, .dot:
                try errorf("unexpected . after term %q", .string(node.goString))
            default:
                return .chain(pos: chainPos, node: node, fields: fields)
            }
        }
        return node
    }

    private func term() throws(Failure) -> TemplateArg? {
        let token = nextNonSpace()
        switch token.type {
        case .identifier:
            if !functions.contains(token.val) {
                try errorf("function %q not defined", .string(token.val))
            }
            return .identifier(pos: token.pos, name: token.val)
        case .dot:
            return .dot(pos: token.pos)
        case .nilKeyword:
            return .nilValue(pos: token.pos)
        case .variable:
            return try useVar(token.pos, token.val)
        case .field:
            return .field(pos: token.pos, ident: Self.splitDots(String(token.val.dropFirst())))
        case .bool:
            return .bool(pos: token.pos, value: token.val == "true")
        case .charConstant, .complex, .number:
            do {
                return .number(try TemplateNumberParser.parse(pos: token.pos, text: token.val, type: token.type))
            } catch {
                try errorf("%s", .string(error.message))
            }
        case .leftParen:
            if t.stackDepth >= Self.maxParenDepth || nesting >= Self.maxNestingDepth { try errorf("max expression depth exceeded") }
            t.stackDepth += 1
            nesting += 1
            defer {
                t.stackDepth -= 1
                nesting -= 1
            }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            do {
                let s = try TemplateStrconv.unquote(token.val)
                return .string(pos: token.pos, quoted: token.val, text: s)
            } catch {
                try errorf("%s", .string("invalid syntax"))
            }
        default:
            backup()
            return nil
        }
    }

    private func useVar(_ pos: Int, _ name: String) throws(Failure) -> TemplateArg {
        let ident = Self.splitDots(name)
        let first = ident.first ?? name
        if t.vars.contains(first) { return .variable(pos: pos, ident: ident) }
        try errorf("undefined variable %q", .string(first))
    }

    static func splitDots(_ s: String) -> [String] {
        s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Go's `parse.newNumber`: classifies a numeric literal under int, uint, float and complex.
enum TemplateNumberParser {
    struct Failure: Error { let message: String }

    static func parse(pos: Int, text: String, type: TemplateItemType) throws(Failure) -> TemplateNumber {
        var n = TemplateNumber(pos: pos, text: text)
        let bytes = Array(text.utf8)
        if type == .charConstant {
            guard bytes.count >= 2, let q = bytes.first else { throw Failure(message: "invalid syntax") }
            guard let decoded = GoStrconv.unquoteChar(bytes, 1, quote: q) else { throw Failure(message: "invalid syntax") }
            if decoded.next != bytes.count - 1 || bytes.last != UInt8(ascii: "'") {
                throw Failure(message: "malformed character constant: \(text)")
            }
            let v = decoded.value
            n.int64 = Int64(v)
            n.isInt = true
            n.uint64 = UInt64(v)
            n.isUint = true
            n.float64 = Double(v)
            n.isFloat = true
            return n
        }
        if type == .complex {
            guard let (re, im) = parseComplex(text) else {
                throw Failure(message: "expected integer")
            }
            n.isComplex = true
            n.complexReal = re
            n.complexImag = im
            simplifyComplex(&n)
            return n
        }
        if bytes.last == UInt8(ascii: "i") {
            if let f = GoStrconv.parseFloat(String(text.dropLast())) {
                n.isComplex = true
                n.complexReal = 0
                n.complexImag = f
                simplifyComplex(&n)
                return n
            }
        }
        let u = GoStrconv.parseUint(Array(text.utf8))
        if let u {
            n.isUint = true
            n.uint64 = u
        }
        if let i = GoStrconv.parseInt(Array(text.utf8)) {
            n.isInt = true
            n.int64 = i
            if i == 0 {
                n.isUint = true
                n.uint64 = u ?? 0
            }
        }
        if n.isInt {
            n.isFloat = true
            n.float64 = Double(n.int64)
        } else if n.isUint {
            n.isFloat = true
            n.float64 = Double(n.uint64)
        } else if let f = GoStrconv.parseFloat(text) {
            if !text.contains(where: { ".eEpP".contains($0) }) {
                throw Failure(message: "integer overflow: \(TemplateStrconv.quote(text))")
            }
            n.isFloat = true
            n.float64 = f
            if !n.isInt, let i = exactInt64(f) {
                n.isInt = true
                n.int64 = i
            }
            if !n.isUint, let u = exactUInt64(f) {
                n.isUint = true
                n.uint64 = u
            }
        }
        if !n.isInt && !n.isUint && !n.isFloat {
            throw Failure(message: "illegal number syntax: \(TemplateStrconv.quote(text))")
        }
        return n
    }

    static func exactInt64(_ f: Double) -> Int64? {
        guard f.isFinite, f >= -9.223372036854775808e18, f < 9.223372036854775808e18 else { return nil }
        let i = Int64(f)
        return Double(i) == f ? i : nil
    }

    static func exactUInt64(_ f: Double) -> UInt64? {
        guard f.isFinite, f >= 0, f < 1.8446744073709551616e19 else { return nil }
        let u = UInt64(f)
        return Double(u) == f ? u : nil
    }

    private static func simplifyComplex(_ n: inout TemplateNumber) {
        n.isFloat = n.complexImag == 0
        if n.isFloat {
            n.float64 = n.complexReal
            if let i = exactInt64(n.float64) { n.isInt = true; n.int64 = i }
            if let u = exactUInt64(n.float64) { n.isUint = true; n.uint64 = u }
        }
    }

    /// Parses `a+bi` / `a-bi` the way `fmt.Sscan` does for complex128 literals produced by the lexer.
    private static func parseComplex(_ text: String) -> (Double, Double)? {
        let b = Array(text.utf8)
        guard b.count >= 3, b.last == UInt8(ascii: "i") else { return nil }
        var k = b.count - 2
        while k > 0 {
            let c = b[k]
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && !(b[k - 1] | 0x20 == UInt8(ascii: "e") || b[k - 1] | 0x20 == UInt8(ascii: "p")) {
                break
            }
            k -= 1
        }
        guard k > 0 else { return nil }
        let re = String(decoding: b[0..<k], as: UTF8.self)
        let im = String(decoding: b[k..<(b.count - 1)], as: UTF8.self)
        guard let r = GoStrconv.parseFloat(re), let i = GoStrconv.parseFloat(im) else { return nil }
        return (r, i)
    }
}
