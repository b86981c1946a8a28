/// Go parameter types of template functions (for argument checking and error messages).
enum TemplateParamType: Equatable, Sendable {
    case string, float64, int, bool, any, reflectValue, queryResult, samplePtr

    var name: String {
        switch self {
        case .string: return "string"
        case .float64: return "float64"
        case .int: return "int"
        case .bool: return "bool"
        case .any: return "interface {}"
        case .reflectValue: return "reflect.Value"
        case .queryResult: return "template.queryResult"
        case .samplePtr: return "*template.sample"
        }
    }

    var canBeNil: Bool {
        switch self {
        case .any, .reflectValue, .queryResult, .samplePtr: return true
        default: return false
        }
    }
}

/// A function's Go signature: fixed parameters and an optional variadic element type.
struct TemplateSignature: Sendable {
    var params: [TemplateParamType]
    var variadic: TemplateParamType?

    init(_ params: [TemplateParamType], variadic: TemplateParamType? = nil) {
        self.params = params
        self.variadic = variadic
    }

    /// Go's `NumIn()` (the variadic slice counts as one parameter).
    var numIn: Int { params.count + (variadic == nil ? 0 : 1) }
}

/// Error raised by a called function; reported as `error calling NAME: MESSAGE`.
struct TemplateFunctionError: Error {
    let message: String
}

/// The node an execution error is reported at (Go's `state.node`).
enum TemplateNodeRef {
    case none
    case node(TemplateNode)
    case arg(TemplateArg)
    case pipe(TemplatePipe)
    case command(TemplateCommand)

    var pos: Int {
        switch self {
        case .none: return 0
        case .node(let n): return n.pos
        case .arg(let a): return a.pos
        case .pipe(let p): return p.pos
        case .command(let c): return c.pos
        }
    }

    var goString: String {
        switch self {
        case .none: return ""
        case .node(let n): return n.goString
        case .arg(let a): return a.goString
        case .pipe(let p): return p.goString
        case .command(let c): return c.goString
        }
    }
}

/// Executes parsed templates with Go's semantics (text/template exec.go).
struct TemplateExecutor {
    struct Failure: Error {
        let message: String
        var line: Int? = nil
        var column: Int? = nil
    }

    enum Flow { case normal, breakLoop, continueLoop }

    /// Maximum nesting of `{{template}}` calls (Go allows 100000; a smaller bound keeps the stack safe).
    static let maxExecDepth = 1000
    /// Maximum total nesting of control structures, pipelines and template calls during one execution:
    /// above what the parser accepts (`TemplateParser.maxNestingDepth`), so every parsed template can run.
    static let maxNesting = 30_000

    let trees: [String: TemplateTree]
    let functions: Set<String>
    let text: [UInt8]
    let parseName: String
    let context: TemplateContext
    var tmplName: String
    var node: TemplateNodeRef = .none
    var vars: [(name: String, value: TemplateValue)] = []
    var depth = 0
    var nesting = 0
    var steps = 0
    var out: [UInt8] = []

    init(template: GoTemplate, text: [UInt8], context: TemplateContext) {
        trees = template.trees
        functions = template.functions.names
        self.text = text
        parseName = template.name
        self.context = context
        tmplName = template.name
    }

    // MARK: - Errors

    func errorf(_ message: String) throws(Failure) -> Never {
        if case .none = node {
            throw Failure(message: "template: \(tmplName): \(message)")
        }
        let pos = min(max(node.pos, 0), text.count)
        var lastNL = -1
        var lines = 1
        for i in 0..<pos where text[i] == 0x0A {
            lastNL = i
            lines += 1
        }
        let byteNum = lastNL == -1 ? pos : pos - (lastNL + 1)
        let location = "\(parseName):\(lines):\(byteNum)"
        throw Failure(message: "template: \(location): executing \(TemplateStrconv.quote(tmplName)) at <\(node.goString)>: \(message)",
                      line: lines, column: byteNum)
    }

    mutating func at(_ n: TemplateNodeRef) { node = n }

    mutating func enter() throws(Failure) {
        nesting += 1
        if nesting > Self.maxNesting {
            try errorf("exceeded maximum template depth (\(Self.maxExecDepth))")
        }
    }

    mutating func tick() throws(Failure) {
        steps &+= 1
        if steps > context.maxSteps {
            try errorf("template execution exceeded \(context.maxSteps) steps")
        }
    }

    // MARK: - Variables

    mutating func push(_ name: String, _ value: TemplateValue) { vars.append((name, value)) }

    mutating func pop(_ mark: Int) {
        if mark < vars.count { vars.removeSubrange(mark...) }
    }

    mutating func setVar(_ name: String, _ value: TemplateValue) throws(Failure) {
        var i = vars.count - 1
        while i >= 0 {
            if vars[i].name == name {
                vars[i].value = value
                return
            }
            i -= 1
        }
        try errorf("undefined variable: \(name)")
    }

    mutating func setTopVar(_ n: Int, _ value: TemplateValue) {
        let i = vars.count - n
        if i >= 0 && i < vars.count { vars[i].value = value }
    }

    func varValue(_ name: String) throws(Failure) -> TemplateValue {
        var i = vars.count - 1
        while i >= 0 {
            if vars[i].name == name { return vars[i].value }
            i -= 1
        }
        try errorf("undefined variable: \(name)")
    }

    // MARK: - Entry

    mutating func run(_ data: TemplateValue) throws(Failure) -> String {
        vars = [("$", data)]
        guard let tree = trees[parseName] else {
            try errorf("\(TemplateStrconv.quote(parseName)) is an incomplete or empty template")
        }
        _ = try walkList(data, tree.root)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Walk

    mutating func walkList(_ dot: TemplateValue, _ list: [TemplateNode]) throws(Failure) -> Flow {
        for n in list {
            let f = try walk(dot, n)
            if f != .normal { return f }
        }
        return .normal
    }

    mutating func write(_ s: String) throws(Failure) {
        out.append(contentsOf: s.utf8)
        if out.count > context.maxOutputBytes {
            try errorf("template output exceeded \(context.maxOutputBytes) bytes")
        }
    }

    mutating func walk(_ dot: TemplateValue, _ n: TemplateNode) throws(Failure) -> Flow {
        at(.node(n))
        try tick()
        switch n {
        case .action(_, _, let pipe):
            let val = try evalPipeline(dot, pipe)
            if pipe.decl.isEmpty { try printValue(n, val) }
            return .normal
        case .breakLoop: return .breakLoop
        case .continueLoop: return .continueLoop
        case .branch(let b):
            try enter()
            defer { nesting -= 1 }
            switch b.kind {
            case .ifBranch, .withBranch: return try walkIfOrWith(b, dot)
            case .rangeBranch: return try walkRange(b, dot, n)
            }
        case .templateCall(_, _, let name, let pipe):
            try enter()
            defer { nesting -= 1 }
            try walkTemplate(dot, name, pipe)
            return .normal
        case .text(_, let t):
            try write(t)
            return .normal
        }
    }

    mutating func walkIfOrWith(_ b: TemplateBranch, _ dot: TemplateValue) throws(Failure) -> Flow {
        let mark = vars.count
        defer { pop(mark) }
        let val = try evalPipeline(dot, b.pipe)
        if val.truth {
            return try walkList(b.kind == .withBranch ? val : dot, b.list)
        } else if let e = b.elseList {
            return try walkList(dot, e)
        }
        return .normal
    }

    private mutating func oneIteration(_ b: TemplateBranch, mark: Int, index: TemplateValue, elem: TemplateValue) throws(Failure) -> Flow {
        let decl = b.pipe.decl
        if decl.count > 0 {
            if b.pipe.isAssign {
                if decl.count > 1 { try setVar(decl[0].name, index) } else { try setVar(decl[0].name, elem) }
            } else {
                setTopVar(1, elem)
            }
        }
        if decl.count > 1 {
            if b.pipe.isAssign { try setVar(decl[1].name, elem) } else { setTopVar(2, index) }
        }
        defer { pop(mark) }
        let f = try walkList(elem, b.list)
        return f == .breakLoop ? .breakLoop : .normal
    }

    mutating func walkRange(_ b: TemplateBranch, _ dot: TemplateValue, _ n: TemplateNode) throws(Failure) -> Flow {
        at(.node(n))
        let outerMark = vars.count
        defer { pop(outerMark) }
        let val = try evalPipeline(dot, b.pipe)
        let mark = vars.count
        switch val {
        case .list(let items, let elementType):
            if !items.isEmpty {
                let boxing = elementType == "interface {}"
                for (i, e) in items.enumerated() {
                    let elem: TemplateValue = boxing ? .boxed(e) : e
                    if try oneIteration(b, mark: mark, index: .int(Int64(i), .int), elem: elem) == .breakLoop { break }
                }
                return .normal
            }
        case .queryResult(let q):
            if !q.isEmpty {
                for (i, s) in q.enumerated() {
                    if try oneIteration(b, mark: mark, index: .int(Int64(i), .int), elem: .sample(s)) == .breakLoop { break }
                }
                return .normal
            }
        case .stringMap(let m):
            if !m.isEmpty {
                for k in m.keys.sorted(by: Self.goStringLess) {
                    if try oneIteration(b, mark: mark, index: .string(k), elem: .string(m[k] ?? "")) == .breakLoop { break }
                }
                return .normal
            }
        case .anyMap(let map):
            let m = map.entries
            if !m.isEmpty {
                for k in m.keys.sorted(by: Self.goStringLess) {
                    if try oneIteration(b, mark: mark, index: .string(k), elem: .boxed(m[k] ?? .invalid)) == .breakLoop { break }
                }
                return .normal
            }
        case .invalid:
            break
        case .int(let count, let t):
            if b.pipe.decl.count > 1 {
                try errorf("can't use \(TemplateFormat.printV(val)) to iterate over more than one variable")
            }
            if count > 0 {
                var i: Int64 = 0
                while i < count {
                    if try oneIteration(b, mark: mark, index: .int(i, t), elem: .int(i, t)) == .breakLoop { break }
                    i += 1
                }
                return .normal
            }
        case .uint(let count, let t):
            if b.pipe.decl.count > 1 {
                try errorf("can't use \(TemplateFormat.printV(val)) to iterate over more than one variable")
            }
            if count > 0 {
                var i: UInt64 = 0
                while i < count {
                    if try oneIteration(b, mark: mark, index: .uint(i, t), elem: .uint(i, t)) == .breakLoop { break }
                    i += 1
                }
                return .normal
            }
        default:
            try errorf("range can't iterate over \(Self.printIndirect(val))")
        }
        if let e = b.elseList {
            return try walkList(dot, e)
        }
        return .normal
    }

    /// Go compares strings bytewise.
    static func goStringLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    mutating func walkTemplate(_ dot: TemplateValue, _ name: String, _ pipe: TemplatePipe?) throws(Failure) {
        guard let tree = trees[name] else {
            try errorf("template \(TemplateStrconv.quote(name)) not defined")
        }
        if depth >= Self.maxExecDepth {
            try errorf("exceeded maximum template depth (\(Self.maxExecDepth))")
        }
        let newDot = try evalPipeline(dot, pipe)
        let savedVars = vars
        let savedName = tmplName
        vars = [("$", newDot)]
        tmplName = name
        depth += 1
        defer {
            depth -= 1
            vars = savedVars
            tmplName = savedName
        }
        _ = try walkList(newDot, tree.root)
    }

    // MARK: - Pipelines and commands

    mutating func evalPipeline(_ dot: TemplateValue, _ pipe: TemplatePipe?) throws(Failure) -> TemplateValue {
        guard let pipe else { return .invalid }
        at(.pipe(pipe))
        try enter()
        defer { nesting -= 1 }
        var value: TemplateValue? = nil
        for cmd in pipe.cmds {
            // Like Go, a value of empty-interface type is replaced by the value inside it.
            value = try evalCommand(dot, cmd, final: value).unboxed
        }
        let v = value ?? .invalid
        for d in pipe.decl {
            if pipe.isAssign { try setVar(d.name, v) } else { push(d.name, v) }
        }
        return v
    }

    func notAFunction(_ args: [TemplateArg], _ final: TemplateValue?) throws(Failure) {
        if args.count > 1 || final != nil {
            try errorf("can't give argument to non-function \(args.first?.goString ?? "")")
        }
    }

    mutating func evalCommand(_ dot: TemplateValue, _ cmd: TemplateCommand, final: TemplateValue?) throws(Failure) -> TemplateValue {
        try tick()
        guard let first = cmd.args.first else { try errorf("empty command") }
        switch first {
        case .field(_, let ident):
            at(.arg(first))
            return try evalFieldChain(dot, dot, first, ident, cmd.args, final)
        case .chain:
            return try evalChainNode(dot, first, cmd.args, final)
        case .identifier(_, let name):
            return try evalFunction(dot, first, .command(cmd), name, cmd.args, final)
        case .pipe(let p):
            try notAFunction(cmd.args, final)
            return try evalPipeline(dot, p)
        case .variable:
            return try evalVariableNode(dot, first, cmd.args, final)
        default:
            break
        }
        at(.arg(first))
        try notAFunction(cmd.args, final)
        switch first {
        case .bool(_, let v): return .bool(v)
        case .dot: return dot
        case .nilValue: try errorf("nil is not a command")
        case .number(let n): return try idealConstant(n, first)
        case .string(_, _, let s): return .string(s)
        default: try errorf("can't evaluate command \(TemplateStrconv.quote(first.goString))")
        }
    }

    mutating func idealConstant(_ n: TemplateNumber, _ arg: TemplateArg) throws(Failure) -> TemplateValue {
        at(.arg(arg))
        if n.isComplex { return .complex(n.complexReal, n.complexImag) }
        let isHexInt = n.text.count > 2 && n.text.hasPrefix("0") && (n.text.dropFirst().first == "x" || n.text.dropFirst().first == "X")
            && !n.text.contains(where: { $0 == "p" || $0 == "P" })
        let isRuneInt = n.text.hasPrefix("'")
        if n.isFloat && !isHexInt && !isRuneInt && n.text.contains(where: { ".eEpP".contains($0) }) {
            return .float(n.float64)
        }
        if n.isInt { return .int(n.int64, .int) }
        if n.isUint { try errorf("\(n.text) overflows int") }
        return .invalid
    }

    mutating func evalChainNode(_ dot: TemplateValue, _ chain: TemplateArg, _ args: [TemplateArg], _ final: TemplateValue?) throws(Failure) -> TemplateValue {
        at(.arg(chain))
        guard case .chain(_, let inner, let fields) = chain else { return .invalid }
        if fields.isEmpty { try errorf("internal error: no fields in evalChainNode") }
        if case .nilValue = inner { try errorf("indirection through explicit nil in \(chain.goString)") }
        let pipe = try evalArg(dot, nil, inner)
        return try evalFieldChain(dot, pipe, chain, fields, args, final)
    }

    mutating func evalVariableNode(_ dot: TemplateValue, _ variable: TemplateArg, _ args: [TemplateArg], _ final: TemplateValue?) throws(Failure) -> TemplateValue {
        at(.arg(variable))
        guard case .variable(_, let ident) = variable, let name = ident.first else { return .invalid }
        let value = try varValue(name)
        if ident.count == 1 {
            try notAFunction(args, final)
            return value
        }
        return try evalFieldChain(dot, value, variable, Array(ident.dropFirst()), args, final)
    }

    mutating func evalFieldChain(_ dot: TemplateValue, _ receiver: TemplateValue, _ node: TemplateArg, _ ident: [String],
                                 _ args: [TemplateArg], _ final: TemplateValue?) throws(Failure) -> TemplateValue {
        guard let last = ident.last else { return receiver }
        var recv = receiver
        var staticType: String? = nil
        for i in 0..<(ident.count - 1) {
            (recv, staticType) = try evalField(dot, ident[i], node, [], nil, recv, staticType)
        }
        return try evalField(dot, last, node, args, final, recv, staticType).0
    }

    /// Evaluates `.Field` on `receiver`; returns the value and, when the Go static type is `interface {}`, that name.
    mutating func evalField(_ dot: TemplateValue, _ fieldName: String, _ node: TemplateArg, _ args: [TemplateArg],
                            _ final: TemplateValue?, _ receiver: TemplateValue, _ staticType: String?) throws(Failure) -> (TemplateValue, String?) {
        if case .boxed(let inner) = receiver {
            return try evalField(dot, fieldName, node, args, final, inner, "interface {}")
        }
        if !receiver.isValid {
            if let st = staticType {
                try errorf("nil pointer evaluating \(st).\(fieldName)")
            }
            if context.missingKey == .error {
                try errorf("nil data; no entry for key \(TemplateStrconv.quote(fieldName))")
            }
            return (.invalid, nil)
        }
        let typ = staticType ?? receiver.goTypeName
        let hasArgs = args.count > 1 || final != nil
        // Methods.
        switch receiver {
        case .time, .duration:
            if let r = try callMethod(dot, receiver, fieldName, node, args, final) { return (r, nil) }
        default: break
        }
        switch receiver {
        case .structure(let s):
            if let v = s.fields[fieldName] {
                if hasArgs { try errorf("\(fieldName) has arguments but cannot be invoked as function") }
                let declaredAny = s.interfaceFields.contains(fieldName)
                return (v, declaredAny ? "interface {}" : nil)
            }
        case .sample(let smp):
            if fieldName == "Labels" || fieldName == "Value" {
                if hasArgs { try errorf("\(fieldName) has arguments but cannot be invoked as function") }
                return (fieldName == "Labels" ? .stringMap(smp.labels) : .float(smp.value), nil)
            }
        case .stringMap(let m):
            if hasArgs { try errorf("\(fieldName) is not a method but has arguments") }
            if let v = m[fieldName] { return (.string(v), nil) }
            switch context.missingKey {
            case .invalid: return (.invalid, nil)
            case .zero: return (.string(""), nil)
            case .error: try errorf("map has no entry for key \(TemplateStrconv.quote(fieldName))")
            }
        case .anyMap(let m):
            if hasArgs { try errorf("\(fieldName) is not a method but has arguments") }
            if let v = m.entries[fieldName] { return (v, "interface {}") }
            switch context.missingKey {
            case .invalid: return (.invalid, nil)
            case .zero: return (.invalid, "interface {}")
            case .error: try errorf("map has no entry for key \(TemplateStrconv.quote(fieldName))")
            }
        default:
            break
        }
        try errorf("can't evaluate field \(fieldName) in type \(typ)")
    }

    mutating func evalFunction(_ dot: TemplateValue, _ node: TemplateArg, _ callNode: TemplateNodeRef, _ name: String,
                               _ args: [TemplateArg]?, _ final: TemplateValue?) throws(Failure) -> TemplateValue {
        at(.arg(node))
        guard functions.contains(name), let sig = Self.signature(name) else {
            try errorf("\(TemplateStrconv.quote(name)) is not a defined function")
        }
        return try evalCall(dot, sig, isBuiltin: TemplateFunctions.goBuiltinNames.contains(name), callNode, name, args, final) { (me, argv) throws(TemplateFunctionError) in
            try me.callFunction(name, argv)
        }
    }

    mutating func evalCall(_ dot: TemplateValue, _ sig: TemplateSignature, isBuiltin: Bool, _ node: TemplateNodeRef, _ name: String,
                           _ argsIn: [TemplateArg]?, _ final: TemplateValue?,
                           _ fn: (inout TemplateExecutor, [TemplateValue]) throws(TemplateFunctionError) -> TemplateValue) throws(Failure) -> TemplateValue {
        let args = argsIn.map { Array($0.dropFirst()) } ?? []
        var numIn = args.count
        if final != nil { numIn += 1 }
        var numFixed = args.count
        if sig.variadic != nil {
            numFixed = sig.params.count
            if numIn < numFixed {
                try errorf("wrong number of args for \(name): want at least \(sig.params.count) got \(args.count)")
            }
        } else if numIn != sig.params.count {
            try errorf("wrong number of args for \(name): want \(sig.params.count) got \(numIn)")
        }
        if isBuiltin && (name == "and" || name == "or") {
            var v: TemplateValue = .invalid
            for arg in args {
                v = try evalArg(dot, .reflectValue, arg)
                if v.truth == (name == "or") { return v }
            }
            if let final { v = final }
            return v
        }
        var argv: [TemplateValue] = []
        argv.reserveCapacity(numIn)
        var i = 0
        while i < numFixed && i < args.count {
            argv.append(try evalArg(dot, sig.params[i], args[i]))
            i += 1
        }
        if let vt = sig.variadic {
            while i < args.count {
                argv.append(try evalArg(dot, vt, args[i]))
                i += 1
            }
        }
        if let final {
            var t = sig.params.last ?? .any
            if let vt = sig.variadic {
                t = numIn - 1 < numFixed ? sig.params[numIn - 1] : vt
            }
            argv.append(try validateType(final, t))
        }
        if isBuiltin && name == "call" {
            var callee = args.first?.goString ?? ""
            if args.isEmpty, let final {
                // reflect.Value.String(): the string itself, or "<T Value>".
                if case .string(let s) = final { callee = s } else { callee = "<\(final.goTypeName) Value>" }
            }
            let fnv = argv.first ?? .invalid
            at(node)
            if !fnv.isValid { try errorf("error calling call: call of nil") }
            try errorf("error calling call: non-function \(callee) of type \(fnv.goTypeName)")
        }
        let result: TemplateValue
        do {
            result = try fn(&self, argv)
        } catch {
            at(node)
            try errorf("error calling \(name): \(error.message)")
        }
        switch result {
        case .string(let s), .html(let s):
            if s.utf8.count > context.maxOutputBytes {
                at(node)
                try errorf("error calling \(name): result exceeds \(context.maxOutputBytes) bytes")
            }
        default:
            break
        }
        return result
    }

    func validateType(_ boxedValue: TemplateValue, _ typ: TemplateParamType?) throws(Failure) -> TemplateValue {
        guard let typ else { return boxedValue }
        let value = boxedValue.unboxed
        if typ == .reflectValue { return value }
        if !value.isValid {
            if typ.canBeNil { return .invalid }
            try errorf("invalid value; expected \(typ.name)")
        }
        switch (typ, value) {
        case (.any, _): return value
        case (.string, .string), (.float64, .float), (.int, .int(_, .int)), (.bool, .bool),
             (.queryResult, .queryResult), (.samplePtr, .sample):
            return value
        default:
            try errorf("wrong type for value; expected \(typ.name); got \(value.goTypeName)")
        }
    }

    mutating func evalArg(_ dot: TemplateValue, _ typ: TemplateParamType?, _ n: TemplateArg) throws(Failure) -> TemplateValue {
        at(.arg(n))
        switch n {
        case .dot:
            return try validateType(dot, typ)
        case .nilValue:
            if let typ, typ.canBeNil { return .invalid }
            try errorf("cannot assign nil to \(typ?.name ?? "<nil>")")
        case .field(_, let ident):
            at(.arg(n))
            let v = try evalFieldChain(dot, dot, n, ident, [n], nil)
            return try validateType(v, typ)
        case .variable:
            let v = try evalVariableNode(dot, n, [], nil)
            return try validateType(v, typ)
        case .pipe(let p):
            let v = try evalPipeline(dot, p)
            return try validateType(v, typ)
        case .identifier(_, let name):
            let v = try evalFunction(dot, n, .arg(n), name, nil, nil)
            return try validateType(v, typ)
        case .chain:
            let v = try evalChainNode(dot, n, [], nil)
            return try validateType(v, typ)
        default:
            break
        }
        guard let typ else { try errorf("can't handle \(n.goString) for arg of type <nil>") }
        switch typ {
        case .bool:
            if case .bool(_, let v) = n { return .bool(v) }
            try errorf("expected bool; found \(n.goString)")
        case .float64:
            if case .number(let num) = n, num.isFloat { return .float(num.float64) }
            try errorf("expected float; found \(n.goString)")
        case .int:
            if case .number(let num) = n, num.isInt { return .int(num.int64, .int) }
            try errorf("expected integer; found \(n.goString)")
        case .any, .reflectValue:
            return try evalEmptyInterface(dot, n)
        case .string:
            if case .string(_, _, let s) = n { return .string(s) }
            try errorf("expected string; found \(n.goString)")
        default:
            try errorf("can't handle \(n.goString) for arg of type \(typ.name)")
        }
    }

    mutating func evalEmptyInterface(_ dot: TemplateValue, _ n: TemplateArg) throws(Failure) -> TemplateValue {
        at(.arg(n))
        switch n {
        case .bool(_, let v): return .bool(v)
        case .dot: return dot
        case .number(let num): return try idealConstant(num, n)
        case .string(_, _, let s): return .string(s)
        default: try errorf("can't handle assignment of \(n.goString) to empty interface argument")
        }
    }

    /// Go's `%v` of a value after following pointers (as `indirect` does before printing).
    static func printIndirect(_ v0: TemplateValue) -> String {
        let v = v0.unboxed
        if case .sample(let s) = v { return TemplateFormat.sampleStruct(s) }
        return TemplateFormat.printV(v)
    }

    mutating func printValue(_ n: TemplateNode, _ v: TemplateValue) throws(Failure) {
        at(.node(n))
        switch v.unboxed {
        case .invalid: try write("<no value>")
        case .sample(let s): try write(TemplateFormat.sampleStruct(s))
        default: try write(TemplateFormat.printV(v))
        }
    }
}
