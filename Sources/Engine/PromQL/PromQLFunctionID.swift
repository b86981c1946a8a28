/// Which PromQL function a call names. Functions are split by how the evaluator runs them: `range` functions
/// take one range-vector argument and are computed window by window; `instant` functions take instant vectors,
/// scalars and strings. Signatures (`InstantFunction.signature`, `RangeFunction.signature`) and evaluation
/// (`Evaluator.evalCall`, `Evaluator.rangeFunction`) switch over these enums exhaustively, so a function added
/// without a signature or a body fails to build instead of failing at run time.
public enum PromQLFunctionID: Hashable, Sendable {
    case instant(InstantFunction)
    case range(RangeFunction)

    /// The function's PromQL name.
    public var name: String {
        switch self {
        case .instant(let f): return f.rawValue
        case .range(let f): return f.rawValue
        }
    }

    /// Every function of Prometheus 3.14.
    public static var allCases: [PromQLFunctionID] {
        InstantFunction.allCases.map { .instant($0) } + RangeFunction.allCases.map { .range($0) }
    }

    /// Argument types, variadic count, return type and whether the function is experimental.
    var signature: PromQLFunction.Signature {
        switch self {
        case .instant(let f): return f.signature
        case .range(let f): return f.signature
        }
    }
}
