import GoCompat

/// Prometheus's canonical expression printer (`printer.go`, `Expr.String()`).
extension Expr: CustomStringConvertible {
    /// The canonical single-line form, as Prometheus's `String()` prints it.
    public var description: String {
        var out = ""
        Printer.write(self, into: &out)
        return out
    }
}

extension DurationExpr: CustomStringConvertible {
    public var description: String {
        var out = ""
        Printer.writeDuration(self, into: &out)
        return out
    }
}

enum Printer {
    /// True for names valid under the legacy `[a-zA-Z_][a-zA-Z0-9_]*` rule (printed unquoted).
    static func isLegacyLabelName(_ s: String) -> Bool {
        var first = true
        for c in s.utf8 {
            let ok = c == 0x5F || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (!first && c >= 0x30 && c <= 0x39)
            if !ok { return false }
            first = false
        }
        return !s.isEmpty
    }

    static func writeLabels(_ labels: [String], into out: inout String) {
        for (i, l) in labels.enumerated() {
            if i > 0 { out += ", " }
            out += isLegacyLabelName(l) ? l : GoQuote.quote(l)
        }
    }

    /// `labels.Matcher.String()`.
    static func matcherString(_ m: LabelMatcher) -> String {
        (isLegacyLabelName(m.name) ? m.name : GoQuote.quote(m.name)) + m.type.rawValue
            + (m.invalidUTF8Bytes.map { GoQuote.quote(bytes: $0) } ?? GoQuote.quote(m.value))
    }

    static func aggregateOpString(_ a: AggregateExpr) -> String {
        var out = a.op.rawValue
        if a.without {
            out += " without ("
            writeLabels(a.grouping, into: &out)
            out += ") "
        } else if !a.grouping.isEmpty {
            out += " by ("
            writeLabels(a.grouping, into: &out)
            out += ") "
        }
        return out
    }

    static func matchingString(_ b: BinaryExpr) -> String {
        guard let vm = b.matching else { return "" }
        var out = ""
        if !vm.matchingLabels.isEmpty || vm.on || vm.card == .manyToOne || vm.card == .oneToMany {
            out += vm.on ? " on (" : " ignoring ("
            writeLabels(vm.matchingLabels, into: &out)
            out += ")"
        }
        if vm.card == .manyToOne || vm.card == .oneToMany {
            out += vm.card == .manyToOne ? " group_left (" : " group_right ("
            writeLabels(vm.include, into: &out)
            out += ")"
        }
        if !vm.fill.isEmpty {
            if vm.fill.both, let v = vm.fill.lhs {
                out += " fill (" + GoFloat.formatV(v) + ")"
            } else {
                if let l = vm.fill.lhs { out += " fill_left (" + GoFloat.formatV(l) + ")" }
                if let r = vm.fill.rhs { out += " fill_right (" + GoFloat.formatV(r) + ")" }
            }
        }
        return out
    }

    /// `BinaryExpr.ShortString()`-style operator text: `op[ bool][ matching]`.
    static func binaryOperatorString(_ b: BinaryExpr) -> String {
        b.op.rawValue + (b.returnBool ? " bool" : "") + matchingString(b)
    }

    static func offsetString(_ m: TimeModifiers) -> String {
        if let e = m.offsetExpr { return " offset " + e.description }
        if m.offsetMillis > 0 { return " offset " + GoDuration.format(millis: m.offsetMillis) }
        if m.offsetMillis < 0 { return " offset -" + GoDuration.format(millis: 0 &- m.offsetMillis) }
        return ""
    }

    static func atString(_ m: TimeModifiers) -> String {
        if let ts = m.timestampMillis { return " @ " + GoFloat.formatFixed3(Double(ts) / 1000.0) }
        switch m.startOrEnd {
        case .start: return " @ start()"
        case .end: return " @ end()"
        case nil: return ""
        }
    }

    static func rangeString(millis: Int64, expr: DurationExpr?) -> String {
        if let e = expr { return e.description }
        return GoDuration.format(millis: millis)
    }

    static func numberString(_ n: NumberLiteral) -> String {
        if n.isDuration {
            if n.value < 0 { return "-" + GoDuration.formatSeconds(-n.value) }
            return GoDuration.formatSeconds(n.value)
        }
        return GoFloat.formatF(n.value)
    }

    static func selectorString(_ vs: VectorSelector, withModifiers: Bool) -> String {
        var out = vs.name
        var strs: [String] = []
        strs.reserveCapacity(vs.matchers.count)
        for m in vs.matchers {
            if m.name == "__name__" && m.type == .equal && m.value == vs.name && !m.value.isEmpty { continue }
            strs.append(matcherString(m))
        }
        if !strs.isEmpty {
            // Go's sort.Strings: byte-wise order.
            if strs.count > 1 {
                strs = strs.map { (Array($0.utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
            }
            out += "{" + strs.joined(separator: ",") + "}"
        }
        guard withModifiers else { return out }
        out += atString(vs.modifiers)
        if vs.anchored {
            out += " anchored"
        } else if vs.smoothed {
            out += " smoothed"
        }
        out += offsetString(vs.modifiers)
        return out
    }

    private enum Piece {
        case expr(Expr)
        case text(String)
    }

    /// Appends the canonical form of `root`; iterative, so deep trees cannot exhaust the stack.
    static func write(_ root: Expr, into out: inout String) {
        var stack: [Piece] = [.expr(root)]
        while let piece = stack.popLast() {
            let e: Expr
            switch piece {
            case .text(let s):
                out += s
                continue
            case .expr(let x):
                e = x
            }
            switch e {
            case .aggregate(let a):
                stack.append(.text(")"))
                stack.append(.expr(a.expr))
                if a.op.takesParameter, let p = a.param {
                    stack.append(.text(", "))
                    stack.append(.expr(p))
                }
                out += aggregateOpString(a) + "("
            case .binary(let b):
                stack.append(.expr(b.rhs))
                stack.append(.text(" " + binaryOperatorString(b) + " "))
                stack.append(.expr(b.lhs))
            case .call(let c):
                out += c.function.name + "("
                stack.append(.text(")"))
                for (i, a) in c.args.enumerated().reversed() {
                    stack.append(.expr(a))
                    if i > 0 { stack.append(.text(", ")) }
                }
            case .matrixSelector(let m):
                if case .vectorSelector(let vs) = m.vectorSelector {
                    out += selectorString(vs, withModifiers: false)
                    out += "[" + rangeString(millis: m.rangeMillis, expr: m.rangeExpr) + "]"
                    if vs.anchored {
                        out += " anchored"
                    } else if vs.smoothed {
                        out += " smoothed"
                    }
                    out += atString(vs.modifiers)
                    out += offsetString(vs.modifiers)
                } else {
                    stack.append(.text("[" + rangeString(millis: m.rangeMillis, expr: m.rangeExpr) + "]"))
                    stack.append(.expr(m.vectorSelector))
                }
            case .subquery(let s):
                stack.append(.text(subquerySuffix(s)))
                stack.append(.expr(s.expr))
            case .numberLiteral(let n):
                out += numberString(n)
            case .stringLiteral(let s):
                if let raw = s.invalidUTF8Bytes {
                    out += GoQuote.quote(bytes: raw)
                } else {
                    out += GoQuote.quote(s.value)
                }
            case .paren(let p):
                out += "("
                stack.append(.text(")"))
                stack.append(.expr(p.expr))
            case .unary(let u):
                out += u.op.rawValue
                stack.append(.expr(u.expr))
            case .vectorSelector(let vs):
                out += selectorString(vs, withModifiers: true)
            }
        }
    }

    /// `[range:step] @ t offset o` of a subquery.
    static func subquerySuffix(_ s: SubqueryExpr) -> String {
        var step = ""
        if s.stepMillis != 0 {
            step = GoDuration.format(millis: s.stepMillis)
        } else if let se = s.stepExpr {
            step = se.description
        }
        return "[" + rangeString(millis: s.rangeMillis, expr: s.rangeExpr) + ":" + step + "]"
            + atString(s.modifiers) + offsetString(s.modifiers)
    }

    private enum DurationPiece {
        case expr(DurationExpr)
        case text(String)
    }

    /// Appends the canonical form of a duration expression; iterative like `write`.
    static func writeDuration(_ root: DurationExpr, into out: inout String) {
        var stack: [DurationPiece] = [.expr(root)]
        while let piece = stack.popLast() {
            let d: DurationExpr
            switch piece {
            case .text(let s):
                out += s
                continue
            case .expr(let x):
                d = x
            }
            switch d {
            case .literal(let n):
                out += numberString(n)
            case .binary(let op, let l, let r):
                stack.append(.expr(r))
                stack.append(.text(" " + op.rawValue + " "))
                stack.append(.expr(l))
            case .unary(let op, let e, _):
                if op == .sub { out += "-" }
                stack.append(.expr(e))
            case .step:
                out += "step()"
            case .range:
                out += "range()"
            case .minOf(let a, let b, _), .maxOf(let a, let b, _):
                if case .minOf = d { out += "min_of(" } else { out += "max_of(" }
                stack.append(.text(")"))
                stack.append(.expr(b))
                stack.append(.text(", "))
                stack.append(.expr(a))
            case .paren(let e, _):
                out += "("
                stack.append(.text(")"))
                stack.append(.expr(e))
            }
        }
    }
}
