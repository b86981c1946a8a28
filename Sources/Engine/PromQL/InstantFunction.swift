/// PromQL functions over instant vectors, scalars and strings (everything but range functions).
public enum InstantFunction: String, CaseIterable, Sendable {
    case abs, absent, acos, acosh, asin, asinh, atan, atanh, ceil, clamp
    case clampMax = "clamp_max"
    case clampMin = "clamp_min"
    case cos, cosh
    case dayOfMonth = "day_of_month"
    case dayOfWeek = "day_of_week"
    case dayOfYear = "day_of_year"
    case daysInMonth = "days_in_month"
    case deg, end, exp, floor
    case histogramAvg = "histogram_avg"
    case histogramCount = "histogram_count"
    case histogramFraction = "histogram_fraction"
    case histogramQuantile = "histogram_quantile"
    case histogramQuantiles = "histogram_quantiles"
    case histogramStddev = "histogram_stddev"
    case histogramStdvar = "histogram_stdvar"
    case histogramSum = "histogram_sum"
    case hour, info
    case labelJoin = "label_join"
    case labelReplace = "label_replace"
    case ln, log10, log2
    case maxOf = "max_of"
    case minOf = "min_of"
    case minute, month, pi, rad, range, round, scalar, sgn, sin, sinh, sort
    case sortByLabel = "sort_by_label"
    case sortByLabelDesc = "sort_by_label_desc"
    case sortDesc = "sort_desc"
    case sqrt, start
    case startTimestamp = "start_timestamp"
    case step, tan, tanh, time, timestamp, vector, year

    var signature: PromQLFunction.Signature {
        let v = ValueType.vector, s = ValueType.scalar, str = ValueType.string
        switch self {
        case .abs, .absent, .acos, .acosh, .asin, .asinh, .atan, .atanh, .ceil, .cos, .cosh, .deg, .exp, .floor,
             .histogramAvg, .histogramCount, .histogramSum, .histogramStddev, .histogramStdvar, .ln, .log10, .log2,
             .rad, .sgn, .sin, .sinh, .sort, .sortDesc, .sqrt, .tan, .tanh, .timestamp, .startTimestamp:
            return .init([v])
        case .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year:
            return .init([v], variadic: 1)
        case .clamp: return .init([v, s, s])
        case .clampMax, .clampMin: return .init([v, s])
        case .histogramFraction: return .init([s, s, v])
        case .histogramQuantile: return .init([s, v])
        case .histogramQuantiles: return .init([v, str, s, s], variadic: 9, experimental: true)
        case .info: return .init([v, v], variadic: 1, experimental: true)
        case .labelReplace: return .init([v, str, str, str, str])
        case .labelJoin: return .init([v, str, str, str], variadic: -1)
        case .pi, .time: return .init([], returns: s)
        case .round: return .init([v, s], variadic: 1)
        case .scalar: return .init([v], returns: s)
        case .sortByLabel, .sortByLabelDesc: return .init([v, str], variadic: -1, experimental: true)
        case .vector: return .init([s])
        case .start, .end, .step, .range: return .init([], returns: s, experimental: true)
        case .minOf, .maxOf: return .init([s, s], returns: s, experimental: true)
        }
    }
}
