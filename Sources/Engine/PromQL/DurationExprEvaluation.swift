/// An error computing a duration expression (Prometheus's texts).
public struct DurationExprError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension DurationExpr {
    /// Evaluates the expression in seconds; `step()` and `range()` take the query's step and range (seconds,
    /// 0 for instant queries), as Prometheus's duration preprocessing does.
    public func seconds(step: Double, range: Double) throws(DurationExprError) -> Double {
        // Iterative post-order evaluation (duration expressions nest at most `ParserOptions.maxDepth`).
        enum Work { case eval(DurationExpr), apply(DurationExpr) }
        var work: [Work] = [.eval(self)]
        var values: [Double] = []
        func pop() -> Double { values.popLast() ?? 0 }
        while let w = work.popLast() {
            switch w {
            case .eval(let e):
                switch e {
                case .literal(let n): values.append(n.value)
                case .step: values.append(step)
                case .range: values.append(range)
                case .paren(let inner, _): work.append(.eval(inner))
                case .unary(_, let inner, _):
                    work.append(.apply(e))
                    work.append(.eval(inner))
                case .binary(_, let l, let r), .minOf(let l, let r, _), .maxOf(let l, let r, _):
                    work.append(.apply(e))
                    work.append(.eval(r))
                    work.append(.eval(l))
                }
            case .apply(let e):
                switch e {
                case .unary(let op, _, _):
                    let v = pop()
                    values.append(op == .sub ? -v : v)
                case .binary(let op, _, _):
                    let r = pop()
                    let l = pop()
                    switch op {
                    case .add: values.append(l + r)
                    case .sub: values.append(l - r)
                    case .mul: values.append(l * r)
                    case .div:
                        if r == 0 { throw DurationExprError(message: "division by zero") }
                        values.append(l / r)
                    case .mod:
                        if r == 0 { throw DurationExprError(message: "modulo by zero") }
                        values.append(l.truncatingRemainder(dividingBy: r))
                    case .pow: values.append(pow(l, r))
                    default: throw DurationExprError(message: "unexpected duration expression operator \(GoQuote.quote(op.rawValue))")
                    }
                case .minOf:
                    let r = pop()
                    let l = pop()
                    values.append(Swift.min(l, r))
                case .maxOf:
                    let r = pop()
                    let l = pop()
                    values.append(Swift.max(l, r))
                default: break
                }
            }
        }
        return pop()
    }

    /// The duration in milliseconds as Prometheus's `calculateDuration` computes it (truncating), rejecting
    /// non-positive results unless `allowNegative` (offsets) and results out of range.
    public func milliseconds(step: Double, range: Double, allowNegative: Bool) throws(DurationExprError) -> Int64 {
        let d = try seconds(step: step, range: range)
        if d <= 0 && !allowNegative { throw DurationExprError(message: "duration must be greater than 0") }
        let ms = d * 1000
        if ms.isNaN || ms >= 9.223372036854775807e18 || ms <= -9.223372036854775808e18 {
            throw DurationExprError(message: "duration is out of range")
        }
        return Int64(ms)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
