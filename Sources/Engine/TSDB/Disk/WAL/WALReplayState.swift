/// The bookkeeping of one `WALReplay`: WAL refs to series (several refs may name the same labels, as after a
/// series was recreated), the newest time covered by replayed chunks, the out-of-order data and tombstones waiting
/// for the end of the replay, and the counters.
struct WALReplayState {
    struct Slot {
        var labels: Labels
        var headRef: SeriesRef?
        var chunkMaxTime: Int64 = .min
        /// Samples of out-of-order chunks from `chunks_head/`, in chunk order.
        var oooChunkSamples: [Sample] = []
        /// The out-of-order head chunk rebuilt from `wbl/`: sorted by time, one sample per timestamp.
        var oooHead: [Sample] = []
    }

    let head: Head
    let options: WALReplay.Options
    var stats = WALReplayStats()
    var slots: [Slot] = []
    var slotByRef: [UInt64: Int] = [:]
    var slotByLabels: [Labels: Int] = [:]
    /// Head chunks (and the file each came from) by WAL series ref, waiting for their series record.
    var chunksByRef: [UInt64: [(chunk: HeadChunkRecord, file: String)]] = [:]
    /// Out-of-order head chunks by WAL series ref (merged at the end).
    var oooChunksByRef: [UInt64: [(chunk: HeadChunkRecord, file: String)]] = [:]
    /// The ref (file sequence << 32 | offset) of the last chunk in `chunks_head/`: write-behind-log mmap markers
    /// past it name chunks that were never written, so they clear nothing.
    var lastChunkRef: UInt64 = 0
    var pendingTombstones: [WALTombstone] = []

    init(head: Head, options: WALReplay.Options) {
        self.head = head
        self.options = options
    }

    /// Reads `chunks_head/` file by file. A file failing its checks at a record (torn by a crash, or being written
    /// by a running Prometheus: its chunk writer flushes a buffer that may end inside a record) is set aside with
    /// every later file, as Prometheus's start-up repair deletes them (`DeleteCorrupted`); the WAL, which still holds
    /// every head sample, then supplies their samples.
    mutating func loadChunks(_ dir: String) throws(WALError) {
        for entry in HeadChunkFile.files(in: dir) {
            var records: [HeadChunkRecord] = []
            do throws(WALError) {
                try HeadChunkFile.forEachChunk(path: entry.path) { (chunk) throws(WALError) in records.append(chunk) }
            } catch {
                guard HeadChunkFile.isRecordCorruption(error) else { throw error }
                stats.headChunkCorruption = error.description
                return
            }
            for chunk in records {
                lastChunkRef = UInt64(UInt32(truncatingIfNeeded: entry.index)) << 32 | UInt64(UInt32(truncatingIfNeeded: chunk.offset))
                if chunk.isOutOfOrder {
                    if options.outOfOrder { oooChunksByRef[chunk.seriesRef, default: []].append((chunk, entry.path)) }
                    continue
                }
                if chunk.maxTime < options.minValidTime { continue }
                chunksByRef[chunk.seriesRef, default: []].append((chunk, entry.path))
            }
        }
    }

    /// Applies a decoded chunk snapshot: its series (with the memory-mapped chunks waiting for them), then each
    /// series' snapshot head chunk unless a memory-mapped chunk reaches into it (Prometheus drops the head chunk
    /// then, the chunk having been written to disk after the snapshot), then its tombstones.
    mutating func apply(snapshot records: [ChunkSnapshot.Record], path: String) throws(WALError) {
        for record in records {
            switch record {
            case .series(let ref, let labels, let chunk):
                stats.snapshotSeries += 1
                let slot = try addSeries(WALSeries(ref: ref, labels: labels))
                guard let chunk, chunk.minTime > slots[slot].chunkMaxTime else { continue }
                guard let encoding = ChunkEncoding(rawValue: chunk.encoding) else { continue }
                let samples: [Sample]
                do {
                    samples = try ChunkSamples.decode(encoding: encoding, bytes: chunk.data)
                } catch {
                    throw WALError(file: path, offset: nil, message: "decode head chunk of series \(ref): \(error)")
                }
                for sample in samples where sample.t >= options.minValidTime {
                    switch sample.value {
                    case .float(let v): appendFloat(slot, t: sample.t, v: v, counter: \.snapshotSamples)
                    case .histogram(let h): appendHistogram(slot, t: sample.t, h: h, counter: \.snapshotSamples)
                    }
                }
            case .tombstones(let list):
                pendingTombstones.append(contentsOf: list)
            case .exemplars(let list):
                stats.exemplars += list.count
            }
        }
    }

    mutating func apply(_ record: [UInt8], file: String, offset: Int) throws(WALError) {
        stats.records += 1
        guard WALRecordDecoder.type(of: record) != nil else {
            stats.unknownRecords += 1
            return
        }
        switch try Self.decode(record, file: file, offset: offset) {
        case .series(let list):
            for s in list { try addSeries(s) }
        case .samples(let list):
            for s in list {
                guard let slot = sampleSlot(ref: s.ref, t: s.t) else { continue }
                appendFloat(slot, t: s.t, v: s.v, counter: \.floatSamples)
            }
        case .histogramSamples(let list):
            for s in list {
                guard let slot = sampleSlot(ref: s.ref, t: s.t) else { continue }
                appendHistogram(slot, t: s.t, h: s.histogram, counter: \.histogramSamples)
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

    /// A write-behind-log record (`loadWBL`): samples and histograms go into their series' out-of-order head chunk
    /// (sorted, the first sample of a timestamp kept); an mmap marker says everything before it is in out-of-order
    /// chunks already read, so the out-of-order head chunk starts afresh. Series records never appear here; other
    /// records are ignored as Prometheus ignores them.
    mutating func applyWBL(_ record: [UInt8], file: String, offset: Int) throws(WALError) {
        guard let type = WALRecordDecoder.type(of: record),
              [.samples, .samplesV2, .mmapMarkers, .histogramSamples, .floatHistogramSamples, .customBucketsHistogramSamples,
               .customBucketsFloatHistogramSamples, .histogramSamplesV2, .floatHistogramSamplesV2].contains(type) else { return }
        stats.records += 1
        switch try Self.decode(record, file: file, offset: offset) {
        case .samples(let list):
            for s in list { insertOutOfOrder(ref: s.ref, Sample(t: s.t, value: .float(s.v))) }
        case .histogramSamples(let list):
            for s in list where s.histogram.validationError == nil {
                insertOutOfOrder(ref: s.ref, Sample(t: s.t, value: .histogram(s.histogram)))
            }
        case .mmapMarkers(let list):
            for m in list {
                stats.mmapMarkers += 1
                // Markers of chunks past the last one on disk were never written: nothing to clear.
                guard m.mmapRef <= lastChunkRef, let slot = slotByRef[m.ref] else { continue }
                stats.outOfOrderSamples -= slots[slot].oooHead.count
                slots[slot].oooHead.removeAll()
            }
        default:
            break
        }
    }

    /// A record decoded, or an error naming the segment and the record's offset in it.
    private static func decode(_ record: [UInt8], file: String, offset: Int) throws(WALError) -> WALRecord {
        do throws(WALRecordDecoder.Error) {
            return try WALRecordDecoder.decode(record)
        } catch {
            throw WALError(file: file, offset: offset, message: error.description)
        }
    }

    private mutating func insertOutOfOrder(ref: UInt64, _ sample: Sample) {
        guard let slot = slotByRef[ref] else {
            stats.unknownRefSamples += 1
            return
        }
        // Binary search for the first sample at or after `sample.t`.
        var lo = 0, hi = slots[slot].oooHead.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if slots[slot].oooHead[mid].t < sample.t { lo = mid + 1 } else { hi = mid }
        }
        if lo < slots[slot].oooHead.count && slots[slot].oooHead[lo].t == sample.t { return }
        slots[slot].oooHead.insert(sample, at: lo)
        stats.outOfOrderSamples += 1
    }

    @discardableResult
    private mutating func addSeries(_ s: WALSeries) throws(WALError) -> Int {
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
        if let ooo = oooChunksByRef.removeValue(forKey: s.ref) {
            for (chunk, chunkFile) in ooo {
                let samples = try Self.decode(chunk, file: chunkFile, series: s.ref)
                stats.outOfOrderChunks += 1
                stats.outOfOrderChunkSamples += samples.count
                slots[slot].oooChunkSamples.append(contentsOf: samples)
            }
        }
        guard let chunks = chunksByRef.removeValue(forKey: s.ref) else { return slot }
        for (chunk, chunkFile) in chunks.sorted(by: { $0.chunk.minTime < $1.chunk.minTime }) {
            let samples = try Self.decode(chunk, file: chunkFile, series: s.ref)
            stats.mmappedChunks += 1
            for sample in samples {
                switch sample.value {
                case .float(let v): appendFloat(slot, t: sample.t, v: v, counter: \.mmappedSamples)
                case .histogram(let h): appendHistogram(slot, t: sample.t, h: h, counter: \.mmappedSamples)
                }
            }
            slots[slot].chunkMaxTime = max(slots[slot].chunkMaxTime, chunk.maxTime)
        }
        return slot
    }

    private static func decode(_ chunk: HeadChunkRecord, file: String, series: UInt64) throws(WALError) -> [Sample] {
        guard let encoding = ChunkEncoding(rawValue: chunk.encoding) else {
            throw WALError(file: file, offset: chunk.offset, message: "unknown chunk encoding \(chunk.encoding)")
        }
        do {
            return try ChunkSamples.decode(encoding: encoding, bytes: chunk.data)
        } catch {
            throw WALError(file: file, offset: chunk.offset, message: "decode chunk of series \(series): \(error)")
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

    private mutating func appendFloat(_ slot: Int, t: Int64, v: Double, counter: WritableKeyPath<WALReplayStats, Int>) {
        do {
            if let ref = slots[slot].headRef {
                try head.append(ref: ref, t: t, v: v)
            } else {
                slots[slot].headRef = try head.append(slots[slot].labels, t: t, v: v)
            }
            stats[keyPath: counter] += 1
        } catch {
            stats.droppedSamples += 1
        }
    }

    private mutating func appendHistogram(_ slot: Int, t: Int64, h: FloatHistogram, counter: WritableKeyPath<WALReplayStats, Int>) {
        if h.validationError != nil {
            stats.invalidHistograms += 1
            return
        }
        do {
            slots[slot].headRef = try head.appendHistogram(slots[slot].labels, t: t, h: h)
            stats[keyPath: counter] += 1
        } catch {
            stats.droppedSamples += 1
        }
    }

    /// Resolves tombstones and out-of-order chunks left without a series, then rewrites each series that has
    /// out-of-order samples or deletions: in-order samples, then out-of-order chunks, then the out-of-order head
    /// chunk, merged by time (the first of a timestamp kept), minus the samples under tombstones.
    mutating func finish() {
        // Out-of-order chunks whose series record never came are unknown references.
        for (_, list) in oooChunksByRef { stats.unknownRefSamples += list.count }
        oooChunksByRef = [:]
        var deleted = Tombstones()
        for t in pendingTombstones {
            guard let slot = slotByRef[t.ref] else {
                stats.unknownRefSamples += 1
                continue
            }
            stats.tombstones.append(.init(labels: slots[slot].labels, minTime: t.minTime, maxTime: t.maxTime))
            if t.minTime <= t.maxTime { deleted.add(UInt64(slot), t.minTime...t.maxTime) }
        }
        for slot in slots.indices {
            let outOfOrder = slots[slot].oooChunkSamples + slots[slot].oooHead
            let stones = deleted.intervals[UInt64(slot)] ?? []
            guard !outOfOrder.isEmpty || !stones.isEmpty else { continue }
            if slots[slot].headRef == nil, let first = outOfOrder.first {
                // A series with only out-of-order samples: create it with one, the rewrite below puts the rest in.
                switch first.value {
                case .float(let v): slots[slot].headRef = try? head.append(slots[slot].labels, t: first.t, v: v)
                case .histogram(let h): slots[slot].headRef = try? head.appendHistogram(slots[slot].labels, t: first.t, h: h)
                }
            }
            guard let ref = slots[slot].headRef else { continue }
            var removed = 0
            head.rewriteSamples(of: ref) { inOrder in
                var merged = inOrder + outOfOrder
                if !outOfOrder.isEmpty {
                    // Stable, so at equal times in-order samples come first and are the ones kept.
                    merged = merged.enumerated().sorted { ($0.element.t, $0.offset) < ($1.element.t, $1.offset) }.map(\.element)
                }
                let kept = merged.filter { sample in !stones.contains { $0.contains(sample.t) } }
                removed = merged.count - kept.count
                return kept
            }
            stats.deletedSamples += removed
        }
    }
}
