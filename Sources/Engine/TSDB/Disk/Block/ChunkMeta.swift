/// A chunk as the index lists it for a series: its time range (both ends inclusive) and its reference into the
/// block's chunk segment files (segment number << 32 | byte offset).
public struct ChunkMeta: Sendable, Hashable {
    public var ref: UInt64
    public var minTime: Int64
    public var maxTime: Int64

    public init(ref: UInt64, minTime: Int64, maxTime: Int64) {
        self.ref = ref
        self.minTime = minTime
        self.maxTime = maxTime
    }
}
