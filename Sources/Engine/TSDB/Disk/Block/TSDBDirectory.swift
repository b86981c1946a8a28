import ConfigModel
import Locking

/// A Prometheus data directory opened read-only: its blocks (sub-directories named by a ULID, as Prometheus's
/// `blockDirs` selects them; anything else is skipped) sorted by min time, plus an optional in-memory `Head`
/// holding what the WAL replays. As a `SeriesSource` it lets the PromQL engine query the directory offline.
public final class TSDBDirectory: Sendable {
    public let path: String
    public let blocks: [Block]
    public let head: Head?
    /// The first read error met during `select` or while iterating its series (a `SeriesSource` cannot throw):
    /// callers check it after a query.
    private let failure = DiskReadFailure()

    /// Opens every block of `path`; a corrupt block is an error naming its file, unless a block that did open
    /// lists it among its compaction parents (Prometheus's read-only `Blocks()` ignores such a block: its data
    /// lives on in the merged block, and a running Prometheus is deleting it). When opening fails while the
    /// directory's listing changes under it (a Prometheus compacting), it is tried again, up to `openAttempts` times.
    public convenience init(path: String, head: Head? = nil) throws(DiskFormatError) {
        guard FileSystem.isDirectory(path) else { throw DiskFormatError(path: path, offset: nil, reason: "not a directory") }
        self.init(path: path, blocks: try Self.openBlocksRetrying(in: path), head: head)
    }

    private static func openBlocksRetrying(in path: String) throws(DiskFormatError) -> [Block] {
        for _ in 1..<openAttempts {
            let before = TSDBDirectoryListing(path: path)
            do {
                return try openBlocks(in: path)
            } catch {
                if TSDBDirectoryListing(path: path) == before { throw error }
            }
        }
        return try openBlocks(in: path)
    }

    /// How many times an open is tried while the directory changes under it. A Prometheus compacts every few
    /// hours (every few seconds at the shortest block range tests use), so a second attempt nearly always
    /// succeeds; the bound keeps a directory that never settles from looping forever.
    static let openAttempts = 5

    /// The blocks of `path`, sorted by min time then ULID, with Prometheus's rule for blocks that fail to open.
    private static func openBlocks(in path: String) throws(DiskFormatError) -> [Block] {
        var found: [Block] = []
        var failed: [(name: String, error: DiskFormatError)] = []
        for name in blockNames(in: path) {
            do {
                found.append(try Block(directory: path + "/" + name))
            } catch {
                failed.append((name, error))
            }
        }
        let superseded = Set(found.flatMap { $0.meta.compaction.parents.map(\.ulid) })
        if let unexplained = failed.first(where: { !superseded.contains($0.name) }) { throw unexplained.error }
        found.sort { ($0.meta.minTime, $0.meta.ulid) < ($1.meta.minTime, $1.meta.ulid) }
        return found
    }

    init(path: String, blocks: [Block], head: Head?) {
        self.path = path
        self.blocks = blocks
        self.head = head
    }

    /// Names of the block directories of `path`, sorted.
    public static func blockNames(in path: String) -> [String] {
        FileSystem.contents(ofDirectory: path).filter { BlockDirectoryName.isValid($0) && FileSystem.isRealDirectory(path + "/" + $0) }.sorted()
    }

    /// The block whose ULID carries the latest time (promtool's default block for `tsdb analyze`).
    public static func lastBlockName(in path: String) -> String? {
        var best: (UInt64, String)? = nil
        for n in FileSystem.contents(ofDirectory: path) where FileSystem.isRealDirectory(path + "/" + n) {
            guard let t = BlockDirectoryName.timestamp(n) else { continue }
            if let b = best, t <= b.0 { continue }
            best = (t, n)
        }
        return best?.1
    }

    /// The read error met by an earlier `select`, if any.
    public var readError: DiskFormatError? { failure.error }

    /// Every series matching `matchers` with its samples in [mint, maxt], merged across blocks and the head (one
    /// sample per timestamp, the first found winning, as Prometheus's merge keeps one of duplicates), sorted by
    /// labels.
    public func seriesSamples(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(DiskFormatError) -> [(labels: Labels, samples: [Sample])] {
        try taggedSeries(matchers, mint: mint, maxt: maxt).map { ($0.labels, $0.samples.map(\.sample)) }
    }

    func taggedSeries(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) throws(DiskFormatError) -> [(labels: Labels, samples: [TaggedSample])] {
        guard mint <= maxt else { return [] }
        var merged: [Labels: [TaggedSample]] = [:]
        var overlapped = false
        for b in blocks where b.meta.maxTime > mint && b.meta.minTime <= maxt {
            for ref in try b.index.postings(matching: matchers) {
                let (labels, metas) = try b.index.series(ref)
                let s = try b.taggedSamples(series: ref, chunks: metas, in: mint...maxt)
                if s.isEmpty { continue }
                if merged[labels] != nil { overlapped = true }
                merged[labels, default: []].append(contentsOf: s)
            }
        }
        if let head {
            for s in head.select(matchers, mint: mint, maxt: maxt) {
                let samples = s.samples(in: mint...maxt).map { x in
                    TaggedSample(sample: x, encoding: x.float == nil ? .floatHistogram : .xor)
                }
                if samples.isEmpty { continue }
                if merged[s.labels] != nil { overlapped = true }
                merged[s.labels, default: []].append(contentsOf: samples)
            }
        }
        var out: [(labels: Labels, samples: [TaggedSample])] = merged.map { (labels: $0.key, samples: $0.value) }
        if overlapped {
            for i in out.indices where !Self.isStrictlyIncreasing(out[i].samples) {
                var seen = Set<Int64>()
                let sorted = out[i].samples.enumerated().sorted { ($0.element.sample.t, $0.offset) < ($1.element.sample.t, $1.offset) }.map(\.element)
                out[i].samples = sorted.filter { seen.insert($0.sample.t).inserted }
            }
        }
        out.sort { tsdbLabelsLess($0.labels, $1.labels) }
        return out
    }

    private static func isStrictlyIncreasing(_ s: [TaggedSample]) -> Bool {
        var prev = Int64.min
        for (i, x) in s.enumerated() {
            if i > 0 && x.sample.t <= prev { return false }
            prev = x.sample.t
        }
        return true
    }
}

extension TSDBDirectory: SeriesSource {
    /// The series matching `matchers` with a sample in [mint, maxt], sorted by labels. Nothing is decoded here but
    /// the index entries: each series keeps, per block, the chunk references overlapping the window (and the
    /// block's tombstones for it), plus the head's series, and decodes them as the evaluator iterates it. A read
    /// error yields no series (or ends a series early) and is kept in `readError`.
    public func select(_ matchers: [LabelMatcher], mint: Int64, maxt: Int64) -> [Series] {
        guard mint <= maxt else { return [] }
        let window = mint...maxt
        var runs: [[SelectedPart]] = []
        do {
            for b in blocks where b.meta.maxTime > mint && b.meta.minTime <= maxt {
                var run: [SelectedPart] = []
                for ref in try b.index.postings(matching: matchers) {
                    let (labels, metas) = try b.index.series(ref)
                    guard let part = DiskSeriesPart(chunks: b.chunks, metas: metas, deleted: b.tombstones.intervals[ref] ?? [],
                                                    window: window) else { continue }
                    run.append(SelectedPart(labels: labels, part: part))
                }
                runs.append(run)
            }
        } catch {
            failure.record(error)
            return []
        }
        if let head {
            runs.append(head.select(matchers, mint: mint, maxt: maxt).compactMap { s in
                DiskSeriesPart(head: s).map { SelectedPart(labels: s.labels, part: $0) }
            })
        }
        var out: [Series] = []
        for (labels, parts) in Self.groupByLabels(runs) {
            let s = Series(labels: labels, disk: DiskSeries(parts: parts, failure: failure), mint: mint, maxt: maxt)
            if s.hasSamples { out.append(s) }
        }
        return out
    }

    /// One block's (or the head's) part of a selected series.
    struct SelectedPart {
        var labels: Labels
        var part: DiskSeriesPart
    }

    /// The parts of `runs` (one per block, then the head) grouped by label set, sorted by labels, each series' parts
    /// in run order. A block's series come in label order (Prometheus writes an index's series sorted, and the
    /// head selects them sorted), so the runs are merged one after another, no hashing or sorting of label sets;
    /// a run out of order (an index written otherwise) makes it sort everything instead.
    static func groupByLabels(_ runs: [[SelectedPart]]) -> [(labels: Labels, parts: [DiskSeriesPart])] {
        var merged: [(labels: Labels, parts: [DiskSeriesPart])] = []
        for run in runs {
            var next: [(labels: Labels, parts: [DiskSeriesPart])] = []
            next.reserveCapacity(max(merged.count, run.count))
            var i = 0, j = 0
            while i < merged.count || j < run.count {
                let c = i == merged.count ? 1 : (j == run.count ? -1 : tsdbLabelsCompare(merged[i].labels, run[j].labels))
                if c < 0 {
                    next.append(merged[i])
                    i += 1
                    continue
                }
                // The run's series must ascend strictly. A series equal to a merged one follows the run's previous
                // series (which was before that merged one or equal to an earlier one); a new one needs checking.
                if c != 0 && j > 0 && tsdbLabelsCompare(run[j - 1].labels, run[j].labels) >= 0 {
                    return sortedGroups(runs)
                }
                if c == 0 {
                    merged[i].parts.append(run[j].part)
                    next.append(merged[i])
                    i += 1
                } else {
                    next.append((run[j].labels, [run[j].part]))
                }
                j += 1
            }
            merged = next
        }
        return merged
    }

    /// `groupByLabels` for runs in any order: every part sorted by labels (run order kept among equals).
    private static func sortedGroups(_ runs: [[SelectedPart]]) -> [(labels: Labels, parts: [DiskSeriesPart])] {
        let all = runs.joined().enumerated().sorted { a, b in
            let c = tsdbLabelsCompare(a.element.labels, b.element.labels)
            return c != 0 ? c < 0 : a.offset < b.offset
        }
        var out: [(labels: Labels, parts: [DiskSeriesPart])] = []
        for (_, e) in all {
            if let last = out.last, tsdbLabelsCompare(last.labels, e.labels) == 0 {
                out[out.count - 1].parts.append(e.part)
            } else {
                out.append((e.labels, [e.part]))
            }
        }
        return out
    }
}

extension TSDBDirectory {
    /// Opens `path` with its head: the blocks, then (when `wal/` exists) the WAL and `chunks_head/` replayed into
    /// a fresh `Head`, keeping only samples after the newest block as Prometheus's head does. Read-only.
    ///
    /// On the directory of a running Prometheus the blocks and the head must come from the same moment: a head
    /// compaction between listing the blocks and reading the WAL writes a block we did not list and checkpoints
    /// away the WAL samples it took, which would leave a hole. So when the block listing changed while the
    /// directory was read, or a read failed while any listing (blocks, WAL, head chunks) changed, everything is
    /// read again, up to `openAttempts` times; then it is an error saying so.
    public static func openWithHead(path: String) throws(DiskFormatError) -> TSDBDirectory {
        for attempt in 1...openAttempts {
            let before = TSDBDirectoryListing(path: path)
            let dir: TSDBDirectory
            do {
                dir = try openWithHeadOnce(path: path)
            } catch {
                if attempt < openAttempts && TSDBDirectoryListing(path: path) != before { continue }
                throw error
            }
            if TSDBDirectoryListing(path: path).blocks == before.blocks { return dir }
        }
        throw DiskFormatError(path: path, offset: nil,
                              reason: "its blocks changed each of the \(openAttempts) times it was read (a Prometheus compacting it?); try again")
    }

    private static func openWithHeadOnce(path: String) throws(DiskFormatError) -> TSDBDirectory {
        let blocksOnly = try TSDBDirectory(path: path)
        guard FileSystem.isDirectory(path + "/wal") else { return blocksOnly }
        let head = Head()
        let newest = blocksOnly.blocks.map(\.meta.maxTime).max() ?? .min
        let options = WALReplay.Options(minValidTime: newest)
        do {
            try WALReplay.replay(directory: path, into: head, options: options)
        } catch {
            throw DiskFormatError(path: path + "/wal", offset: nil, reason: "\(error)")
        }
        return TSDBDirectory(blocks: blocksOnly, head: head)
    }

    private convenience init(blocks other: TSDBDirectory, head: Head) {
        self.init(path: other.path, blocks: other.blocks, head: head)
    }
}
