import Foundation
@testable import ConfigModel

/// A scrape job's mapping reduced to its service-discovery part: every `<name>_sd_configs` key is decoded,
/// the job's other keys (job_name, relabel_configs, file_sd_configs, …) are the config model's business.
struct SDSection: YAMLDecodable {
    static var goTypeName: String { "config.ScrapeConfig" }
    var sd: ServiceDiscoveryConfigs

    init(yaml node: Node, decoder: YAMLDecoder) throws(ConfigError) {
        var m = decoder.mapping(node, goType: Self.goTypeName)
        sd = try m.inline()
        let registered = Set(DiscoveryRegistry.kinds.map { $0.mechanism + "_sd_configs" })
        for k in m.keys where !registered.contains(k) { m.ignore(k) }
        m.finish()
    }
}

enum SDTest {
    /// Decodes `yaml` (the body of one scrape job) and returns its SD entries, or the error Prometheus would give.
    static func decode(_ yaml: String) -> Result<[ServiceDiscoveryConfigs.Entry], ConfigError> {
        do {
            guard let root = try YAMLComposer.compose(yaml).first else { return .success([]) }
            let decoder = YAMLDecoder()
            let section = try decoder.decodeDocument(SDSection.self, from: root)
            return .success(section.sd.entries)
        } catch let e as ConfigError {
            return .failure(e)
        } catch {
            return .failure(ConfigError("\(error)"))
        }
    }

    /// The single config of type `T` that `yaml` declares.
    static func one<T: DiscoveryConfig>(_ type: T.Type, _ yaml: String) throws -> T {
        switch decode(yaml) {
        case .success(let entries):
            guard entries.count == 1, let c = entries[0].config as? T else {
                throw ConfigError("expected one \(T.mechanism) config, got \(entries.map(\.mechanism))")
            }
            return c
        case .failure(let e):
            throw e
        }
    }

    /// The error message decoding `yaml` gives, nil when it decodes.
    static func error(_ yaml: String) -> String? {
        if case .failure(let e) = decode(yaml) { return e.message }
        return nil
    }

    /// `/work/shared/corpus` as seen from the package root (three levels above this file's directory).
    static var corpus: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/corpus").standardizedFileURL
    }

    /// Undoes the Go escapes `EXPECTED-ERRORS.tsv` uses (`\"`, `\\`, `\n`, `\t`, `\xNN`).
    static func unescape(_ s: String) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x5C, i + 1 < b.count {
                switch b[i + 1] {
                case 0x22: out.append(0x22); i += 2; continue
                case 0x5C: out.append(0x5C); i += 2; continue
                case 0x6E: out.append(0x0A); i += 2; continue
                case 0x74: out.append(0x09); i += 2; continue
                case 0x78 where i + 3 < b.count:
                    if let v = UInt8(String(decoding: b[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                        out.append(v); i += 4; continue
                    }
                default: break
                }
            }
            out.append(b[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// File name → expected error substring, from the corpus's `EXPECTED-ERRORS.tsv`.
    static func expectedErrors() throws -> [String: String] {
        let text = try String(contentsOf: corpus.appendingPathComponent("config/EXPECTED-ERRORS.tsv"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            if parts.count == 2 { out[parts[0]] = unescape(parts[1]) }
        }
        return out
    }
}
