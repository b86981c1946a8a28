/// A half-open byte range `[start, end)` into the expression text.
public struct PositionRange: Sendable, Hashable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var description: String { "[\(start):\(end)]" }

    /// The smallest range covering both.
    public func merged(_ other: PositionRange) -> PositionRange {
        PositionRange(start: Swift.min(start, other.start), end: Swift.max(end, other.end))
    }
}

/// The type a PromQL expression evaluates to.
public enum ValueType: String, Sendable, Hashable, CustomStringConvertible {
    case none
    case scalar
    case vector
    case matrix
    case string

    /// Prometheus's `DocumentedType` wording used in error messages.
    public var documented: String {
        switch self {
        case .vector: return "instant vector"
        case .matrix: return "range vector"
        default: return rawValue
        }
    }

    public var description: String { rawValue }
}

/// A binary (and partly unary) PromQL operator, with Prometheus's spelling.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case add = "+"
    case sub = "-"
    case mul = "*"
    case div = "/"
    case mod = "%"
    case pow = "^"
    case atan2 = "atan2"
    case eql = "=="
    case neq = "!="
    case gtr = ">"
    case lss = "<"
    case gte = ">="
    case lte = "<="
    /// `</`: trims histogram observations above a threshold.
    case trimUpper = "</"
    /// `>/`: trims histogram observations below a threshold.
    case trimLower = ">/"
    case and = "and"
    case or = "or"
    case unless = "unless"

    public var description: String { rawValue }

    /// `==`, `!=`, `>`, `<`, `>=`, `<=`.
    public var isComparison: Bool {
        switch self {
        case .eql, .neq, .gtr, .lss, .gte, .lte: return true
        default: return false
        }
    }

    /// `and`, `or`, `unless`.
    public var isSetOperator: Bool { self == .and || self == .or || self == .unless }

    /// Binding strength: 1 (`or`) to 6 (`^`).
    public var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .eql, .neq, .gtr, .lss, .gte, .lte, .trimUpper, .trimLower: return 3
        case .add, .sub: return 4
        case .mul, .div, .mod, .atan2: return 5
        case .pow: return 6
        }
    }

    /// Only `^` associates to the right.
    public var isRightAssociative: Bool { self == .pow }
}

/// Aggregation operators (`sum`, `topk`, …).
public enum AggregateOp: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case sum, avg, count, min, max, group, stddev, stdvar, topk, bottomk
    case countValues = "count_values"
    case quantile, limitk
    case limitRatio = "limit_ratio"

    public var description: String { rawValue }

    /// Aggregations whose first argument is a parameter.
    public var takesParameter: Bool {
        switch self {
        case .topk, .bottomk, .countValues, .quantile, .limitk, .limitRatio: return true
        default: return false
        }
    }

    /// `limitk` and `limit_ratio` need experimental functions enabled.
    public var isExperimental: Bool { self == .limitk || self == .limitRatio }
}

/// Cardinality of vector matching in a binary operation.
public enum VectorMatchCardinality: String, Sendable, Hashable {
    case oneToOne = "one-to-one"
    case manyToOne = "many-to-one"
    case oneToMany = "one-to-many"
    case manyToMany = "many-to-many"
}

/// Values filled in for missing matches (`fill`, `fill_left`, `fill_right`).
public struct FillValues: Sendable, Hashable {
    /// Value for series missing on the left-hand side.
    public var lhs: Double?
    /// Value for series missing on the right-hand side.
    public var rhs: Double?
    /// True when written as a single `fill(v)`.
    public var both: Bool

    public init(lhs: Double? = nil, rhs: Double? = nil, both: Bool = false) {
        self.lhs = lhs
        self.rhs = rhs
        self.both = both
    }

    public var isEmpty: Bool { lhs == nil && rhs == nil }

    public static func == (a: FillValues, b: FillValues) -> Bool {
        a.both == b.both && sameDouble(a.lhs, b.lhs) && sameDouble(a.rhs, b.rhs)
    }

    public func hash(into h: inout Hasher) {
        h.combine(both)
        h.combine(lhs?.bitPattern)
        h.combine(rhs?.bitPattern)
    }
}

func sameDouble(_ a: Double?, _ b: Double?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case let (x?, y?): return x.bitPattern == y.bitPattern || x == y
    default: return false
    }
}

/// How a binary operation between two vectors matches series.
public struct VectorMatching: Sendable, Hashable {
    public var card: VectorMatchCardinality
    /// Labels of `on(...)` / `ignoring(...)`.
    public var matchingLabels: [String]
    /// True for `on`, false for `ignoring` (or none).
    public var on: Bool
    /// Extra labels of `group_left(...)` / `group_right(...)`.
    public var include: [String]
    public var fill: FillValues

    public init(card: VectorMatchCardinality = .oneToOne, matchingLabels: [String] = [], on: Bool = false,
                include: [String] = [], fill: FillValues = FillValues()) {
        self.card = card
        self.matchingLabels = matchingLabels
        self.on = on
        self.include = include
        self.fill = fill
    }
}

/// `@ start()` / `@ end()`.
public enum AtPreprocessor: String, Sendable, Hashable {
    case start, end
}

/// Modifiers of selectors and subqueries that move the evaluation time.
public struct TimeModifiers: Sendable, Hashable {
    /// Offset in milliseconds as written (negative allowed).
    public var offsetMillis: Int64 = 0
    /// Offset written as a duration expression (experimental).
    public var offsetExpr: DurationExpr? = nil
    /// `@ <timestamp>` in milliseconds.
    public var timestampMillis: Int64? = nil
    /// `@ start()` / `@ end()`.
    public var startOrEnd: AtPreprocessor? = nil

    public init() {}

    var hasOffset: Bool { offsetMillis != 0 || offsetExpr != nil }
    var hasAt: Bool { timestampMillis != nil || startOrEnd != nil }
}

/// An instant vector selector: `name{matchers}` with modifiers.
public struct VectorSelector: Sendable, Hashable {
    /// Metric name written outside the braces ("" if none).
    public var name: String
    /// All matchers; when `name` is set, the last one is `__name__="name"`.
    public var matchers: [LabelMatcher]
    public var modifiers: TimeModifiers
    /// `anchored` modifier (experimental).
    public var anchored: Bool
    /// `smoothed` modifier (experimental).
    public var smoothed: Bool
    /// Set for `info()`'s second argument, which may have only empty matchers.
    public var bypassEmptyMatcherCheck: Bool
    public var position: PositionRange

    public init(name: String, matchers: [LabelMatcher], modifiers: TimeModifiers = TimeModifiers(),
                anchored: Bool = false, smoothed: Bool = false, bypassEmptyMatcherCheck: Bool = false,
                position: PositionRange) {
        self.name = name
        self.matchers = matchers
        self.modifiers = modifiers
        self.anchored = anchored
        self.smoothed = smoothed
        self.bypassEmptyMatcherCheck = bypassEmptyMatcherCheck
        self.position = position
    }

    /// Offset in milliseconds (0 when none or given as an expression).
    public var offsetMillis: Int64 { modifiers.offsetMillis }
    /// `@` timestamp in milliseconds, if any.
    public var timestampMillis: Int64? { modifiers.timestampMillis }
}

/// A range vector selector `selector[range]`; `vectorSelector` is normally a `.vectorSelector` node.
public struct MatrixSelector: Sendable, Hashable {
    public var vectorSelector: Expr
    /// Range in milliseconds (0 when given as an expression).
    public var rangeMillis: Int64
    /// Range written as a duration expression (experimental).
    public var rangeExpr: DurationExpr?
    public var endPos: Int

    public init(vectorSelector: Expr, rangeMillis: Int64, rangeExpr: DurationExpr?, endPos: Int) {
        self.vectorSelector = vectorSelector
        self.rangeMillis = rangeMillis
        self.rangeExpr = rangeExpr
        self.endPos = endPos
    }

    /// The inner selector when it is a plain vector selector.
    public var selector: VectorSelector? {
        if case .vectorSelector(let vs) = vectorSelector { return vs }
        return nil
    }
}

/// A subquery `expr[range:step]`.
public struct SubqueryExpr: Sendable, Hashable {
    public var expr: Expr
    public var rangeMillis: Int64
    public var rangeExpr: DurationExpr?
    /// Step in milliseconds; 0 means the default evaluation interval.
    public var stepMillis: Int64
    public var stepExpr: DurationExpr?
    public var modifiers: TimeModifiers
    public var endPos: Int

    public init(expr: Expr, rangeMillis: Int64, rangeExpr: DurationExpr?, stepMillis: Int64, stepExpr: DurationExpr?,
                modifiers: TimeModifiers = TimeModifiers(), endPos: Int) {
        self.expr = expr
        self.rangeMillis = rangeMillis
        self.rangeExpr = rangeExpr
        self.stepMillis = stepMillis
        self.stepExpr = stepExpr
        self.modifiers = modifiers
        self.endPos = endPos
    }
}

/// `lhs op rhs` with optional `bool` and vector matching.
public struct BinaryExpr: Sendable, Hashable {
    public var op: BinaryOperator
    public var lhs: Expr { didSet { refresh() } }
    public var rhs: Expr { didSet { refresh() } }
    /// Vector matching as Prometheus keeps it after type checking: nil when a side is not an instant
    /// vector; set operators are many-to-many.
    public var matching: VectorMatching?
    public var returnBool: Bool
    /// Scalar when both sides are scalars, otherwise vector (kept up to date when a side changes).
    public private(set) var type: ValueType
    /// From the start of `lhs` to the end of `rhs` (kept up to date when a side changes).
    public private(set) var position: PositionRange
    /// The matching exactly as written (what the type checker validates).
    var writtenMatching: VectorMatching?

    public init(op: BinaryOperator, lhs: Expr, rhs: Expr, matching: VectorMatching?, returnBool: Bool) {
        self.op = op
        self.lhs = lhs
        self.rhs = rhs
        self.returnBool = returnBool
        self.writtenMatching = matching
        let t = BinaryExpr.resultType(lhs, rhs)
        self.type = t
        self.position = PositionRange(start: lhs.position.start, end: rhs.position.end)
        var m = matching
        if op.isSetOperator, m?.card == .oneToOne { m?.card = .manyToMany }
        if lhs.type != .vector || rhs.type != .vector { m = nil }
        self.matching = m
    }

    private mutating func refresh() {
        type = BinaryExpr.resultType(lhs, rhs)
        position = PositionRange(start: lhs.position.start, end: rhs.position.end)
    }

    static func resultType(_ l: Expr, _ r: Expr) -> ValueType {
        (l.type == .scalar && r.type == .scalar) ? .scalar : .vector
    }
}

/// An aggregation such as `sum by (job) (x)` or `topk(3, x)`.
public struct AggregateExpr: Sendable, Hashable {
    public var op: AggregateOp
    public var expr: Expr
    /// The parameter of `topk`, `quantile`, `count_values`, … .
    public var param: Expr?
    public var grouping: [String]
    public var without: Bool
    public var position: PositionRange

    public init(op: AggregateOp, expr: Expr, param: Expr?, grouping: [String], without: Bool, position: PositionRange) {
        self.op = op
        self.expr = expr
        self.param = param
        self.grouping = grouping
        self.without = without
        self.position = position
    }
}

/// A function call.
public struct Call: Sendable, Hashable {
    public var function: PromQLFunction
    public var args: [Expr]
    public var position: PositionRange

    public init(function: PromQLFunction, args: [Expr], position: PositionRange) {
        self.function = function
        self.args = args
        self.position = position
    }
}

/// A float literal; `isDuration` when written as a duration (`5m`), which is then in seconds.
public struct NumberLiteral: Sendable, Hashable {
    public var value: Double
    public var isDuration: Bool
    public var position: PositionRange

    public init(value: Double, isDuration: Bool = false, position: PositionRange) {
        self.value = value
        self.isDuration = isDuration
        self.position = position
    }

    public static func == (a: NumberLiteral, b: NumberLiteral) -> Bool {
        sameDouble(a.value, b.value) && a.isDuration == b.isDuration && a.position == b.position
    }

    public func hash(into h: inout Hasher) {
        h.combine(value.bitPattern)
        h.combine(isDuration)
        h.combine(position)
    }
}

/// A string literal (unquoted value).
public struct StringLiteral: Sendable, Hashable {
    public var value: String
    /// The exact bytes when escapes produced invalid UTF-8 (then `value` has U+FFFD in their place).
    public var invalidUTF8Bytes: [UInt8]?
    public var position: PositionRange

    public init(value: String, invalidUTF8Bytes: [UInt8]? = nil, position: PositionRange) {
        self.value = value
        self.invalidUTF8Bytes = invalidUTF8Bytes
        self.position = position
    }
}

/// `( expr )`.
public struct ParenExpr: Sendable, Hashable {
    public var expr: Expr { didSet { type = expr.type } }
    public var position: PositionRange
    /// The inner expression's type.
    public private(set) var type: ValueType

    public init(expr: Expr, position: PositionRange) {
        self.expr = expr
        self.position = position
        self.type = expr.type
    }
}

/// `-expr` or `+expr` (not folded into a number literal).
public struct UnaryExpr: Sendable, Hashable {
    /// `.add` or `.sub`.
    public var op: BinaryOperator
    public var expr: Expr { didSet { type = expr.type } }
    public var startPos: Int
    /// The operand's type.
    public private(set) var type: ValueType

    public init(op: BinaryOperator, expr: Expr, startPos: Int) {
        self.op = op
        self.expr = expr
        self.startPos = startPos
        self.type = expr.type
    }
}

/// A PromQL expression tree.
public indirect enum Expr: Sendable, Hashable {
    case aggregate(AggregateExpr)
    case binary(BinaryExpr)
    case call(Call)
    case matrixSelector(MatrixSelector)
    case subquery(SubqueryExpr)
    case numberLiteral(NumberLiteral)
    case stringLiteral(StringLiteral)
    case paren(ParenExpr)
    case unary(UnaryExpr)
    case vectorSelector(VectorSelector)

    /// The type the expression evaluates to.
    public var type: ValueType {
        switch self {
        case .aggregate: return .vector
        case .binary(let b): return b.type
        case .call(let c): return c.function.returnType
        case .matrixSelector: return .matrix
        case .subquery: return .matrix
        case .numberLiteral: return .scalar
        case .stringLiteral: return .string
        case .paren(let p): return p.type
        case .unary(let u): return u.type
        case .vectorSelector: return .vector
        }
    }

    /// Byte range in the source expression.
    ///
    /// Iterative: range and subquery nodes take their start from the expression they wrap and unary nodes
    /// their end from their operand, so chains of them are walked in a loop, never recursively.
    public var position: PositionRange {
        switch self {
        case .aggregate(let a): return a.position
        case .binary(let b): return b.position
        case .call(let c): return c.position
        case .matrixSelector(let m): return PositionRange(start: m.vectorSelector.startPosition, end: m.endPos)
        case .subquery(let s): return PositionRange(start: s.expr.startPosition, end: s.endPos)
        case .numberLiteral(let n): return n.position
        case .stringLiteral(let s): return s.position
        case .paren(let p): return p.position
        case .unary(let u): return PositionRange(start: u.startPos, end: u.expr.endPosition)
        case .vectorSelector(let v): return v.position
        }
    }

    /// `position.start`, found without recursion.
    var startPosition: Int {
        var e = self
        while true {
            switch e {
            case .matrixSelector(let m): e = m.vectorSelector
            case .subquery(let s): e = s.expr
            case .unary(let u): return u.startPos
            default: return e.position.start
            }
        }
    }

    /// `position.end`, found without recursion.
    var endPosition: Int {
        var e = self
        while true {
            switch e {
            case .unary(let u): e = u.expr
            case .matrixSelector(let m): return m.endPos
            case .subquery(let s): return s.endPos
            default: return e.position.end
            }
        }
    }

    /// Direct child expressions, in source order.
    public var children: [Expr] {
        switch self {
        case .aggregate(let a):
            if let p = a.param { return [p, a.expr] }
            return [a.expr]
        case .binary(let b): return [b.lhs, b.rhs]
        case .call(let c): return c.args
        case .matrixSelector(let m): return [m.vectorSelector]
        case .subquery(let s): return [s.expr]
        case .paren(let p): return [p.expr]
        case .unary(let u): return [u.expr]
        case .numberLiteral, .stringLiteral, .vectorSelector: return []
        }
    }

    /// Visits this node and its descendants depth-first (pre-order); return false from `visit` to skip a subtree.
    public func walk(_ visit: (Expr) throws -> Bool) rethrows {
        var stack: [Expr] = [self]
        while let e = stack.popLast() {
            if try visit(e) {
                stack.append(contentsOf: e.children.reversed())
            }
        }
    }

    /// Every vector selector in the tree (those inside range selectors included), in source order
    /// (Prometheus's `ExtractSelectors` gives their matchers).
    public var vectorSelectors: [VectorSelector] {
        var out: [VectorSelector] = []
        walk { node in
            if case .vectorSelector(let vs) = node { out.append(vs) }
            return true
        }
        return out
    }

    /// Strips any number of enclosing parentheses.
    public var unwrappingParens: Expr {
        var e = self
        while case .paren(let p) = e { e = p.expr }
        return e
    }
}

/// An arithmetic duration expression inside `[...]` or after `offset` (experimental feature).
public indirect enum DurationExpr: Sendable, Hashable {
    /// A number or duration literal (seconds).
    case literal(NumberLiteral)
    /// `lhs op rhs` with op one of `+ - * / % ^`.
    case binary(BinaryOperator, DurationExpr, DurationExpr)
    /// Unary `-x` (`.sub`) or `+x` (`.add`, printed without sign).
    case unary(BinaryOperator, DurationExpr, startPos: Int)
    /// `step()`.
    case step(PositionRange)
    /// `range()`.
    case range(PositionRange)
    /// `min_of(a, b)`.
    case minOf(DurationExpr, DurationExpr, PositionRange)
    /// `max_of(a, b)`.
    case maxOf(DurationExpr, DurationExpr, PositionRange)
    /// Parenthesised expression.
    case paren(DurationExpr, PositionRange)

    /// Byte range in the source expression (walks the operand chains in loops, never recursively).
    public var position: PositionRange {
        switch self {
        case .literal(let n): return n.position
        case .binary(_, let l, let r): return PositionRange(start: l.startPosition, end: r.endPosition)
        case .unary(_, let e, let s): return PositionRange(start: s, end: e.endPosition)
        case .step(let p), .range(let p): return p
        case .minOf(_, _, let p), .maxOf(_, _, let p), .paren(_, let p): return p
        }
    }

    private var startPosition: Int {
        var d = self
        while case .binary(_, let l, _) = d { d = l }
        return d.position.start
    }

    private var endPosition: Int {
        var d = self
        while true {
            switch d {
            case .binary(_, _, let r), .unary(_, let r, _): d = r
            default: return d.position.end
            }
        }
    }

    /// The literal value in seconds when the expression is a bare literal.
    public var literalSeconds: Double? {
        if case .literal(let n) = self { return n.value }
        return nil
    }
}
