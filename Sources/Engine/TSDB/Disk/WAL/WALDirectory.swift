import ConfigModel

/// The files of a WAL directory as Prometheus replays them: the newest `checkpoint.NNNNNNNN/` (itself a directory
/// of segments) first, then the numbered segments after it. Listing only; nothing is opened for writing.
public struct WALDirectory: Sendable, Equatable {
    /// A numbered segment file.
    public struct Segment: Sendable, Equatable {
        public var index: Int
        public var path: String
    }

    /// The directory listed.
    public var path: String
    /// The newest checkpoint's index (the last segment it covers); nil when there is none.
    public var checkpointIndex: Int?
    /// The newest checkpoint's segments, in order.
    public var checkpointSegments: [Segment]
    /// Segments to replay after the checkpoint, in order.
    public var segments: [Segment]

    /// Lists `path` (a `wal/` directory). Segment names are integers (Go's `strconv.Atoi`); they must be
    /// consecutive, as Prometheus requires ("segments are not sequential"). Segments the checkpoint covers are
    /// skipped; `.tmp` checkpoints (an interrupted checkpoint) are ignored.
    public init(path: String) throws(WALError) {
        self.path = path
        guard FileSystem.isDirectory(path) else {
            throw WALError(file: path, offset: nil, message: FileSystem.statError(path) ?? "not a directory")
        }
        let names = FileSystem.contents(ofDirectory: path)
        var best: (index: Int, name: String)?
        for name in names where name.hasPrefix("checkpoint.") {
            guard let idx = Int(name.dropFirst("checkpoint.".count)) else { continue }
            guard FileSystem.isDirectory(path + "/" + name) else {
                throw WALError(file: path + "/" + name, offset: nil, message: "checkpoint \(name) is not a directory")
            }
            if best == nil || idx > (best?.index ?? idx) { best = (idx, name) }
        }
        let all = try Self.listSegments(path, names: names)
        if let best {
            checkpointIndex = best.index
            checkpointSegments = try Self.listSegments(path + "/" + best.name, names: FileSystem.contents(ofDirectory: path + "/" + best.name))
            segments = all.filter { $0.index > best.index }
        } else {
            checkpointIndex = nil
            checkpointSegments = []
            segments = all
        }
    }

    private static func listSegments(_ dir: String, names: [String]) throws(WALError) -> [Segment] {
        var out: [Segment] = []
        for name in names {
            guard let idx = Int(name) else { continue }
            out.append(Segment(index: idx, path: dir + "/" + name))
        }
        out.sort { $0.index < $1.index }
        for (a, b) in zip(out, out.dropFirst()) where a.index &+ 1 != b.index {
            throw WALError(file: dir, offset: nil, message: "segments are not sequential")
        }
        return out
    }
}
