/// One series of a block being backfilled, cut into XOR chunks exactly where Prometheus's head cuts them
/// (`memSeries.appendPreprocessor`), so the block holds the same chunks as one promtool writes:
/// a chunk ends at the chunk range boundary, at a time predicted once it holds a quarter of 120 samples
/// (so chunks of a range come out about equal), at 240 samples, or past 1005 bytes.
struct BackfillSeries: Sendable {
    static let samplesPerChunk = 120
    static let maxBytesBeforeAppend = 1024 - 19

    let labels: [(name: String, value: String)]
    private(set) var chunks: [BlockChunk] = []
    private var head: XORChunkEncoder?
    private var headMinTime: Int64 = 0
    /// The newest sample's time (`Int64.min` before any).
    private(set) var maxTime: Int64 = .min
    private(set) var lastValue: Double = 0
    private var nextAt: Int64 = .max

    init(labels: [(name: String, value: String)]) { self.labels = labels }

    var isEmpty: Bool { head == nil }

    /// Appends a sample in order. Returns false for a sample at or before the newest one (Prometheus's head
    /// drops it at commit without an error).
    mutating func append(t: Int64, v: Double, chunkRange: Int64) -> Bool {
        if head == nil { cut(t, chunkRange) }
        guard t > maxTime else { return false }
        guard var chunk = head else { return false }
        if chunk.sampleCount > 0 && chunk.bytes.count > Self.maxBytesBeforeAppend {
            cut(t, chunkRange)
            chunk = XORChunkEncoder()
        }
        let n = chunk.sampleCount
        if n == 0 {
            headMinTime = t
            nextAt = Self.rangeEnd(t, chunkRange)
        }
        if n == Self.samplesPerChunk / 4 {
            nextAt = Self.predictedEnd(start: headMinTime, current: maxTime, limit: nextAt)
        }
        if t >= nextAt || n >= Self.samplesPerChunk * 2 {
            cut(t, chunkRange)
            chunk = XORChunkEncoder()
        }
        head = nil // the encoder is uniquely referenced while it is appended to
        chunk.append(t: t, v: v)
        head = chunk
        maxTime = t
        lastValue = v
        return true
    }

    /// The chunks, the open one included (the series is done).
    mutating func finish() -> [BlockChunk] {
        closeHead()
        head = nil
        let done = chunks
        chunks = []
        return done
    }

    private mutating func cut(_ t: Int64, _ chunkRange: Int64) {
        closeHead()
        head = XORChunkEncoder()
        headMinTime = t
        nextAt = Self.rangeEnd(t, chunkRange)
    }

    private mutating func closeHead() {
        guard let h = head, h.sampleCount > 0 else { return }
        chunks.append(BlockChunk(minTime: headMinTime, maxTime: maxTime, encoding: 1, data: h.bytes, sampleCount: h.sampleCount))
    }

    /// The end of the chunk range holding `t` (Prometheus's `rangeForTimestamp`, Go's truncating division).
    static func rangeEnd(_ t: Int64, _ width: Int64) -> Int64 {
        guard width > 0 else { return .max }
        return (t / width) &* width &+ width
    }

    /// Prometheus's `computeChunkEndTime` with a ratio of 4: the end that splits what is left of the range
    /// into chunks of the size the first quarter predicts.
    static func predictedEnd(start: Int64, current: Int64, limit: Int64) -> Int64 {
        let n = Double(limit &- start) / (Double(current &- start &+ 1) * 4)
        guard n > 1 else { return limit }
        let end = Double(start) + Double(limit &- start) / n.rounded(.down)
        guard end.isFinite, end > -9.2e18, end < 9.2e18 else { return limit }
        return Int64(end)
    }
}
