/// A PromQL function's signature: argument types, variadic count, return type and whether it is experimental.
public struct PromQLFunction: Sendable, Hashable {
    public let name: String
    public let argTypes: [ValueType]
    /// 0: exactly `argTypes.count` args; n > 0: the last type may repeat up to n extra times
    /// (minimum `argTypes.count - 1` args); -1: unlimited repetitions of the last type.
    public let variadic: Int
    public let returnType: ValueType
    /// Needs `ParserOptions.experimentalFunctions`.
    public let experimental: Bool

    public init(name: String, argTypes: [ValueType], variadic: Int = 0, returnType: ValueType, experimental: Bool = false) {
        self.name = name
        self.argTypes = argTypes
        self.variadic = variadic
        self.returnType = returnType
        self.experimental = experimental
    }

    public static func == (a: PromQLFunction, b: PromQLFunction) -> Bool { a.name == b.name }
    public func hash(into h: inout Hasher) { h.combine(name) }

    /// Looks a function up by its exact (case-sensitive) name.
    public static func named(_ name: String) -> PromQLFunction? { table[name] }

    /// Every function of Prometheus 3.14, keyed by name.
    public static let table: [String: PromQLFunction] = {
        var t: [String: PromQLFunction] = [:]
        func add(_ name: String, _ args: [ValueType], _ ret: ValueType = .vector, variadic: Int = 0, experimental: Bool = false) {
            t[name] = PromQLFunction(name: name, argTypes: args, variadic: variadic, returnType: ret, experimental: experimental)
        }
        let v = ValueType.vector, m = ValueType.matrix, s = ValueType.scalar, str = ValueType.string
        for name in ["abs", "absent", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "cos", "cosh", "deg",
                     "exp", "floor", "histogram_avg", "histogram_count", "histogram_sum", "histogram_stddev",
                     "histogram_stdvar", "ln", "log10", "log2", "rad", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt",
                     "tan", "tanh", "timestamp", "start_timestamp"] {
            add(name, [v])
        }
        for name in ["absent_over_time", "avg_over_time", "changes", "count_over_time", "delta", "deriv", "idelta",
                     "increase", "irate", "last_over_time", "max_over_time", "min_over_time", "present_over_time",
                     "rate", "resets", "stddev_over_time", "stdvar_over_time", "sum_over_time", "first_over_time"] {
            add(name, [m])
        }
        for name in ["mad_over_time", "ts_of_first_over_time", "ts_of_max_over_time", "ts_of_min_over_time",
                     "ts_of_last_over_time"] {
            add(name, [m], experimental: true)
        }
        for name in ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"] {
            add(name, [v], variadic: 1)
        }
        add("clamp", [v, s, s])
        add("clamp_max", [v, s])
        add("clamp_min", [v, s])
        add("histogram_fraction", [s, s, v])
        add("histogram_quantile", [s, v])
        add("histogram_quantiles", [v, str, s, s], variadic: 9, experimental: true)
        add("double_exponential_smoothing", [m, s, s], experimental: true)
        add("info", [v, v], variadic: 1, experimental: true)
        add("label_replace", [v, str, str, str, str])
        add("label_join", [v, str, str, str], variadic: -1)
        add("pi", [], s)
        add("predict_linear", [m, s])
        add("quantile_over_time", [s, m])
        add("round", [v, s], variadic: 1)
        add("scalar", [v], s)
        add("sort_by_label", [v, str], variadic: -1, experimental: true)
        add("sort_by_label_desc", [v, str], variadic: -1, experimental: true)
        add("time", [], s)
        add("vector", [s])
        add("start", [], s, experimental: true)
        add("end", [], s, experimental: true)
        add("step", [], s, experimental: true)
        add("range", [], s, experimental: true)
        add("min_of", [s, s], s, experimental: true)
        add("max_of", [s, s], s, experimental: true)
        return t
    }()
}
