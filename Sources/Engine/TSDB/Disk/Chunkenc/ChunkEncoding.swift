/// The encoding byte of a chunk in a block's chunk segment files (Prometheus's `chunkenc.Encoding`). 2.x writes
/// 1–3; 3.x adds the start-timestamp variants 4–6 (`XOR2`, `histogramST`, `floathistogramST`), decoded too.
public enum ChunkEncoding: UInt8, Sendable, Hashable, CustomStringConvertible {
    case none = 0
    case xor = 1
    case histogram = 2
    case floatHistogram = 3
    case xor2 = 4
    case histogramST = 5
    case floatHistogramST = 6

    /// Prometheus's name for the encoding (as `promtool tsdb analyze` and error messages print it).
    public var description: String {
        switch self {
        case .none: return "none"
        case .xor: return "XOR"
        case .histogram: return "histogram"
        case .floatHistogram: return "floathistogram"
        case .xor2: return "XOR2"
        case .histogramST: return "histogramST"
        case .floatHistogramST: return "floathistogramST"
        }
    }

    /// Whether the chunk holds integer histograms (Prometheus's iterators return `ValHistogram` for them, which
    /// `tsdb dump` prints in its own loop, after float histograms).
    public var holdsIntegerHistograms: Bool { self == .histogram || self == .histogramST }

    /// Whether this reader can decode chunks of this encoding.
    public var isDecodable: Bool { self != .none }
}
