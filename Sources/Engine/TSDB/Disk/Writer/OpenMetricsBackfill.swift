#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GoCompat

/// `promtool tsdb create-blocks-from openmetrics`: turns an OpenMetrics file (every sample with a timestamp)
/// into TSDB blocks, one per block-duration range (2 h, or a larger range of Prometheus's series when
/// `--max-block-duration` asks for it), as promtool 3.x does: the same chunks, statistics, errors and output.
///
/// promtool parses the input once for its time range, then once per range; this reads it once, in pieces
/// (a file of any size), keeping every range's samples as compressed chunks until the end — memory grows
/// with the blocks' size, not the input's. Blocks are written in time order at the end, so a parse error
/// anywhere writes nothing (as promtool's first pass ensures) and an append error in one range writes the
/// ranges before it, then fails (as promtool's range loop does).
public struct OpenMetricsBackfill {
    /// A failure, worded as promtool prints it.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    public var outputDirectory: String
    /// `--max-block-duration` in milliseconds (0: the default 2 h).
    public var maxBlockDuration: Int64
    /// `--label name=value`: set on every series (an empty value removes the label).
    public var extraLabels: [(name: String, value: String)]

    public init(outputDirectory: String, maxBlockDuration: Int64 = 0, extraLabels: [(name: String, value: String)] = []) {
        self.outputDirectory = outputDirectory
        self.maxBlockDuration = maxBlockDuration
        self.extraLabels = extraLabels
    }

    /// Prometheus's default block duration: 2 h.
    public static let defaultBlockDuration: Int64 = 2 * 3600 * 1000

    /// The block duration promtool uses for `--max-block-duration`: 2 h, or the largest of 2 h × 3^k
    /// (k < 10) not above the requested one.
    public static func blockDuration(forMax maxDuration: Int64) -> Int64 {
        guard maxDuration > defaultBlockDuration else { return defaultBlockDuration }
        var ranges: [Int64] = []
        var r = defaultBlockDuration
        for _ in 0..<10 {
            ranges.append(r)
            r &*= 3
        }
        var pick = ranges.count - 1
        for (i, v) in ranges.enumerated() where v > maxDuration {
            pick = i - 1
            break
        }
        return ranges[max(0, pick)]
    }

    /// Reads `inputPath`, writes the blocks, and hands each one (in time order) to `written` as soon as it is
    /// in place.
    public func run(inputPath: String, written: (WrittenBlock) -> Void) throws(Failure) {
        let fd = open(inputPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure((errno == ENOENT ? "stat " : "open ") + "\(inputPath): \(GoErrno.text(errno))")
        }
        defer { close(fd) }
        do {
            try BlockDirectory.makeDirectory(outputDirectory)
        } catch {
            throw Failure("create output dir: \(error.message)")
        }

        let duration = Self.blockDuration(forMax: maxBlockDuration)
        var sink = Sink(duration: duration, extraLabels: extraLabels)
        var pieces = ExpositionPieceReader(fd: fd, path: inputPath)
        do {
            try OpenMetricsParser(options: .init(skipCreatedSeries: false, validate: false)).parse(
                reading: { (buffer: inout [UInt8]) throws(ExpositionError) -> Bool in try pieces.next(&buffer) }, into: &sink)
        } catch {
            if sink.missingTimestamp { throw Failure("getting min and max timestamp: expected timestamp for series got none") }
            let position = error.line > 0 ? "\(inputPath):\(error.line):\(error.column): " : ""
            throw Failure("getting min and max timestamp: next: \(position)\(error.message)")
        }
        if sink.missingTimestamp { throw Failure("getting min and max timestamp: expected timestamp for series got none") }
        guard sink.sawSample else { return }

        // promtool's ranges start at the earliest timestamp rounded towards zero to the duration: a range
        // before that (negative times only) is never visited.
        let firstStart = duration &* (sink.minTime / duration)
        for w in sink.windowOrder() where sink.windows[w].start >= firstStart {
            if let failure = sink.windows[w].failure {
                throw Failure("block creation: process blocks: add sample: \(failure)")
            }
            var series = sink.windows[w].takeBlockSeries()
            let minTime = sink.windows[w].minTime
            let maxTime = sink.windows[w].maxTime
            do {
                if let block = try BlockWriter.write(series: &series, minTime: minTime, maxTime: maxTime == .max ? .max : maxTime + 1,
                                                     into: outputDirectory) {
                    written(block)
                }
            } catch {
                throw Failure("block creation: process blocks: flush: compactor write: \(error.message)")
            }
        }
    }

    /// Receives the parser's samples and appends each to its range's window.
    struct Sink: ExpositionSink {
        let duration: Int64
        let extraLabels: [(name: String, value: String)]
        var windows: [BackfillWindow] = []
        var windowIndex: [Int64: Int] = [:]
        var missingTimestamp = false
        var sawSample = false
        var minTime: Int64 = .max
        var maxTime: Int64 = .min
        /// The previous sample's series: its key and sorted labels, and where it went.
        var lastKey = SeriesKey([])
        var lastLabels: [(name: String, value: String)] = []
        var lastWindow = -1
        var lastSeries: Int32 = -1

        init(duration: Int64, extraLabels: [(name: String, value: String)]) {
            self.duration = duration
            self.extraLabels = extraLabels
        }

        mutating func metadata(_ metadata: ExpositionMetadata) {}

        mutating func sample(_ s: ExpositionSample) {
            guard !missingTimestamp else { return }
            guard let t = s.timestampMs else {
                missingTimestamp = true
                return
            }
            sawSample = true
            minTime = min(minTime, t)
            maxTime = max(maxTime, t)
            let start = Self.floorDiv(t, duration) &* duration
            let w: Int
            if let i = windowIndex[start] {
                w = i
            } else {
                w = windows.count
                windows.append(BackfillWindow(start: start, chunkRange: duration &* 2))
                windowIndex[start] = w
            }
            if windows[w].failure != nil { return }
            let series: Int32
            if s.sameSeriesAsPrevious && lastSeries >= 0 {
                series = w == lastWindow ? lastSeries : windows[w].seriesIndex(key: lastKey, labels: lastLabels)
            } else {
                lastLabels = labels(of: s)
                lastKey = SeriesKey(lastLabels)
                series = windows[w].seriesIndex(key: lastKey, labels: lastLabels)
            }
            lastWindow = w
            lastSeries = series
            windows[w].append(series: series, t: t, v: s.value)
        }

        /// The sample's labels with `--label`s applied, empty values dropped, sorted by name (bytewise).
        func labels(of s: ExpositionSample) -> [(name: String, value: String)] {
            var out: [(name: String, value: String)] = []
            out.reserveCapacity(s.labels.count + extraLabels.count)
            for l in s.labels where !extraLabels.contains(where: { $0.name.utf8.elementsEqual(l.name.utf8) }) {
                out.append((l.name, l.value))
            }
            out.append(contentsOf: extraLabels)
            out.removeAll { $0.value.isEmpty }
            out.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            return out
        }

        /// The windows in time order.
        func windowOrder() -> [Int] {
            windows.indices.sorted { windows[$0].start < windows[$1].start }
        }

        static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
            let q = a / b
            return (a % b != 0 && (a < 0) != (b < 0)) ? q &- 1 : q
        }
    }
}
