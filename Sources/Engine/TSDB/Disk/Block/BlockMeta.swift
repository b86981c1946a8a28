import ConfigModel
import GoCompat

/// A block's `meta.json` (Prometheus's `tsdb.BlockMeta`): its ULID, the time range it covers ([minTime, maxTime),
/// maxTime exclusive), statistics, and compaction lineage. Parsed strictly as Prometheus does (version must be 1)
/// and written back byte-for-byte as Go's `json.MarshalIndent(meta, "", "\t")` would, so blocks we write carry
/// the same file promtool writes.
public struct BlockMeta: Sendable, Equatable {
    /// Counts recorded when the block was written (omitted from JSON when zero).
    public struct Stats: Sendable, Equatable {
        public var numSamples: UInt64 = 0
        public var numFloatSamples: UInt64 = 0
        public var numHistogramSamples: UInt64 = 0
        public var numSeries: UInt64 = 0
        public var numChunks: UInt64 = 0
        public var numTombstones: UInt64 = 0
        public init() {}
    }

    /// A parent block of a compaction.
    public struct BlockDesc: Sendable, Equatable {
        public var ulid: String
        public var minTime: Int64
        public var maxTime: Int64
        public init(ulid: String, minTime: Int64, maxTime: Int64) {
            self.ulid = ulid
            self.minTime = minTime
            self.maxTime = maxTime
        }
    }

    /// How the block came to be.
    public struct Compaction: Sendable, Equatable {
        public var level: Int = 1
        public var sources: [String] = []
        public var deletable = false
        public var parents: [BlockDesc] = []
        public var failed = false
        public var hints: [String] = []
        public init() {}
    }

    /// Why a meta.json could not be read, with the file and position.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    public var ulid: String
    public var minTime: Int64
    public var maxTime: Int64
    public var stats: Stats
    public var compaction: Compaction
    public var version: Int

    public init(ulid: String, minTime: Int64, maxTime: Int64, stats: Stats = Stats(), compaction: Compaction = Compaction(), version: Int = 1) {
        self.ulid = ulid
        self.minTime = minTime
        self.maxTime = maxTime
        self.stats = stats
        self.compaction = compaction
        self.version = version
    }

    /// Reads `<dir>/meta.json`.
    public static func read(directory dir: String) throws(ParseError) -> BlockMeta {
        let path = dir + "/meta.json"
        switch FileSystem.readFile(path) {
        case .success(let bytes): return try parse(bytes, path: path)
        case .failure(let e): throw ParseError(path: path, message: e.message)
        }
    }

    /// Parses meta.json bytes; `path` names the file in errors.
    public static func parse(_ bytes: [UInt8], path: String = "meta.json") throws(ParseError) -> BlockMeta {
        let root: Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw ParseError(path: path, message: "\(error.mark.line):\(error.mark.column): \(error.message)")
        }
        let d = Decoder(path: path)
        guard case .mapping = root.content else { throw d.fail("json: cannot unmarshal \(d.kind(root)) into Go value of type tsdb.BlockMeta", root) }
        var meta = BlockMeta(ulid: "00000000000000000000000000", minTime: 0, maxTime: 0, version: 0)
        if let n = root["ulid"] { meta.ulid = try d.ulid(n, field: "BlockMeta.ulid") }
        if let n = root["minTime"] { meta.minTime = try d.int64(n, field: "BlockMeta.minTime") }
        if let n = root["maxTime"] { meta.maxTime = try d.int64(n, field: "BlockMeta.maxTime") }
        if let s = root["stats"], s.tag != "!!null" {
            guard case .mapping = s.content else { throw d.fail("json: cannot unmarshal \(d.kind(s)) into Go struct field BlockMeta.stats of type tsdb.BlockStats", s) }
            func u(_ key: String) throws(ParseError) -> UInt64 {
                guard let n = s[key] else { return 0 }
                return try d.uint64(n, field: "BlockMeta.stats.\(key)")
            }
            meta.stats.numSamples = try u("numSamples")
            meta.stats.numFloatSamples = try u("numFloatSamples")
            meta.stats.numHistogramSamples = try u("numHistogramSamples")
            meta.stats.numSeries = try u("numSeries")
            meta.stats.numChunks = try u("numChunks")
            meta.stats.numTombstones = try u("numTombstones")
        }
        if let c = root["compaction"], c.tag != "!!null" {
            guard case .mapping = c.content else { throw d.fail("json: cannot unmarshal \(d.kind(c)) into Go struct field BlockMeta.compaction of type tsdb.BlockMetaCompaction", c) }
            if let n = c["level"] { meta.compaction.level = Int(try d.int64(n, field: "BlockMeta.compaction.level")) } else { meta.compaction.level = 0 }
            if let n = c["sources"] { meta.compaction.sources = try d.array(n, field: "BlockMeta.compaction.sources") { (x) throws(ParseError) in try d.ulid(x, field: "BlockMeta.compaction.sources") } }
            if let n = c["deletable"] { meta.compaction.deletable = try d.bool(n, field: "BlockMeta.compaction.deletable") }
            if let n = c["failed"] { meta.compaction.failed = try d.bool(n, field: "BlockMeta.compaction.failed") }
            if let n = c["hints"] { meta.compaction.hints = try d.array(n, field: "BlockMeta.compaction.hints") { (x) throws(ParseError) in try d.string(x, field: "BlockMeta.compaction.hints") } }
            if let n = c["parents"] {
                meta.compaction.parents = try d.array(n, field: "BlockMeta.compaction.parents") { (p) throws(ParseError) in
                    guard case .mapping = p.content else { throw d.fail("json: cannot unmarshal \(d.kind(p)) into Go struct field BlockMetaCompaction.compaction.parents of type tsdb.BlockDesc", p) }
                    var b = BlockDesc(ulid: "00000000000000000000000000", minTime: 0, maxTime: 0)
                    if let x = p["ulid"] { b.ulid = try d.ulid(x, field: "BlockDesc.ulid") }
                    if let x = p["minTime"] { b.minTime = try d.int64(x, field: "BlockDesc.minTime") }
                    if let x = p["maxTime"] { b.maxTime = try d.int64(x, field: "BlockDesc.maxTime") }
                    return b
                }
            }
        } else {
            meta.compaction.level = 0
        }
        if let n = root["version"] { meta.version = Int(try d.int64(n, field: "BlockMeta.version")) }
        guard meta.version == 1 else { throw ParseError(path: path, message: "unexpected meta file version \(meta.version)") }
        return meta
    }

    /// Go's `json.MarshalIndent(meta, "", "\t")` of this meta (no trailing newline, as Prometheus writes it).
    public func jsonText() -> String {
        var o = "{\n\t\"ulid\": \(goJSONString(ulid)),\n\t\"minTime\": \(minTime),\n\t\"maxTime\": \(maxTime),\n\t\"stats\": "
        let statFields: [(String, UInt64)] = [
            ("numSamples", stats.numSamples), ("numFloatSamples", stats.numFloatSamples),
            ("numHistogramSamples", stats.numHistogramSamples), ("numSeries", stats.numSeries),
            ("numChunks", stats.numChunks), ("numTombstones", stats.numTombstones),
        ].filter { $0.1 != 0 }
        if statFields.isEmpty {
            o += "{}"
        } else {
            o += "{\n" + statFields.map { "\t\t\"\($0.0)\": \($0.1)" }.joined(separator: ",\n") + "\n\t}"
        }
        var comp = ["\t\t\"level\": \(compaction.level)"]
        if !compaction.sources.isEmpty {
            comp.append("\t\t\"sources\": [\n" + compaction.sources.map { "\t\t\t" + goJSONString($0) }.joined(separator: ",\n") + "\n\t\t]")
        }
        if compaction.deletable { comp.append("\t\t\"deletable\": true") }
        if !compaction.parents.isEmpty {
            let items = compaction.parents.map {
                "\t\t\t{\n\t\t\t\t\"ulid\": \(goJSONString($0.ulid)),\n\t\t\t\t\"minTime\": \($0.minTime),\n\t\t\t\t\"maxTime\": \($0.maxTime)\n\t\t\t}"
            }
            comp.append("\t\t\"parents\": [\n" + items.joined(separator: ",\n") + "\n\t\t]")
        }
        if compaction.failed { comp.append("\t\t\"failed\": true") }
        if !compaction.hints.isEmpty {
            comp.append("\t\t\"hints\": [\n" + compaction.hints.map { "\t\t\t" + goJSONString($0) }.joined(separator: ",\n") + "\n\t\t]")
        }
        o += ",\n\t\"compaction\": {\n" + comp.joined(separator: ",\n") + "\n\t},\n\t\"version\": \(version)\n}"
        return o
    }
}

/// Field decoding with `encoding/json`'s error wording.
private struct Decoder {
    let path: String

    func fail(_ message: String, _ node: Node) -> BlockMeta.ParseError {
        BlockMeta.ParseError(path: path, message: "\(node.mark.line):\(node.mark.column): \(message)")
    }

    func kind(_ n: Node) -> String {
        switch n.content {
        case .mapping: return "object"
        case .sequence: return "array"
        case .scalar:
            switch n.tag {
            case "!!float": return "number"
            case "!!bool": return "bool"
            case "!!null": return "null"
            default: return "string"
            }
        }
    }

    private func number(_ n: Node, field: String, type: String) throws(BlockMeta.ParseError) -> String {
        guard n.tag == "!!float", let s = n.scalarValue else {
            throw fail("json: cannot unmarshal \(kind(n)) into Go struct field \(field) of type \(type)", n)
        }
        return s
    }

    func int64(_ n: Node, field: String) throws(BlockMeta.ParseError) -> Int64 {
        if n.tag == "!!null" { return 0 }
        let s = try number(n, field: field, type: "int64")
        guard let v = Int64(s) else { throw fail("json: cannot unmarshal number \(s) into Go struct field \(field) of type int64", n) }
        return v
    }

    func uint64(_ n: Node, field: String) throws(BlockMeta.ParseError) -> UInt64 {
        if n.tag == "!!null" { return 0 }
        let s = try number(n, field: field, type: "uint64")
        guard let v = UInt64(s) else { throw fail("json: cannot unmarshal number \(s) into Go struct field \(field) of type uint64", n) }
        return v
    }

    func bool(_ n: Node, field: String) throws(BlockMeta.ParseError) -> Bool {
        if n.tag == "!!null" { return false }
        guard n.tag == "!!bool", let s = n.scalarValue else { throw fail("json: cannot unmarshal \(kind(n)) into Go struct field \(field) of type bool", n) }
        return s == "true"
    }

    func string(_ n: Node, field: String) throws(BlockMeta.ParseError) -> String {
        guard kind(n) == "string", let s = n.scalarValue else { throw fail("json: cannot unmarshal \(kind(n)) into Go struct field \(field) of type string", n) }
        return s
    }

    /// A ULID: 26 Crockford base32 characters, the first at most '7' (`ulid.UnmarshalText`).
    func ulid(_ n: Node, field: String) throws(BlockMeta.ParseError) -> String {
        let s = try string(n, field: field)
        let u = Array(s.utf8)
        guard u.count == 26 else { throw fail("ulid: bad data size when unmarshaling", n) }
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZabcdefghjkmnpqrstvwxyz".utf8)
        guard u.allSatisfy({ alphabet.contains($0) }) else { throw fail("ulid: bad data characters when unmarshaling", n) }
        guard u[0] <= UInt8(ascii: "7") else { throw fail("ulid: overflow when unmarshaling", n) }
        return s
    }

    func array<T>(_ n: Node, field: String, _ each: (Node) throws(BlockMeta.ParseError) -> T) throws(BlockMeta.ParseError) -> [T] {
        if n.tag == "!!null" { return [] }
        guard case .sequence(let items) = n.content else { throw fail("json: cannot unmarshal \(kind(n)) into Go struct field \(field) of type []", n) }
        var out: [T] = []
        for x in items { out.append(try each(x)) }
        return out
    }
}
