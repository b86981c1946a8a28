import ConfigModel

/// Rebuilds Prometheus's in-memory head from a data directory, read-only, as `tsdb.Head.Init` does on start-up:
/// memory-mapped head chunks from `chunks_head/` first, then the newest WAL checkpoint, then the WAL segments after
/// it, in order. Series records name series; samples and histograms go into the `Head` in WAL order, where the
/// head drops what Prometheus's replay drops (samples at or before the series' newest time, samples covered by a
/// replayed chunk, samples of unknown series). Nothing is opened for writing and no lock is taken, so it is safe on
/// the directory of a running Prometheus; the newest segment's torn tail is then simply the end of the data.
public enum WALReplay {
    /// One decoded sample of a head chunk.
    public enum ChunkSample: Sendable {
        case float(t: Int64, v: Double)
        case histogram(t: Int64, h: FloatHistogram)
    }

    /// Turns a `chunks_head/` chunk into its samples (the chunk formats' decoders), or throws why not.
    public typealias ChunkDecoder = @Sendable (HeadChunkRecord) throws -> [ChunkSample]

    /// Options of a replay.
    public struct Options: Sendable {
        /// Samples older than this are discarded (Prometheus uses the newest block's end so the head does not
        /// repeat what blocks hold).
        public var minValidTime: Int64 = .min
        /// Decoder for `chunks_head/` chunks; nil replays the WAL alone (which still holds every sample since the
        /// last checkpoint, so the head is the same except for samples Prometheus only kept in chunks).
        public var chunkDecoder: ChunkDecoder?

        public init(minValidTime: Int64 = .min, chunkDecoder: ChunkDecoder? = nil) {
            self.minValidTime = minValidTime
            self.chunkDecoder = chunkDecoder
        }
    }

    /// Replays `directory` (a Prometheus data directory holding `wal/` and maybe `chunks_head/`) into `head`.
    /// A corrupt segment, checkpoint or chunk file is a `WALError` naming the file and offset.
    @discardableResult
    public static func replay(directory: String, into head: Head, options: Options = Options()) throws(WALError) -> WALReplayStats {
        var state = ReplayState(head: head, options: options)
        if let decoder = options.chunkDecoder {
            try state.loadChunks(directory + "/chunks_head", decoder: decoder)
        }
        let wal = try WALDirectory(path: directory + "/wal")
        for segment in wal.checkpointSegments {
            try WALSegmentReader.forEachRecord(path: segment.path, tornTailIsEnd: false) { (record, offset) throws(WALError) in
                try state.apply(record, file: segment.path, offset: offset)
            }
            state.stats.checkpointSegments += 1
        }
        for (i, segment) in wal.segments.enumerated() {
            let isLast = i == wal.segments.count - 1
            let end = try WALSegmentReader.forEachRecord(path: segment.path, tornTailIsEnd: isLast) { (record, offset) throws(WALError) in
                try state.apply(record, file: segment.path, offset: offset)
            }
            if end.tornTail { state.stats.tornTail = true }
            state.stats.segments += 1
        }
        state.resolveTombstones()
        return state.stats
    }
}

/// The bookkeeping of one replay: WAL refs to series (several refs may name the same labels, as after a series
/// was recreated), the newest time covered by replayed chunks, and the counters.
private struct ReplayState {
    struct Slot {
        var labels: Labels
        var headRef: SeriesRef?
        var chunkMaxTime: Int64 = .min
    }

    let head: Head
    let options: WALReplay.Options
    var stats = WALReplayStats()
    var slots: [Slot] = []
    var slotByRef: [UInt64: Int] = [:]
    var slotByLabels: [Labels: Int] = [:]
    var chunksByRef: [UInt64: [HeadChunkRecord]] = [:]
    var decoder: WALReplay.ChunkDecoder?
    var pendingTombstones: [WALTombstone] = []

    init(head: Head, options: WALReplay.Options) {
        self.head = head
        self.options = options
    }

    mutating func loadChunks(_ dir: String, decoder: @escaping WALReplay.ChunkDecoder) throws(WALError) {
        self.decoder = decoder
        for entry in HeadChunkFile.files(in: dir) {
            try HeadChunkFile.forEachChunk(path: entry.path) { (chunk) throws(WALError) in
                if chunk.isOutOfOrder {
                    stats.outOfOrderChunks += 1
                    return
                }
                if chunk.maxTime < options.minValidTime { return }
                chunksByRef[chunk.seriesRef, default: []].append(chunk)
            }
        }
    }

    mutating func apply(_ record: [UInt8], file: String, offset: Int) throws(WALError) {
        stats.records += 1
        guard WALRecordDecoder.type(of: record) != nil else {
            stats.unknownRecords += 1
            return
        }
        let decoded: WALRecord
        do {
            decoded = try WALRecordDecoder.decode(record)
        } catch {
            throw WALError(file: file, offset: offset, message: error.description)
        }
        switch decoded {
        case .series(let list):
            for s in list { try addSeries(s, file: file, offset: offset) }
        case .samples(let list):
            for s in list {
                guard let slot = sampleSlot(ref: s.ref, t: s.t) else { continue }
                appendFloat(slot, t: s.t, v: s.v, fromChunk: false)
            }
        case .histogramSamples(let list):
            for s in list {
                guard let slot = sampleSlot(ref: s.ref, t: s.t) else { continue }
                appendHistogram(slot, t: s.t, h: s.histogram, fromChunk: false)
            }
        case .tombstones(let list):
            pendingTombstones.append(contentsOf: list.filter { $0.maxTime >= options.minValidTime })
        case .exemplars(let list):
            stats.exemplars += list.count
        case .metadata(let list):
            stats.metadata += list.count
        case .mmapMarkers(let list):
            stats.mmapMarkers += list.count
        }
    }

    private mutating func addSeries(_ s: WALSeries, file: String, offset: Int) throws(WALError) {
        stats.seriesRecords += 1
        let slot: Int
        if let existing = slotByLabels[s.labels] {
            slot = existing
        } else {
            slot = slots.count
            slots.append(Slot(labels: s.labels))
            slotByLabels[s.labels] = slot
        }
        slotByRef[s.ref] = slot
        guard let decoder, let chunks = chunksByRef.removeValue(forKey: s.ref) else { return }
        for chunk in chunks.sorted(by: { $0.minTime < $1.minTime }) {
            let samples: [WALReplay.ChunkSample]
            do {
                samples = try decoder(chunk)
            } catch {
                throw WALError(file: file, offset: offset, message: "decode head chunk of series \(s.ref) (chunks_head offset \(chunk.offset)): \(error)")
            }
            stats.mmappedChunks += 1
            for sample in samples {
                switch sample {
                case let .float(t, v): appendFloat(slot, t: t, v: v, fromChunk: true)
                case let .histogram(t, h): appendHistogram(slot, t: t, h: h, fromChunk: true)
                }
            }
            slots[slot].chunkMaxTime = max(slots[slot].chunkMaxTime, chunk.maxTime)
        }
    }

    /// The slot a sample goes to, or nil (counted) when it is to be skipped.
    private mutating func sampleSlot(ref: UInt64, t: Int64) -> Int? {
        if t < options.minValidTime {
            stats.samplesBeforeMinValidTime += 1
            return nil
        }
        guard let slot = slotByRef[ref] else {
            stats.unknownRefSamples += 1
            return nil
        }
        if t <= slots[slot].chunkMaxTime {
            stats.samplesCoveredByChunks += 1
            return nil
        }
        return slot
    }

    private mutating func appendFloat(_ slot: Int, t: Int64, v: Double, fromChunk: Bool) {
        do {
            if let ref = slots[slot].headRef {
                try head.append(ref: ref, t: t, v: v)
            } else {
                slots[slot].headRef = try head.append(slots[slot].labels, t: t, v: v)
            }
            if fromChunk { stats.mmappedSamples += 1 } else { stats.floatSamples += 1 }
        } catch {
            stats.droppedSamples += 1
        }
    }

    private mutating func appendHistogram(_ slot: Int, t: Int64, h: FloatHistogram, fromChunk: Bool) {
        if h.validationError != nil {
            stats.invalidHistograms += 1
            return
        }
        do {
            slots[slot].headRef = try head.appendHistogram(slots[slot].labels, t: t, h: h)
            if fromChunk { stats.mmappedSamples += 1 } else { stats.histogramSamples += 1 }
        } catch {
            stats.droppedSamples += 1
        }
    }

    mutating func resolveTombstones() {
        for t in pendingTombstones {
            guard let slot = slotByRef[t.ref] else {
                stats.unknownRefSamples += 1
                continue
            }
            stats.tombstones.append(.init(labels: slots[slot].labels, minTime: t.minTime, maxTime: t.maxTime))
        }
    }
}
