import ConfigModel

/// Rebuilds Prometheus's in-memory head from a data directory, read-only, as `tsdb.Head.Init` does on start-up:
/// the newest chunk snapshot if any, memory-mapped head chunks from `chunks_head/`, then the newest WAL checkpoint,
/// then the WAL segments after it, in order, then the out-of-order write-behind log. Series records name series;
/// samples and histograms go into the `Head` in WAL order, where the head drops what Prometheus's replay drops
/// (samples at or before the series' newest time, samples covered by a replayed chunk, samples of unknown series).
/// Out-of-order samples and tombstones, which the head's in-order appends cannot express, are applied per series
/// at the end, so a query sees what Prometheus's queries see. Nothing is opened for writing and no lock is taken, so it is safe on
/// the directory of a running Prometheus; the newest segment's torn tail is then simply the end of the data.
public enum WALReplay {
    /// Options of a replay.
    public struct Options: Sendable {
        /// Samples older than this are discarded (Prometheus uses the newest block's end so the head does not
        /// repeat what blocks hold). Out-of-order samples are kept whatever their time, as Prometheus keeps them.
        public var minValidTime: Int64
        /// Whether `chunks_head/` is replayed before the WAL, as Prometheus does. Without it the WAL alone gives
        /// the same head as long as it still holds every sample since the last checkpoint.
        public var headChunks: Bool
        /// Whether out-of-order data (`wbl/`, out-of-order chunks in `chunks_head/`) is merged into the head, as a
        /// Prometheus with `out_of_order_time_window` set shows it.
        public var outOfOrder: Bool
        /// Whether the newest `chunk_snapshot.N.M` starts the replay (the WAL then continues from segment N, offset
        /// M), as a Prometheus with `memory-snapshot-on-shutdown` replays it.
        public var chunkSnapshot: Bool

        public init(minValidTime: Int64 = .min, headChunks: Bool = true, outOfOrder: Bool = true, chunkSnapshot: Bool = true) {
            self.minValidTime = minValidTime
            self.headChunks = headChunks
            self.outOfOrder = outOfOrder
            self.chunkSnapshot = chunkSnapshot
        }
    }

    /// Replays `directory` (a Prometheus data directory holding `wal/` and maybe `chunks_head/`, `wbl/` and a
    /// `chunk_snapshot.N.M/`) into `head`, in Prometheus's order: the chunk snapshot, memory-mapped chunks, the
    /// WAL checkpoint and segments (from the snapshot's position when there is one), the write-behind log; then
    /// out-of-order samples are merged into their series and samples under tombstones removed. A corrupt segment,
    /// checkpoint or chunk file is a `WALError` naming the file and offset; a snapshot that cannot be read is set
    /// aside (`chunkSnapshotError`) and the WAL replayed alone, as Prometheus does.
    @discardableResult
    public static func replay(directory: String, into head: Head, options: Options = Options()) throws(WALError) -> WALReplayStats {
        var state = WALReplayState(head: head, options: options)
        let wal = try WALDirectory(path: directory + "/wal")
        var snapshot: (location: ChunkSnapshot.Location, records: [ChunkSnapshot.Record])?
        if options.chunkSnapshot, let location = try ChunkSnapshot.latest(in: directory),
           let lastSegment = wal.segments.last?.index, lastSegment >= location.segment {
            // Decoded whole before anything is applied, so a bad snapshot leaves the head untouched.
            var records: [ChunkSnapshot.Record] = []
            do throws(WALError) {
                try ChunkSnapshot.forEachRecord(location) { records.append($0) }
                snapshot = (location, records)
            } catch {
                state.stats.chunkSnapshotError = error.description
            }
        }
        if options.headChunks {
            try state.loadChunks(directory + "/chunks_head")
        }
        if let snapshot {
            try state.apply(snapshot: snapshot.records, path: snapshot.location.path)
            state.stats.chunkSnapshot = snapshot.location.path
        }
        let snapshotSegment = snapshot?.location.segment ?? -1
        if (wal.checkpointIndex ?? -1) >= snapshotSegment {
            for segment in wal.checkpointSegments {
                try WALSegmentReader.forEachRecord(path: segment.path, tornTailIsEnd: false) { (record, offset) throws(WALError) in
                    try state.apply(record, file: segment.path, offset: offset)
                }
                state.stats.checkpointSegments += 1
            }
        }
        let segments = wal.segments.filter { $0.index >= snapshotSegment }
        for (i, segment) in segments.enumerated() {
            let isLast = i == segments.count - 1
            let start = segment.index == snapshotSegment ? snapshot?.location.offset ?? 0 : 0
            let end = try WALSegmentReader.forEachRecord(path: segment.path, tornTailIsEnd: isLast, from: start) { (record, offset) throws(WALError) in
                try state.apply(record, file: segment.path, offset: offset)
            }
            if end.tornTail { state.stats.tornTail = true }
            state.stats.segments += 1
        }
        if options.outOfOrder, FileSystem.isDirectory(directory + "/wbl") {
            let wbl = try WALDirectory(path: directory + "/wbl")
            for (i, segment) in wbl.segments.enumerated() {
                let end = try WALSegmentReader.forEachRecord(path: segment.path, tornTailIsEnd: i == wbl.segments.count - 1) { (record, offset) throws(WALError) in
                    try state.applyWBL(record, file: segment.path, offset: offset)
                }
                if end.tornTail { state.stats.tornTail = true }
                state.stats.wblSegments += 1
            }
        }
        state.finish()
        return state.stats
    }
}
