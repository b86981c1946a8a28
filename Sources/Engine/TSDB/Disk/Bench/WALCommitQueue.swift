import Dispatch
import Locking

/// The WAL side of `WriteBenchmark`: each commit's series and samples are encoded and written on a serial queue of
/// their own, in order, while the head appends the next commit (promtool's shards keep several cores busy too).
/// At most `depth` commits wait, so memory stays bounded. The first write failure is kept: later commits are
/// dropped, the next `submit` and `close()` report it.
// @unchecked: `wal` and the two encoders are only touched by blocks on `queue` (and by `close()` after the queue
// is drained); the failure is behind a mutex; the rest is immutable.
final class WALCommitQueue: @unchecked Sendable {
    private let wal: WALWriter
    private var samplesRecord = ByteWriter()
    private var seriesRecord = ByteWriter()
    private let queue = DispatchQueue(label: "promtool-swift.bench-wal")
    private let slots: DispatchSemaphore
    private let failure = SanitizedMutex<BlockWriteError?>(nil)

    init(wal: WALWriter, depth: Int = 4) {
        self.wal = wal
        slots = DispatchSemaphore(value: max(1, depth))
    }

    /// Queues one commit: a series record for `series` (when there are any), then a samples record.
    func submit(series: [WALSeries], samples: [WALSample]) throws(BenchWriteError) {
        try throwIfFailed()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            write(series: series, samples: samples)
        }
    }

    private func write(series: [WALSeries], samples: [WALSample]) {
        guard failure.withLock({ $0 == nil }) else { return }
        var records: [[UInt8]] = []
        if !series.isEmpty {
            seriesRecord.reset()
            WALRecordEncoder.series(series, into: &seriesRecord)
            records.append(seriesRecord.bytes)
        }
        samplesRecord.reset()
        WALRecordEncoder.samples(samples, into: &samplesRecord)
        records.append(samplesRecord.bytes)
        do {
            try wal.log(records)
        } catch {
            failure.withLock { $0 = error }
        }
    }

    private func throwIfFailed() throws(BenchWriteError) {
        if let error = failure.withLock({ $0 }) { throw BenchWriteError(error.description) }
    }

    /// Waits for every queued commit, then closes the WAL; reports the first failure.
    func close() throws(BenchWriteError) {
        queue.sync {}
        try throwIfFailed()
        do { try wal.close() } catch { throw BenchWriteError(error.description) }
    }
}
