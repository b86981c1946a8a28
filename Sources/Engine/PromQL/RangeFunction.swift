/// PromQL functions over one range-vector argument, evaluated per step on the samples of its window.
public enum RangeFunction: String, CaseIterable, Sendable {
    case absentOverTime = "absent_over_time"
    case avgOverTime = "avg_over_time"
    case changes
    case countOverTime = "count_over_time"
    case delta
    case deriv
    case doubleExponentialSmoothing = "double_exponential_smoothing"
    case firstOverTime = "first_over_time"
    case idelta
    case increase
    case irate
    case lastOverTime = "last_over_time"
    case madOverTime = "mad_over_time"
    case maxOverTime = "max_over_time"
    case minOverTime = "min_over_time"
    case predictLinear = "predict_linear"
    case presentOverTime = "present_over_time"
    case quantileOverTime = "quantile_over_time"
    case rate
    case resets
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case sumOverTime = "sum_over_time"
    case tsOfFirstOverTime = "ts_of_first_over_time"
    case tsOfLastOverTime = "ts_of_last_over_time"
    case tsOfMaxOverTime = "ts_of_max_over_time"
    case tsOfMinOverTime = "ts_of_min_over_time"

    var signature: PromQLFunction.Signature {
        let m = ValueType.matrix, s = ValueType.scalar
        switch self {
        case .absentOverTime, .avgOverTime, .changes, .countOverTime, .delta, .deriv, .firstOverTime, .idelta,
             .increase, .irate, .lastOverTime, .maxOverTime, .minOverTime, .presentOverTime, .rate, .resets,
             .stddevOverTime, .stdvarOverTime, .sumOverTime:
            return .init([m])
        case .madOverTime, .tsOfFirstOverTime, .tsOfLastOverTime, .tsOfMaxOverTime, .tsOfMinOverTime:
            return .init([m], experimental: true)
        case .predictLinear: return .init([m, s])
        case .quantileOverTime: return .init([s, m])
        case .doubleExponentialSmoothing: return .init([m, s, s], experimental: true)
        }
    }

    /// Whether the result keeps the input's metric name.
    var keepsMetricName: Bool { self == .lastOverTime || self == .firstOverTime }
}
