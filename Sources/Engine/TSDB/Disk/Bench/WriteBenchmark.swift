#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// `tsdb bench write`'s work, as promtool 3.14 does it: scrapes of a fixed set of series appended to a head whose
/// commits are logged to a WAL (`storage/wal/`), then the storage closed so the directory is one Prometheus
/// starts on (it replays the WAL).
///
/// The scrapes follow `ingestScrapes`: in rounds of 100 scrapes, the series split into shards of 1,000; each shard
/// commits one scrape at a time, 30 s apart, every value starting at 123456789 and growing by 1,000 a scrape
/// (again from the start in each round, as promtool's shards do); the first commit of a series logs its series
/// record, every commit a samples record. Like promtool (`DisableCompactions`), nothing is compacted into blocks
/// while ingesting or on close, and the WAL is uncompressed (promtool opens the TSDB with zero options). We keep
/// the head's chunks in memory only (no `chunks_head/`), so Prometheus rebuilds them from the WAL on start.
/// Shards run one after another (promtool runs a round's shards in parallel goroutines); the WAL records are
/// encoded and written on a second thread (`WALCommitQueue`) while the head appends the next commit.
public final class WriteBenchmark {
    /// Milliseconds between two scrapes of a shard (promtool's `timeDelta`).
    public static let scrapeInterval: Int64 = 30_000
    /// Scrapes of a round, and series of a shard.
    public static let roundScrapes = 100
    public static let shardSize = 1_000

    /// The data directory (`OUT/storage`).
    public let storage: String
    /// The in-memory head the samples are appended to.
    public let head = Head()
    private let wal: WALCommitQueue

    /// Creates `storage` and its `wal/` (a fresh directory: start with `prepareOutput`).
    public init(storage: String, compression: WALWriteCompression = .none,
                segmentSize: Int = WALWriter.defaultSegmentSize) throws(BenchWriteError) {
        self.storage = storage
        do {
            wal = WALCommitQueue(wal: try WALWriter(directory: storage + "/wal", compression: compression, segmentSize: segmentSize))
        } catch {
            throw BenchWriteError(error.description)
        }
    }

    /// promtool's output directory handling: an empty `out` means a new temporary directory; otherwise `out` is
    /// removed with everything in it and created again. Returns the directory.
    public static func prepareOutput(_ out: String) throws(BenchWriteError) -> String {
        if out.isEmpty {
            let base = ProcessEnvironment.current()["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base + "/tsdb_benchXXXXXX").utf8CString)
            let made = template.withUnsafeMutableBufferPointer { buf in buf.baseAddress.flatMap { mkdtemp($0) } }
            guard made != nil else { throw BenchWriteError("mkdir \(base)/tsdb_bench: \(GoErrno.text(errno))") }
            return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        BlockDirectory.removeAll(out)
        do { try BlockDirectory.makeDirectory(out) } catch { throw BenchWriteError(error.description) }
        return out
    }

    /// Appends `scrapes` scrapes (rounded up to whole rounds of 100, as promtool does) of `series`; returns the
    /// number of samples appended.
    public func ingest(_ series: [Labels], scrapes: Int) throws(BenchWriteError) -> UInt64 {
        var total: UInt64 = 0
        var round = 0
        while round < scrapes {
            var shardStart = 0
            while shardStart < series.count {
                let shard = series[shardStart..<min(series.count, shardStart + Self.shardSize)]
                total &+= try ingestShard(shard, base: Self.scrapeInterval &* Int64(round))
                shardStart += Self.shardSize
            }
            let (next, overflow) = round.addingReportingOverflow(Self.roundScrapes)
            if overflow { break }
            round = next
        }
        return total
    }

    /// One round of one shard: `roundScrapes` commits, each applied to the head under one lock and queued for the
    /// WAL (the shard's new series in a series record before its first samples record).
    private func ingestShard(_ shard: ArraySlice<Labels>, base: Int64) throws(BenchWriteError) -> UInt64 {
        var newSeries: [WALSeries] = []
        let members: [MemSeries]
        do {
            members = try head.withLock { () throws(TSDBError) -> [MemSeries] in
                var out: [MemSeries] = []
                out.reserveCapacity(shard.count)
                for labels in shard {
                    let (s, created) = try head.getOrCreateLocked(labels)
                    if created { newSeries.append(WALSeries(ref: s.ref, labels: labels)) }
                    out.append(s)
                }
                return out
            }
        } catch {
            throw BenchWriteError("append: \(error)")
        }
        var value: Int64 = 123_456_789
        var t = base
        for _ in 0..<Self.roundScrapes {
            t &+= Self.scrapeInterval
            value &+= 1_000
            let v = Double(value)
            // A fresh array each commit: the WAL queue owns the previous one until it is written.
            var samples: [WALSample] = []
            samples.reserveCapacity(members.count)
            let applied = head.withLock { () -> Result<Void, TSDBError> in
                for s in members {
                    do throws(TSDBError) {
                        if try s.checkFloat(t: t, v: v) == .append { head.appendFloatLocked(s, t: t, v: v) }
                    } catch {
                        return .failure(error)
                    }
                    samples.append(WALSample(ref: s.ref, startTime: 0, t: t, v: v))
                }
                return .success(())
            }
            if case .failure(let error) = applied { throw BenchWriteError("append: \(error)") }
            try wal.submit(series: newSeries, samples: samples)
            newSeries = []
        }
        return UInt64(members.count) &* UInt64(Self.roundScrapes)
    }

    /// Waits for the queued commits and closes the WAL (last page padded and written, segment synced): the storage
    /// directory is complete.
    public func close() throws(BenchWriteError) {
        do { try wal.close() } catch { throw BenchWriteError(error.description) }
    }
}
