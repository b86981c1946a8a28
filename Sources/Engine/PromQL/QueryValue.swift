/// A float point of a series: value `f` at millisecond timestamp `t`.
public struct FPoint: Sendable, Equatable {
    public var t: Int64
    public var f: Double
    public init(t: Int64, f: Double) {
        self.t = t
        self.f = f
    }
}

/// A native-histogram point of a series.
public struct HPoint: Sendable {
    public var t: Int64
    public var h: FloatHistogram
    public init(t: Int64, h: FloatHistogram) {
        self.t = t
        self.h = h
    }
}

/// A series in a query result (matrix) or in an intermediate step-aligned result.
public struct EvalSeries: Sendable {
    public var labels: Labels
    public var floats: [FPoint]
    public var histograms: [HPoint]
    /// The metric name is to be dropped when the query finishes (delayed name removal).
    public var dropName: Bool

    public init(labels: Labels, floats: [FPoint] = [], histograms: [HPoint] = [], dropName: Bool = false) {
        self.labels = labels
        self.floats = floats
        self.histograms = histograms
        self.dropName = dropName
    }
}

/// One element of an instant vector.
public struct VectorSample: Sendable {
    public var labels: Labels
    public var t: Int64
    public var f: Double
    public var h: FloatHistogram?
    public var dropName: Bool

    public init(labels: Labels, t: Int64, f: Double, h: FloatHistogram? = nil, dropName: Bool = false) {
        self.labels = labels
        self.t = t
        self.f = f
        self.h = h
        self.dropName = dropName
    }
}

/// The value a query returns.
public enum QueryValue: Sendable {
    case scalar(t: Int64, v: Double)
    case string(t: Int64, v: String)
    case vector([VectorSample])
    case matrix([EvalSeries])
}

/// A query's value with the warnings and infos (annotations) collected while evaluating it.
public struct QueryResult: Sendable {
    public var value: QueryValue
    public var warnings: [String]
    public var infos: [String]
}

/// A query evaluation error, worded as Prometheus words it.
public struct PromQLEvalError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Deduplicated warnings and infos (Prometheus keys annotations by their text).
final class Annotations {
    private(set) var warnings: [String] = []
    private(set) var infos: [String] = []
    private var seen: Set<String> = []

    func warn(_ text: String) {
        let t = "PromQL warning: " + text
        if seen.insert(t).inserted { warnings.append(t) }
    }

    func info(_ text: String) {
        let t = "PromQL info: " + text
        if seen.insert(t).inserted { infos.append(t) }
    }
}
