import Foundation

/// SARIF 2.1.0: one run whose `tool.driver.rules` lists every check, and one result per diagnostic.
public struct SARIFReporter: Sendable {
    public var catalogue: CheckCatalogue
    public var toolVersion: String

    public init(catalogue: CheckCatalogue, toolVersion: String) {
        self.catalogue = catalogue
        self.toolVersion = toolVersion
    }

    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey {
            case schema = "$schema", version, runs
        }
    }
    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
    }
    struct Tool: Encodable { var driver: Driver }
    struct Driver: Encodable {
        var name: String
        var version: String
        var informationUri: String
        var rules: [Rule]
    }
    struct Message: Encodable { var text: String }
    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
    }
    struct Configuration: Encodable { var level: String }
    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
    }
    struct Location: Encodable { var physicalLocation: PhysicalLocation }
    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }
    struct ArtifactLocation: Encodable { var uri: String }
    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int
        var endLine: Int
        var endColumn: Int
    }

    public func render(_ diagnostics: [Diagnostic]) -> String {
        let infos = catalogue.infos
        var index: [CheckID: Int] = [:]
        for (i, info) in infos.enumerated() { index[info.id] = i }
        let rules = infos.map { info in
            Rule(id: info.id.rawValue, name: Self.ruleName(info.id),
                 shortDescription: Message(text: info.summary),
                 fullDescription: Message(text: info.doc),
                 help: Message(text: info.doc),
                 defaultConfiguration: Configuration(level: info.defaultSeverity.sarifLevel))
        }
        let results = diagnostics.map { d in
            let region = Region(startLine: d.range.start.line, startColumn: d.range.start.column,
                                endLine: d.range.end.line, endColumn: max(d.range.end.column, 1))
            let physical = PhysicalLocation(artifactLocation: ArtifactLocation(uri: Self.uri(d.file)), region: region)
            return Result(ruleId: d.check.rawValue, ruleIndex: index[d.check] ?? -1, level: d.severity.sarifLevel,
                          message: Message(text: d.message), locations: [Location(physicalLocation: physical)])
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(
            name: "promtool-swift", version: toolVersion, informationUri: LintInfo.informationURI, rules: rules)),
            results: results)])
        return JSONOutput.encode(log) + "\n"
    }

    /// A SARIF rule `name`: the id in PascalCase (`interval/rate-window` → `IntervalRateWindow`).
    static func ruleName(_ id: CheckID) -> String {
        id.rawValue.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "_" })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative or absolute file path as a URI reference (percent-encoding what URIs do not allow).
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":")  // keep relative paths from looking like a scheme
        let encoded = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
