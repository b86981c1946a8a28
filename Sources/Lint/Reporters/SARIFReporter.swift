/// SARIF 2.1.0: one run whose `tool.driver.rules` lists every check, and one result per diagnostic.
public struct SARIFReporter: Sendable {
    public var catalogue: CheckCatalogue
    public var toolVersion: String

    public init(catalogue: CheckCatalogue, toolVersion: String) {
        self.catalogue = catalogue
        self.toolVersion = toolVersion
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        let infos = catalogue.infos
        var index: [CheckID: Int] = [:]
        for (i, info) in infos.enumerated() { index[info.id] = i }
        func message(_ text: String) -> JSONValue { .object([("text", .string(text))]) }
        let rules = infos.map { info in
            JSONValue.object([
                ("id", .string(info.id.rawValue)),
                ("name", .string(Self.ruleName(info.id))),
                ("shortDescription", message(info.summary)),
                ("fullDescription", message(info.doc)),
                ("help", message(info.doc)),
                ("defaultConfiguration", .object([("level", .string(info.defaultSeverity.sarifLevel))])),
            ])
        }
        let results = diagnostics.map { d in
            let region = JSONValue.object([
                ("startLine", .int(d.range.start.line)),
                ("startColumn", .int(d.range.start.column)),
                ("endLine", .int(d.range.end.line)),
                ("endColumn", .int(max(d.range.end.column, 1))),
            ])
            let physical = JSONValue.object([
                ("artifactLocation", .object([("uri", .string(Self.uri(d.file)))])),
                ("region", region),
            ])
            return JSONValue.object([
                ("ruleId", .string(d.check.rawValue)),
                ("ruleIndex", .int(index[d.check] ?? -1)),
                ("level", .string(d.severity.sarifLevel)),
                ("message", message(d.message)),
                ("locations", .array([.object([("physicalLocation", physical)])])),
            ])
        }
        let driver = JSONValue.object([
            ("name", .string("promtool-swift")),
            ("version", .string(toolVersion)),
            ("informationUri", .string(LintInfo.informationURI)),
            ("rules", .array(rules)),
        ])
        let log = JSONValue.object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([("tool", .object([("driver", driver)])), ("results", .array(results))])])),
        ])
        return log.rendered() + "\n"
    }

    /// A SARIF rule `name`: the id in PascalCase (`interval/rate-window` → `IntervalRateWindow`).
    static func ruleName(_ id: CheckID) -> String {
        id.rawValue.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative or absolute file path as a URI reference: UTF-8 bytes percent-encoded (upper-case hex)
    /// except unreserved characters, sub-delimiters other than `;`, `@` and `/` (as Foundation's
    /// `urlPathAllowed` without `:`, which keeps relative paths from looking like a scheme).
    static func uri(_ path: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for b in path.utf8 {
            if uriPathAllowed(b) {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
        }
        let encoded = String(decoding: out, as: UTF8.self)
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    /// ASCII letters and digits and `!$&'()*+,-./=@_~`.
    static func uriPathAllowed(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!$&'()*+,-./=@_~".utf8.contains(b)
        }
    }
}
