#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ConfigModel
import Engine
import GoCompat

/// Loads `--input` files into an in-memory TSDB head: OpenMetrics (as `promtool tsdb create-blocks-from
/// openmetrics` reads it: timestamps in seconds, `# EOF`) or the Prometheus text format (timestamps in
/// milliseconds). Samples without a timestamp are taken at `defaultTime`. Each sample goes from the parser
/// straight into the head's appender (no intermediate list of samples), committed in batches; a file that
/// fails part-way leaves its earlier batches in the head (the command stops with the error anyway).
public struct InputLoader {
    /// A failed load: `FILE:LINE:COLUMN: message` (or `FILE: message` when the file cannot be read).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String {
            line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
        }
    }

    public let head: Head
    /// Used for samples that carry no timestamp (ms).
    public let defaultTime: Int64

    public init(head: Head, defaultTime: Int64) {
        self.head = head
        self.defaultTime = defaultTime
    }

    /// Which grammar a file is in: OpenMetrics when it ends with the `# EOF` line, else Prometheus text.
    public static func isOpenMetrics(_ bytes: [UInt8]) -> Bool {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20 { end -= 1 }
        let marker = Array("# EOF".utf8)
        guard end >= marker.count, Array(bytes[(end - marker.count)..<end]) == marker else { return false }
        return end == marker.count || bytes[end - marker.count - 1] == 0x0A
    }

    /// Loads one file (`-` for standard input is the caller's business: pass its bytes to `load(bytes:)`).
    /// A large file (OpenMetrics or text) is read and parsed a piece at a time, so memory stays small
    /// whatever its size; errors keep their file:line:column.
    public func load(path: String) throws(Failure) -> Int {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return try loadWhole(path: path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > Self.streamingThreshold else {
            return try loadWhole(path: path)
        }
        // The format is decided by the file's end: read its last bytes first.
        let size = Int(st.st_size)
        var tail = [UInt8](repeating: 0, count: Self.tailLength)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(size - Self.tailLength)) }
        guard got == Self.tailLength else { return try loadWhole(path: path) }
        let openMetrics = Self.isOpenMetrics(tail)

        var sink = HeadSink(appender: head.appender(), defaultTime: defaultTime)
        var pieces = ExpositionPieceReader(fd: fd, path: path)
        let nextPiece = { (buffer: inout [UInt8]) throws(ExpositionError) -> Bool in try pieces.next(&buffer) }
        do {
            if openMetrics {
                try OpenMetricsParser(options: .init(skipCreatedSeries: true, validate: false)).parse(reading: nextPiece, into: &sink)
            } else {
                try PrometheusTextParser().parse(reading: nextPiece, into: &sink)
            }
        } catch {
            sink.appender.rollback()
            throw Failure(file: path, line: error.line, column: error.column, message: error.message)
        }
        return try sink.finish(name: path)
    }

    /// Files up to this size are read whole (one read, no piecewise parsing).
    static let streamingThreshold = 8 << 20
    /// Bytes of the file's end read to decide its format.
    static let tailLength = 4096

    private func loadWhole(path: String) throws(Failure) -> Int {
        switch FileSystem.readFile(path) {
        case .success(let bytes): return try load(bytes: bytes, name: path)
        case .failure(let e): throw Failure(file: path, line: 0, column: 0, message: e.message)
        }
    }

    /// Parses `bytes` and appends every sample; returns the number of samples loaded.
    public func load(bytes: [UInt8], name: String) throws(Failure) -> Int {
        var sink = HeadSink(appender: head.appender(), defaultTime: defaultTime)
        do {
            if Self.isOpenMetrics(bytes) {
                try OpenMetricsParser(options: .init(skipCreatedSeries: true, validate: false)).parse(bytes, into: &sink)
            } else {
                try PrometheusTextParser().parse(bytes, into: &sink)
            }
        } catch {
            sink.appender.rollback()
            throw Failure(file: name, line: error.line, column: error.column, message: error.message)
        }
        return try sink.finish(name: name)
    }

    /// Appends what the parser hands over; remembers the first storage error (the parser cannot be
    /// stopped from a sink, so later samples are ignored once one failed).
    struct HeadSink: ExpositionSink {
        var appender: Appender
        let defaultTime: Int64
        var count = 0
        var failure: (line: Int, message: String)?
        /// The last label list seen and its series: consecutive samples of one series skip the lookup.
        var lastLabels: [ExpositionLabel] = []
        var lastRef: SeriesRef?

        init(appender: Appender, defaultTime: Int64) {
            self.appender = appender
            self.defaultTime = defaultTime
        }

        mutating func metadata(_ metadata: ExpositionMetadata) {}

        /// Commits what is left, or rolls back and throws the storage error; returns the sample count.
        mutating func finish(name: String) throws(Failure) -> Int {
            if let problem = failure {
                appender.rollback()
                throw Failure(file: name, line: problem.line, column: 1, message: problem.message)
            }
            appender.commit()
            return count
        }

        mutating func sample(_ s: ExpositionSample) {
            guard failure == nil else { return }
            let t = s.timestampMs ?? defaultTime
            do throws(TSDBError) {
                if let ref = lastRef, s.sameSeriesAsPrevious || sameLabels(s.labels) {
                    try appender.append(ref: ref, t: t, v: s.value)
                } else {
                    lastRef = try appender.append(Labels(s.labels.map { ($0.name, $0.value) }), t: t, v: s.value)
                    lastLabels = s.labels
                }
                count += 1
                // Committing in batches keeps the appender's queue (and memory) small on large files.
                if appender.pendingCount >= 1 << 16 { appender.commit() }
            } catch {
                failure = (s.line, "\(error) for series \(Labels(s.labels.map { ($0.name, $0.value) }))")
            }
        }

        func sameLabels(_ labels: [ExpositionLabel]) -> Bool {
            guard labels.count == lastLabels.count else { return false }
            for (a, b) in zip(labels, lastLabels) where a.name != b.name || a.value != b.value { return false }
            return true
        }
    }
}
