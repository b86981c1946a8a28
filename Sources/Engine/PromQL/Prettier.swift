/// Prometheus's prettifier (`prettier.go`), as used by `promtool promql format`.
extension Expr {
    /// Maximum line width before a node is split over several lines.
    static let prettyLineLimit = 100

    /// The expression split over lines and indented by two spaces wherever its one-line form exceeds 100 bytes.
    public func prettyPrint() -> String { pretty(level: 0) }

    /// The pretty form of this node at nesting `level` (each level indents two spaces).
    public func pretty(level: Int) -> String {
        let ind = String(repeating: "  ", count: Swift.max(level, 0))
        let flat = description
        let split = flat.utf8.count > Expr.prettyLineLimit
        switch self {
        case .aggregate(let a):
            guard split else { return ind + flat }
            var s = ind + Printer.aggregateOpString(a) + "(\n"
            if a.op.takesParameter, let p = a.param {
                s += p.pretty(level: level + 1) + ",\n"
            }
            s += a.expr.pretty(level: level + 1) + "\n" + ind + ")"
            return s
        case .binary(let b):
            guard split else { return ind + flat }
            return b.lhs.pretty(level: level + 1) + "\n" + ind + Printer.binaryOperatorString(b) + "\n"
                + b.rhs.pretty(level: level + 1)
        case .call(let c):
            guard split, !c.args.isEmpty else { return ind + flat }
            return ind + c.function.name + "(\n" + c.args.map { $0.pretty(level: level + 1) }.joined(separator: ",\n")
                + "\n" + ind + ")"
        case .paren(let p):
            guard split else { return ind + flat }
            return ind + "(\n" + p.expr.pretty(level: level + 1) + "\n" + ind + ")"
        case .subquery(let s):
            guard split else { return flat }
            return s.expr.pretty(level: level) + Printer.subquerySuffix(s)
        case .unary(let u):
            let child = u.expr.pretty(level: level)
            return ind + u.op.rawValue + child.trimmingASCIIWhitespace()
        case .matrixSelector, .vectorSelector, .numberLiteral, .stringLiteral:
            return ind + flat
        }
    }
}

extension String {
    /// Go's `strings.TrimSpace` for ASCII whitespace.
    func trimmingASCIIWhitespace() -> String {
        let b = Array(utf8)
        var s = 0
        var e = b.count
        func isWS(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C }
        while s < e && isWS(b[s]) { s += 1 }
        while e > s && isWS(b[e - 1]) { e -= 1 }
        return String(decoding: b[s..<e], as: UTF8.self)
    }
}
