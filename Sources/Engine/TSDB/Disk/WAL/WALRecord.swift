/// The kinds of WAL record Prometheus 3.14 writes (`tsdb/record`), by their first byte.
public enum WALRecordType: UInt8, Sendable, CaseIterable {
    case series = 1
    case samples = 2
    case tombstones = 3
    case exemplars = 4
    case mmapMarkers = 5
    case metadata = 6
    case histogramSamples = 7
    case floatHistogramSamples = 8
    case customBucketsHistogramSamples = 9
    case customBucketsFloatHistogramSamples = 10
    case samplesV2 = 11
    case histogramSamplesV2 = 12
    case floatHistogramSamplesV2 = 13
}

/// One decoded WAL record. Series refs are the WAL's own (`HeadSeriesRef`), not a `Head`'s `SeriesRef`.
public enum WALRecord: Sendable {
    case series([WALSeries])
    /// Float samples (record types 2 and 11).
    case samples([WALSample])
    case tombstones([WALTombstone])
    case exemplars([WALExemplar])
    case mmapMarkers([WALMmapMarker])
    case metadata([WALMetadata])
    /// Native histogram samples, integer or float, exponential or custom buckets (types 7–10, 12, 13).
    case histogramSamples([WALHistogramSample])
}

/// A series' labels and its WAL reference.
public struct WALSeries: Sendable, Equatable {
    public var ref: UInt64
    public var labels: Labels

    public init(ref: UInt64, labels: Labels) {
        self.ref = ref
        self.labels = labels
    }
}

/// A float sample. `startTime` is the V2 records' start timestamp (0 when absent).
public struct WALSample: Sendable, Equatable {
    public var ref: UInt64
    public var startTime: Int64
    public var t: Int64
    public var v: Double

    public init(ref: UInt64, startTime: Int64, t: Int64, v: Double) {
        self.ref = ref
        self.startTime = startTime
        self.t = t
        self.v = v
    }

    public static func == (a: WALSample, b: WALSample) -> Bool {
        a.ref == b.ref && a.startTime == b.startTime && a.t == b.t && a.v.bitPattern == b.v.bitPattern
    }
}

/// A deletion interval [minTime, maxTime] for a series.
public struct WALTombstone: Sendable, Equatable {
    public var ref: UInt64
    public var minTime: Int64
    public var maxTime: Int64
}

/// An exemplar attached to a series.
public struct WALExemplar: Sendable {
    public var ref: UInt64
    public var t: Int64
    public var v: Double
    public var labels: Labels
}

/// "Everything of this series up to now is in the head chunk at `mmapRef`" (out-of-order write-behind log).
public struct WALMmapMarker: Sendable, Equatable {
    public var ref: UInt64
    public var mmapRef: UInt64
}

/// A series' metadata: the metric type as Prometheus numbers it (0 unknown, 1 counter, 2 gauge, 3 histogram,
/// 4 gauge histogram, 5 summary, 6 info, 7 stateset), unit and help.
public struct WALMetadata: Sendable, Equatable {
    public var ref: UInt64
    public var type: UInt8
    public var unit: String
    public var help: String
}

/// A native histogram sample. Integer histograms (types 7, 9, 12) are converted to float counts with absolute
/// bucket counts (the WAL stores their buckets as deltas); `isFloat` tells which it was.
public struct WALHistogramSample: Sendable {
    public var ref: UInt64
    public var startTime: Int64
    public var t: Int64
    public var histogram: FloatHistogram
    public var isFloat: Bool
}
