/// A byte size with base-2 units (`512MB` = 512 MiB), alecthomas/units' `Base2Bytes`, as `body_size_limit`
/// and `storage.tsdb.retention.size` take it. A unit is required (`100` is an error, `0` is not).
public struct Base2Bytes: Sendable, Hashable, Comparable, CustomStringConvertible, YAMLDecodable {
    public var bytes: Int64
    public init(bytes: Int64) { self.bytes = bytes }
    public static let zero = Base2Bytes(bytes: 0)
    public static var goTypeName: String { "units.Base2Bytes" }
    public static func < (a: Base2Bytes, b: Base2Bytes) -> Bool { a.bytes < b.bytes }

    private static func unitMap(_ suffix: String) -> [String: Double] {
        var m: [String: Double] = ["B": 1]
        var scale = 1.0
        for p in ["K", "M", "G", "T", "P", "E"] {
            scale *= 1024
            m[p + suffix] = scale
        }
        return m
    }
    private static let iecUnits = unitMap("iB")
    private static let oldUnits = unitMap("B")

    /// `units.ParseBase2Bytes`: both `KiB` and `KB` mean 1024.
    public static func parse(_ s: String) -> Result<Base2Bytes, ConfigError> {
        switch parseUnit(s, iecUnits) {
        case .success(let n): return .success(Base2Bytes(bytes: n))
        case .failure:
            return parseUnit(s, oldUnits).map { Base2Bytes(bytes: $0) }
        }
    }

    private static func parseUnit(_ orig: String, _ units: [String: Double]) -> Result<Int64, ConfigError> {
        var s = Array(orig.utf8)
        let invalid = ConfigError("units: invalid " + orig)
        var neg = false
        if let c = s.first, c == 0x2D || c == 0x2B {
            neg = c == 0x2D
            s.removeFirst()
        }
        if s == [0x30] { return .success(0) }
        if s.isEmpty { return .failure(invalid) }
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        var total = 0.0
        var i = 0
        while i < s.count {
            guard s[i] == 0x2E || isDigit(s[i]) else { return .failure(invalid) }
            var g = 0.0
            var x: Int64 = 0
            let start = i
            while i < s.count, isDigit(s[i]) {
                if x >= (Int64.max - 10) / 10 { return .failure(invalid) }
                x = x * 10 + Int64(s[i] - 0x30)
                i += 1
            }
            g = Double(x)
            let pre = i != start
            var post = false
            if i < s.count, s[i] == 0x2E {
                i += 1
                let fracStart = i
                var f: Int64 = 0
                var scale = 1.0
                while i < s.count, isDigit(s[i]) {
                    if f >= (Int64.max - 10) / 10 { return .failure(invalid) }
                    f = f * 10 + Int64(s[i] - 0x30)
                    scale *= 10
                    i += 1
                }
                g += Double(f) / scale
                post = i != fracStart
            }
            if !pre && !post { return .failure(invalid) }
            let unitStart = i
            while i < s.count, !(s[i] == 0x2E || isDigit(s[i])) { i += 1 }
            let u = String(decoding: s[unitStart..<i], as: UTF8.self)
            guard let unit = units[u] else {
                return .failure(ConfigError("units: unknown unit " + u + " in " + orig))
            }
            total += g * unit
        }
        if neg { total = -total }
        if total < -0x1p63 || total >= 0x1p63 { return .failure(ConfigError("units: overflow parsing unit")) }
        return .success(Int64(total))
    }

    public init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        if node.isNull { self = .zero; return }
        guard case .scalar(let text, _) = node.content else {
            decoder.cannotUnmarshal(node, into: Self.goTypeName)
            self = .zero
            return
        }
        var s = text
        if node.tag == "!!binary" { s = try String(yaml: node, decoder: decoder) }
        switch Base2Bytes.parse(s) {
        case .success(let b): self = b
        case .failure(let e): throw ConfigError(e.message, at: node.mark)
        }
    }

    /// `Base2Bytes.String()`: `1GiB512MiB`, `0B`.
    public var description: String {
        var n = bytes
        if n == 0 { return "0B" }
        let prefixes = ["", "K", "M", "G", "T", "P", "E"]
        var parts: [String] = []
        for (i, p) in prefixes.enumerated() {
            let r = n % 1024
            if r != 0 { parts.insert("\(r)\(p)\(i == 0 ? "B" : "iB")", at: 0) }
            n /= 1024
            if n == 0 { break }
        }
        return parts.joined()
    }
}
