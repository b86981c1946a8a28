/// What a `WALReplay` read and what it left out, so a caller can tell the user (and tests can check) how complete
/// the replayed head is.
public struct WALReplayStats: Sendable, Equatable {
    /// Checkpoint segments read.
    public var checkpointSegments = 0
    /// WAL segments read after the checkpoint.
    public var segments = 0
    /// Records decoded (checkpoint and segments).
    public var records = 0
    /// Series records' entries (a series may be recorded more than once).
    public var seriesRecords = 0
    /// Float samples appended to the head, from the WAL.
    public var floatSamples = 0
    /// Histogram samples appended to the head, from the WAL.
    public var histogramSamples = 0
    /// Samples (float and histogram) the head already had at that time or rejected as out of order, as Prometheus's
    /// replay drops them.
    public var droppedSamples = 0
    /// Samples skipped because a memory-mapped chunk already covers their time (Prometheus's `mmMaxTime` check).
    public var samplesCoveredByChunks = 0
    /// Samples before `minValidTime`.
    public var samplesBeforeMinValidTime = 0
    /// Samples, histograms and tombstones whose series ref has no series record (Prometheus's "unknown series
    /// references").
    public var unknownRefSamples = 0
    /// Histograms the head refused as invalid.
    public var invalidHistograms = 0
    /// Records of a type Prometheus 3.14 does not know (skipped, as Prometheus does).
    public var unknownRecords = 0
    /// Exemplars, metadata entries and mmap markers read (the head keeps none of them).
    public var exemplars = 0
    public var metadata = 0
    public var mmapMarkers = 0
    /// Deletion intervals recorded in the WAL and the chunk snapshot, resolved to labels. The replay has already
    /// removed the samples inside them from the head, as Prometheus's reads hide them.
    public var tombstones: [Tombstone] = []
    /// Samples removed from the head because a tombstone covers them.
    public var deletedSamples = 0
    /// `chunks_head/` chunks whose samples went into the head, and those samples.
    public var mmappedChunks = 0
    public var mmappedSamples = 0
    /// Out-of-order head chunks read from `chunks_head/` (merged into their series), and their samples.
    public var outOfOrderChunks = 0
    public var outOfOrderChunkSamples = 0
    /// Segments of the out-of-order write-behind log (`wbl/`) read, and the samples from it merged into the head
    /// (those already in a replayed out-of-order chunk are not counted).
    public var wblSegments = 0
    public var outOfOrderSamples = 0
    /// The chunk snapshot the replay started from (`chunk_snapshot.N.M`), nil when there was none or it was not
    /// used; the series it held and the samples of their head chunks.
    public var chunkSnapshot: String?
    public var snapshotSeries = 0
    public var snapshotSamples = 0
    /// Why a chunk snapshot present was not used (Prometheus then replays the WAL alone, as this replay did).
    public var chunkSnapshotError: String?
    /// The first `chunks_head/` file that failed its checks at a record (a torn write), nil when none did: its
    /// chunks and those of later files were left out and the WAL replayed in their place, as Prometheus's repair
    /// on start-up deletes those files.
    public var headChunkCorruption: String?
    /// Whether the newest segment ended in a torn record (a crash, or Prometheus writing while we read).
    public var tornTail = false

    /// A tombstone with the labels of its series.
    public struct Tombstone: Sendable, Equatable {
        public var labels: Labels
        public var minTime: Int64
        public var maxTime: Int64
    }

    public init() {}
}
