/// A query result as Prometheus's HTTP API carries it (client_golang's `model.Value`), whether it came
/// from a server or from the embedded engine, so both print identically.
public enum APIValue: Sendable, Equatable {
    case scalar(APITime, Double)
    case string(APITime, String)
    /// `nil` when the server sent `null` for the result (printed `null` in JSON, as Go does).
    case vector([APISample]?)
    case matrix([APISeries]?)
}

/// Milliseconds since the epoch (`model.Time`).
public typealias APITime = Int64

/// A label set (`model.Metric`): printed and encoded with its names sorted.
public typealias APIMetric = [String: String]

public struct APISample: Sendable, Equatable {
    public var metric: APIMetric
    public var timestamp: APITime
    public var value: Double
    public var histogram: APIHistogram?

    public init(metric: APIMetric, timestamp: APITime, value: Double, histogram: APIHistogram? = nil) {
        self.metric = metric
        self.timestamp = timestamp
        self.value = value
        self.histogram = histogram
    }

    public static func == (a: APISample, b: APISample) -> Bool {
        a.metric == b.metric && a.timestamp == b.timestamp && a.histogram == b.histogram
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

public struct APIPoint: Sendable, Equatable {
    public var timestamp: APITime
    public var value: Double

    public init(timestamp: APITime, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    public static func == (a: APIPoint, b: APIPoint) -> Bool {
        a.timestamp == b.timestamp && (a.value == b.value || (a.value.isNaN && b.value.isNaN))
    }
}

public struct APIHistogramPoint: Sendable, Equatable {
    public var timestamp: APITime
    public var histogram: APIHistogram

    public init(timestamp: APITime, histogram: APIHistogram) {
        self.timestamp = timestamp
        self.histogram = histogram
    }
}

public struct APISeries: Sendable, Equatable {
    public var metric: APIMetric
    public var values: [APIPoint]
    public var histograms: [APIHistogramPoint]

    public init(metric: APIMetric, values: [APIPoint] = [], histograms: [APIHistogramPoint] = []) {
        self.metric = metric
        self.values = values
        self.histograms = histograms
    }
}

/// `model.SampleHistogram`: count, sum and the populated buckets.
public struct APIHistogram: Sendable, Equatable {
    public var count: Double
    public var sum: Double
    /// `nil` when absent from the response (encoded as `null`).
    public var buckets: [APIBucket]?

    public init(count: Double, sum: Double, buckets: [APIBucket]?) {
        self.count = count
        self.sum = sum
        self.buckets = buckets
    }
}

/// One bucket: `boundaries` says which ends are inclusive (0: upper, 1: lower, 2: neither, 3: both).
public struct APIBucket: Sendable, Equatable {
    public var boundaries: Int32
    public var lower: Double
    public var upper: Double
    public var count: Double

    public init(boundaries: Int32, lower: Double, upper: Double, count: Double) {
        self.boundaries = boundaries
        self.lower = lower
        self.upper = upper
        self.count = count
    }
}
