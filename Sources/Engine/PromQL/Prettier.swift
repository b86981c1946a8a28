/// Prometheus's prettifier (`prettier.go`), as used by `promtool promql format`.
extension Expr {
    /// Maximum line width before a node is split over several lines.
    public static let prettyLineLimit = 100

    /// The expression split over lines and indented by two spaces wherever its one-line form exceeds
    /// `maxLineLength` bytes (100, as `promtool promql format` uses).
    public func prettyPrint(maxLineLength: Int = Expr.prettyLineLimit) -> String {
        pretty(level: 0, limit: maxLineLength)
    }

    /// The pretty form of this node at nesting `level` (each level indents two spaces).
    ///
    /// Iterative (an explicit work stack), so the deepest expressions the parser accepts cannot exhaust the
    /// stack of the calling thread.
    public func pretty(level: Int, limit: Int = Expr.prettyLineLimit) -> String {
        var writer = PrettyWriter()
        writer.write(self, level: level, limit: limit)
        return writer.out
    }
}

/// Writes Prometheus's pretty form; the order of output is that of `prettier.go`'s recursion.
private struct PrettyWriter {
    private enum Work {
        case node(Expr, level: Int)
        case text(String)
        case indent(Int)
        /// Drops the leading whitespace of what follows (a unary operand is trimmed and glued to its operator).
        case glue
    }

    var out = ""
    private var glue = false

    private mutating func emit(_ s: String) {
        glue = false
        out += s
    }

    private mutating func indent(_ level: Int) {
        if glue {
            glue = false
            return
        }
        out += String(repeating: "  ", count: Swift.max(level, 0))
    }

    mutating func write(_ root: Expr, level rootLevel: Int, limit: Int) {
        var stack: [Work] = [.node(root, level: rootLevel)]
        while let w = stack.popLast() {
            let e: Expr
            let level: Int
            switch w {
            case .text(let s):
                emit(s)
                continue
            case .indent(let l):
                indent(l)
                continue
            case .glue:
                glue = true
                continue
            case .node(let x, let l):
                e = x
                level = l
            }
            let flat = e.description
            let split = flat.utf8.count > limit
            // Pieces in output order, pushed reversed below.
            var pieces: [Work] = []
            switch e {
            case .aggregate(let a) where split:
                pieces = [.indent(level), .text(Printer.aggregateOpString(a) + "(\n")]
                if a.op.takesParameter, let p = a.param {
                    pieces += [.node(p, level: level + 1), .text(",\n")]
                }
                pieces += [.node(a.expr, level: level + 1), .text("\n"), .indent(level), .text(")")]
            case .binary(let b) where split:
                pieces = [.node(b.lhs, level: level + 1), .text("\n"), .indent(level),
                          .text(Printer.binaryOperatorString(b) + "\n"), .node(b.rhs, level: level + 1)]
            case .call(let c) where split && !c.args.isEmpty:
                pieces = [.indent(level), .text(c.function.name + "(\n")]
                for (i, arg) in c.args.enumerated() {
                    if i > 0 { pieces.append(.text(",\n")) }
                    pieces.append(.node(arg, level: level + 1))
                }
                pieces += [.text("\n"), .indent(level), .text(")")]
            case .paren(let p) where split:
                pieces = [.indent(level), .text("(\n"), .node(p.expr, level: level + 1), .text("\n"), .indent(level),
                          .text(")")]
            case .subquery(let s):
                pieces = split ? [.node(s.expr, level: level), .text(Printer.subquerySuffix(s))] : [.text(flat)]
            case .unary(let u):
                pieces = [.indent(level), .text(u.op.rawValue), .glue, .node(u.expr, level: level)]
            default:
                pieces = [.indent(level), .text(flat)]
            }
            stack.append(contentsOf: pieces.reversed())
        }
    }
}
