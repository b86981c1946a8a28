@testable import Engine

/// Optional views of each `Expr` case, so parser tests can `#require` the shape they expect
/// instead of a `guard case … else { return }` that passes silently when the shape is wrong.
extension Expr {
    var aggregate: AggregateExpr? { if case .aggregate(let x) = self { x } else { nil } }
    var binary: BinaryExpr? { if case .binary(let x) = self { x } else { nil } }
    var call: Call? { if case .call(let x) = self { x } else { nil } }
    var matrixSelector: MatrixSelector? { if case .matrixSelector(let x) = self { x } else { nil } }
    var subquery: SubqueryExpr? { if case .subquery(let x) = self { x } else { nil } }
    var numberLiteral: NumberLiteral? { if case .numberLiteral(let x) = self { x } else { nil } }
    var stringLiteral: StringLiteral? { if case .stringLiteral(let x) = self { x } else { nil } }
    var unary: UnaryExpr? { if case .unary(let x) = self { x } else { nil } }
    var vectorSelector: VectorSelector? { if case .vectorSelector(let x) = self { x } else { nil } }
}
