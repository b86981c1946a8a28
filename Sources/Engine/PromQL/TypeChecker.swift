/// Prometheus's `checkAST`: type checks a parsed tree with the same messages, in the same order.
///
/// Iterative (an explicit work stack instead of recursion), so deep trees cannot exhaust the thread stack.
/// The normalisations `checkAST` performs (many-to-many set operations, dropping vector matching for
/// scalar operands, `info`'s label-selector argument) are applied when the parser builds the nodes.
struct TypeChecker {
    let input: [UInt8]
    var errors: [(PositionRange, String)] = []

    init(input: [UInt8]) { self.input = input }

    private enum Work {
        case visit(Expr)
        /// After visiting `expr`, require `want` (in an aggregation's expression or parameter).
        case expect(Expr, ValueType, parameter: Bool)
        /// After visiting a call argument, require the function's argument type.
        case expectArg(Expr, ValueType, String)
        case binaryChecks(BinaryExpr)
        case unaryChecks(UnaryExpr)
        case subqueryChecks(SubqueryExpr)
    }

    private mutating func add(_ r: PositionRange, _ m: String) { errors.append((r, m)) }

    /// The operator's range in the source, whitespace trimmed (Prometheus's `opRange`).
    private func opRange(_ lhs: Expr, _ rhs: Expr) -> PositionRange {
        var s = lhs.position.end
        while s >= 0 && s < input.count && PromQLLexer.isSpace(input[s]) { s += 1 }
        var e = rhs.position.start - 1
        while e >= 0 && e < input.count && PromQLLexer.isSpace(input[e]) { e -= 1 }
        return PositionRange(start: s, end: e)
    }

    mutating func check(_ root: Expr) {
        var stack: [Work] = [.visit(root)]
        while let w = stack.popLast() {
            switch w {
            case .visit(let node):
                visit(node, &stack)
            case .expect(let e, let want, let parameter):
                let t = e.type
                if t != want {
                    let context = parameter ? "aggregation parameter" : "aggregation expression"
                    add(e.position, "expected type \(want.documented) in \(context), got \(t.documented)")
                }
            case .expectArg(let e, let want, let fname):
                let t = e.type
                if t != want {
                    add(e.position, "expected type \(want.documented) in call to function \(GoQuote.quote(fname)), got \(t.documented)")
                }
            case .binaryChecks(let b):
                binaryChecks(b)
            case .unaryChecks(let u):
                let t = u.expr.type
                if t != .scalar && t != .vector {
                    add(Expr.unary(u).position, "unary expression only allowed on expressions of type scalar or instant vector, got \(GoQuote.quote(t.documented))")
                }
            case .subqueryChecks(let s):
                let t = s.expr.type
                if t != .vector {
                    add(Expr.subquery(s).position, "subquery is only allowed on instant vector, got \(t.rawValue) instead")
                }
            }
        }
    }

    /// Schedules the checks of one node; `stack` is LIFO, so work is pushed in reverse order.
    private mutating func visit(_ node: Expr, _ stack: inout [Work]) {
        switch node {
        case .aggregate(let a):
            if let p = a.param {
                switch a.op {
                case .topk, .bottomk, .quantile, .limitk, .limitRatio:
                    stack.append(.expect(p, .scalar, parameter: true))
                    stack.append(.visit(p))
                case .countValues:
                    stack.append(.expect(p, .string, parameter: true))
                    stack.append(.visit(p))
                default: break
                }
            }
            stack.append(.expect(a.expr, .vector, parameter: false))
            stack.append(.visit(a.expr))

        case .binary(let b):
            stack.append(.binaryChecks(b))
            stack.append(.visit(b.rhs))
            stack.append(.visit(b.lhs))

        case .call(let c):
            let f = c.function
            let nargs = f.argTypes.count
            if f.variadic == 0 {
                if nargs != c.args.count {
                    add(c.position, "expected \(nargs) argument(s) in call to \(GoQuote.quote(f.name)), got \(c.args.count)")
                }
            } else {
                let na = nargs - 1
                if na > c.args.count {
                    add(c.position, "expected at least \(na) argument(s) in call to \(GoQuote.quote(f.name)), got \(c.args.count)")
                } else if f.variadic > 0 && na + f.variadic < c.args.count {
                    add(c.position, "expected at most \(na + f.variadic) argument(s) in call to \(GoQuote.quote(f.name)), got \(c.args.count)")
                }
            }
            if f.name == "info" && c.args.count > 1 {
                let t1 = c.args[1].type
                if t1 != .vector {
                    add(c.position, "expected type instant vector in call to function \(GoQuote.quote(f.name)), got \(t1.documented)")
                }
                if case .vectorSelector(let vs) = c.args[1] {
                    if !vs.name.isEmpty {
                        add(c.args[1].position, "expected label selectors only, got vector selector instead")
                    }
                } else {
                    add(c.args[1].position, "expected label selectors only")
                }
            }
            let checked = f.variadic == 0 ? Swift.min(c.args.count, nargs) : c.args.count
            var i = checked - 1
            while i >= 0 {
                let idx = i >= nargs ? nargs - 1 : i
                if idx >= 0 && idx < nargs { stack.append(.expectArg(c.args[i], f.argTypes[idx], f.name)) }
                stack.append(.visit(c.args[i]))
                i -= 1
            }

        case .paren(let p):
            stack.append(.visit(p.expr))

        case .unary(let u):
            stack.append(.unaryChecks(u))
            stack.append(.visit(u.expr))

        case .subquery(let s):
            stack.append(.subqueryChecks(s))
            stack.append(.visit(s.expr))

        case .matrixSelector(let m):
            stack.append(.visit(m.vectorSelector))

        case .vectorSelector(let vs):
            if !vs.name.isEmpty {
                for m in vs.matchers.dropLast() where m.name == "__name__" {
                    add(vs.position, "metric name must not be set twice: \(GoQuote.quote(vs.name)) or \(GoQuote.quote(m.value))")
                }
            } else if !vs.bypassEmptyMatcherCheck {
                if !vs.matchers.contains(where: { !$0.matchesEmpty }) {
                    add(vs.position, "vector selector must contain at least one non-empty matcher")
                }
            }

        case .numberLiteral, .stringLiteral:
            break
        }
    }

    private mutating func binaryChecks(_ b: BinaryExpr) {
        let lt = b.lhs.type
        let rt = b.rhs.type
        if b.returnBool && !b.op.isComparison {
            add(opRange(b.lhs, b.rhs), "bool modifier can only be used on comparison operators")
        }
        if b.op.isComparison && !b.returnBool && rt == .scalar && lt == .scalar {
            add(opRange(b.lhs, b.rhs), "comparisons between scalars must use BOOL modifier")
        }
        var vm = b.writtenMatching
        if b.op.isSetOperator, vm?.card == .oneToOne { vm?.card = .manyToMany }
        if let vm, vm.on {
            for l1 in vm.matchingLabels {
                for l2 in vm.include where l1 == l2 {
                    add(opRange(b.lhs, b.rhs), "label \(GoQuote.quote(l1)) must not occur in ON and GROUP clause at once")
                }
            }
        }
        let whole = PositionRange(start: b.lhs.position.start, end: b.rhs.position.end)
        if lt != .scalar && lt != .vector {
            add(b.lhs.position, "binary expression must contain only scalar and instant vector types")
        }
        if rt != .scalar && rt != .vector {
            add(b.rhs.position, "binary expression must contain only scalar and instant vector types")
        }
        if let vm {
            if lt != .vector || rt != .vector {
                if !vm.matchingLabels.isEmpty {
                    add(whole, "vector matching only allowed between instant vectors")
                }
                if !vm.fill.isEmpty {
                    add(whole, "filling in missing series only allowed between instant vectors")
                }
            } else if b.op.isSetOperator {
                if vm.card == .oneToMany || vm.card == .manyToOne {
                    add(whole, "no grouping allowed for \(GoQuote.quote(b.op.rawValue)) operation")
                }
                if vm.card != .manyToMany {
                    add(whole, "set operations must always be many-to-many")
                }
                if !vm.fill.isEmpty {
                    add(whole, "filling in missing series not allowed for set operators")
                }
            }
        }
        if (lt == .scalar || rt == .scalar) && b.op.isSetOperator {
            add(whole, "set operator \(GoQuote.quote(b.op.rawValue)) not allowed in binary scalar expression")
        }
    }
}
