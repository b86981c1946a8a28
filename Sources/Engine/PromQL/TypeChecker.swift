/// Prometheus's `checkAST`: type checks a parsed tree (in the same order, with the same messages) and
/// normalises it (set operations become many-to-many, scalar operands drop vector matching).
struct TypeChecker {
    let input: [UInt8]
    var errors: [(PositionRange, String)] = []

    init(input: [UInt8]) { self.input = input }

    private mutating func add(_ r: PositionRange, _ m: String) { errors.append((r, m)) }

    private mutating func expectType(_ e: inout Expr, _ want: ValueType, _ context: String) {
        let t = check(&e)
        if t != want {
            add(e.position, "expected type \(want.documented) in \(context), got \(t.documented)")
        }
    }

    /// The operator's range in the source, whitespace trimmed (Prometheus's `opRange`).
    private func opRange(_ lhs: Expr, _ rhs: Expr) -> PositionRange {
        var s = lhs.position.end
        while s >= 0 && s < input.count && PromQLLexer.isSpace(input[s]) { s += 1 }
        var e = rhs.position.start - 1
        while e >= 0 && e < input.count && PromQLLexer.isSpace(input[e]) { e -= 1 }
        return PositionRange(start: s, end: e)
    }

    @discardableResult
    mutating func check(_ node: inout Expr) -> ValueType {
        let typ = node.type
        switch node {
        case .aggregate(var a):
            expectType(&a.expr, .vector, "aggregation expression")
            switch a.op {
            case .topk, .bottomk, .quantile, .limitk, .limitRatio:
                if var p = a.param {
                    expectType(&p, .scalar, "aggregation parameter")
                    a.param = p
                }
            case .countValues:
                if var p = a.param {
                    expectType(&p, .string, "aggregation parameter")
                    a.param = p
                }
            default: break
            }
            node = .aggregate(a)

        case .binary(var b):
            let lt = check(&b.lhs)
            let rt = check(&b.rhs)
            if b.returnBool && !b.op.isComparison {
                add(opRange(b.lhs, b.rhs), "bool modifier can only be used on comparison operators")
            }
            if b.op.isComparison && !b.returnBool && b.rhs.type == .scalar && b.lhs.type == .scalar {
                add(opRange(b.lhs, b.rhs), "comparisons between scalars must use BOOL modifier")
            }
            if var vm = b.matching {
                if b.op.isSetOperator && vm.card == .oneToOne { vm.card = .manyToMany }
                if vm.on {
                    for l1 in vm.matchingLabels {
                        for l2 in vm.include where l1 == l2 {
                            add(opRange(b.lhs, b.rhs), "label \(GoQuote.quote(l1)) must not occur in ON and GROUP clause at once")
                        }
                    }
                }
                b.matching = vm
            }
            let whole = PositionRange(start: b.lhs.position.start, end: b.rhs.position.end)
            if lt != .scalar && lt != .vector {
                add(b.lhs.position, "binary expression must contain only scalar and instant vector types")
            }
            if rt != .scalar && rt != .vector {
                add(b.rhs.position, "binary expression must contain only scalar and instant vector types")
            }
            if let vm = b.matching {
                if lt != .vector || rt != .vector {
                    if !vm.matchingLabels.isEmpty {
                        add(whole, "vector matching only allowed between instant vectors")
                    }
                    if !vm.fill.isEmpty {
                        add(whole, "filling in missing series only allowed between instant vectors")
                    }
                    b.matching = nil
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
            node = .binary(b)

        case .call(var c):
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
                if case .vectorSelector(var vs) = c.args[1] {
                    if !vs.name.isEmpty {
                        add(c.args[1].position, "expected label selectors only, got vector selector instead")
                    } else {
                        vs.bypassEmptyMatcherCheck = true
                        c.args[1] = .vectorSelector(vs)
                    }
                } else {
                    add(c.args[1].position, "expected label selectors only")
                }
            }
            for i in c.args.indices {
                var idx = i
                if i >= nargs {
                    if f.variadic == 0 { break }
                    idx = nargs - 1
                }
                let t = check(&c.args[i])
                if idx >= 0 && idx < nargs && t != f.argTypes[idx] {
                    add(c.args[i].position, "expected type \(f.argTypes[idx].documented) in call to function \(GoQuote.quote(f.name)), got \(t.documented)")
                }
            }
            node = .call(c)

        case .paren(var p):
            check(&p.expr)
            node = .paren(p)

        case .unary(var u):
            let t = check(&u.expr)
            if t != .scalar && t != .vector {
                add(Expr.unary(u).position, "unary expression only allowed on expressions of type scalar or instant vector, got \(GoQuote.quote(t.documented))")
            }
            node = .unary(u)

        case .subquery(var s):
            let t = check(&s.expr)
            if t != .vector {
                add(Expr.subquery(s).position, "subquery is only allowed on instant vector, got \(t.rawValue) instead")
            }
            node = .subquery(s)

        case .matrixSelector(var m):
            check(&m.vectorSelector)
            node = .matrixSelector(m)

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
        return typ
    }
}
