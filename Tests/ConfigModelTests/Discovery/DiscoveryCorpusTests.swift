import Foundation
import Testing
import TestSupport
@testable import ConfigModel

/// The SD sections of the upstream `config/` fixtures: each `<mechanism>_*.bad.yml` must fail with the
/// substring `EXPECTED-ERRORS.tsv` gives, every other fixture with SD sections must decode them.
@Suite(.needsCorpus) struct DiscoveryCorpusTests {
    static let mechanisms = Set(DiscoveryRegistry.kinds.map { $0.mechanism })

    /// Fixture files that contain service-discovery sections.
    static var sdFixtures: [String] {
        let dir = SDTest.corpus.appendingPathComponent("config")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { name in
            guard name.hasSuffix(".yml"),
                  let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) else { return false }
            return text.contains("_sd_configs")
        }.sorted()
    }

    /// The mechanism a fixture is about (`kubernetes_role.bad.yml` → `kubernetes`), if any.
    static func mechanism(of file: String) -> String? {
        guard let prefix = file.split(separator: "_").first.map(String.init), mechanisms.contains(prefix) else { return nil }
        return prefix
    }

    /// Decodes the SD part of every scrape job and Alertmanager config of `text`, in document order.
    static func decodeSDSections(_ text: String) -> ConfigError? {
        do {
            guard let root = try YAMLComposer.compose(text).first, case .mapping(let pairs) = root.content else { return nil }
            let decoder = YAMLDecoder()
            for pair in pairs {
                var items: [Node] = []
                switch pair.key.scalarValue {
                case "scrape_configs":
                    if case .sequence(let s) = pair.value.content { items = s }
                case "alerting":
                    if let am = pair.value["alertmanagers"], case .sequence(let s) = am.content { items = s }
                default:
                    continue
                }
                for item in items where !item.isNull {
                    _ = try SDSection(yaml: item, decoder: decoder)
                }
            }
            try decoder.throwCollectedTypeErrors()
            return nil
        } catch let e as ConfigError {
            return e
        } catch {
            return ConfigError("\(error)")
        }
    }

    @Test func corpusHasSDFixtures() {
        #expect(Self.sdFixtures.count >= 60)
    }

    @Test(arguments: sdFixtures)
    func fixture(_ file: String) throws {
        let url = SDTest.corpus.appendingPathComponent("config").appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        let error = Self.decodeSDSections(text)
        let expected = try SDTest.expectedErrors()[file]
        if file.hasSuffix(".bad.yml") {
            guard Self.mechanism(of: file) != nil else {
                // A bad fixture about something other than SD (e.g. an unknown job key): its SD part is valid.
                #expect(error == nil, "\(file): \(error?.message ?? "")")
                return
            }
            let e = try #require(error, "\(file) decoded without error")
            if let expected {
                #expect(e.message.contains(expected), "\(file): got \(e.message)")
            }
        } else {
            #expect(error == nil, "\(file): \(error?.message ?? "")")
        }
    }

    /// The same fixtures loaded whole, as `check config` loads them: SD errors surface through the scrape
    /// and Alertmanager configs with the same messages.
    @Test(arguments: sdFixtures.filter { mechanism(of: $0) != nil })
    func fixtureThroughPrometheusConfig(_ file: String) throws {
        let path = SDTest.corpus.appendingPathComponent("config").appendingPathComponent(file).path
        var failure: ConfigError?
        do { _ = try PrometheusConfig.load(path: path) } catch { failure = error }
        if file.hasSuffix(".bad.yml") {
            let e = try #require(failure, "\(file) loaded without error")
            if let expected = try SDTest.expectedErrors()[file] {
                #expect(e.message.contains(expected), "\(file): got \(e.message)")
            }
        } else {
            #expect(failure == nil, "\(file): \(failure?.message ?? "")")
        }
    }
}
