/// A numeric literal, stored under every Go type that can represent it (Go's "ideal constant" model).
struct TemplateNumber: Sendable {
    var pos: Int
    var text: String
    var isInt = false
    var isUint = false
    var isFloat = false
    var isComplex = false
    var int64: Int64 = 0
    var uint64: UInt64 = 0
    var float64: Double = 0
    var complexReal: Double = 0
    var complexImag: Double = 0
}

/// An operand inside a command: literal, field, variable, function name, parenthesised pipeline or chain.
indirect enum TemplateArg: Sendable {
    case field(pos: Int, ident: [String])
    case variable(pos: Int, ident: [String])
    case identifier(pos: Int, name: String)
    case dot(pos: Int)
    case nilValue(pos: Int)
    case bool(pos: Int, value: Bool)
    case number(TemplateNumber)
    case string(pos: Int, quoted: String, text: String)
    case pipe(TemplatePipe)
    case chain(pos: Int, node: TemplateArg, fields: [String])

    var pos: Int {
        switch self {
        case .field(let p, _), .variable(let p, _), .identifier(let p, _), .dot(let p), .nilValue(let p),
             .bool(let p, _), .string(let p, _, _), .chain(let p, _, _):
            return p
        case .number(let n): return n.pos
        case .pipe(let p): return p.pos
        }
    }

    /// Go's `Node.String()` for this operand.
    var goString: String {
        switch self {
        case .field(_, let ident): return ident.map { "." + $0 }.joined()
        case .variable(_, let ident): return ident.joined(separator: ".")
        case .identifier(_, let name): return name
        case .dot: return "."
        case .nilValue: return "nil"
        case .bool(_, let v): return v ? "true" : "false"
        case .number(let n): return n.text
        case .string(_, let quoted, _): return quoted
        case .pipe(let p): return p.goString
        case .chain(_, let node, let fields):
            var s: String
            if case .pipe(let p) = node { s = "(" + p.goString + ")" } else { s = node.goString }
            for f in fields { s += "." + f }
            return s
        }
    }

    var isLiteralLike: Bool {
        switch self {
        case .bool, .dot, .nilValue, .number, .string: return true
        default: return false
        }
    }
}

/// A command: space-separated operands, the first of which is the function or value.
struct TemplateCommand: Sendable {
    var pos: Int
    var args: [TemplateArg]

    var goString: String {
        args.map { arg -> String in
            if case .pipe(let p) = arg { return "(" + p.goString + ")" }
            return arg.goString
        }.joined(separator: " ")
    }
}

/// A pipeline with optional variable declarations or assignments.
struct TemplatePipe: Sendable {
    var pos: Int
    var line: Int
    var isAssign = false
    var decl: [(pos: Int, name: String)] = []
    var cmds: [TemplateCommand] = []

    var goString: String {
        var s = ""
        if !decl.isEmpty {
            s = decl.map { $0.name }.joined(separator: ", ") + " := "
        }
        return s + cmds.map { $0.goString }.joined(separator: " | ")
    }
}

/// A branch (if, range, with) with its pipeline and lists.
struct TemplateBranch: Sendable {
    enum Kind: Sendable { case ifBranch, rangeBranch, withBranch }
    var kind: Kind
    var pos: Int
    var line: Int
    var pipe: TemplatePipe
    var list: [TemplateNode]
    var elseList: [TemplateNode]?

    var goString: String {
        let name: String
        switch kind {
        case .ifBranch: name = "if"
        case .rangeBranch: name = "range"
        case .withBranch: name = "with"
        }
        var s = "{{" + name + " " + pipe.goString + "}}" + list.map { $0.goString }.joined()
        if let e = elseList { s += "{{else}}" + e.map { $0.goString }.joined() }
        return s + "{{end}}"
    }
}

/// A node of a parsed template's list.
indirect enum TemplateNode: Sendable {
    case text(pos: Int, text: String)
    case action(pos: Int, line: Int, pipe: TemplatePipe)
    case branch(TemplateBranch)
    case templateCall(pos: Int, line: Int, name: String, pipe: TemplatePipe?)
    case breakLoop(pos: Int, line: Int)
    case continueLoop(pos: Int, line: Int)

    var pos: Int {
        switch self {
        case .text(let p, _), .action(let p, _, _), .templateCall(let p, _, _, _), .breakLoop(let p, _),
             .continueLoop(let p, _):
            return p
        case .branch(let b): return b.pos
        }
    }

    var goString: String {
        switch self {
        case .text(_, let t): return t
        case .action(_, _, let pipe): return "{{" + pipe.goString + "}}"
        case .branch(let b): return b.goString
        case .templateCall(_, _, let name, let pipe):
            var s = "{{template " + TemplateStrconv.quote(name)
            if let p = pipe { s += " " + p.goString }
            return s + "}}"
        case .breakLoop: return "{{break}}"
        case .continueLoop: return "{{continue}}"
        }
    }
}

/// A parsed template body (Go's `parse.Tree`).
struct TemplateTree: Sendable {
    var name: String
    var root: [TemplateNode]

    /// Go's `parse.IsEmptyTree`: only whitespace text.
    var isEmpty: Bool {
        for n in root {
            guard case .text(_, let t) = n else { return false }
            if !t.unicodeScalars.allSatisfy({ TemplateFormat.isGoSpace($0) }) { return false }
        }
        return true
    }
}
