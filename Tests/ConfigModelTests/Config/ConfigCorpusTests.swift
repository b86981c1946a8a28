import Foundation
import Testing
import TestSupport
@testable import ConfigModel

/// The upstream loader fixtures: every `*.good.yml` loads, every `*.bad.yml` fails with its expected message.
@Suite(.needsCorpus) struct ConfigCorpusTests {
    static let goodFiles = Corpus.files(in: Corpus.config, suffix: ".good.yml")
    static let badFiles = Corpus.files(in: Corpus.config, suffix: ".bad.yml")

    /// Bad fixtures without an entry in EXPECTED-ERRORS.tsv: the reason their name states.
    static let ownExpectations: [String: String] = [
        "otlp_allow_utf8.bad.yml": #"unsupported OTLP translation strategy "Invalid""#,
        "otlp_ignore_resource_attributes_without_promote_all.bad.yml": "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true",
        "otlp_promote_all_resource_attributes.bad.yml": "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously",
        "otlp_sanitize_ignore_resource_attributes.bad.yml": "invalid 'ignore_resource_attributes': duplicated ignored OTel resource attribute \"k8s.job.name\"\nempty ignored OTel resource attribute",
        "otlp_sanitize_promote_resource_attributes.bad.yml": "invalid 'promote_resource_attributes': duplicated promoted OTel resource attribute \"k8s.job.name\"\nempty promoted OTel resource attribute",
        "scrape_config_files.bad.yml": #"scrape timeout greater than scrape interval for scrape config with job name "prometheus""#,
        "scrape_config_files_double_import.bad.yml": #"found multiple scrape configs with job name "prometheus", first found in"#,
        "scrape_config_files_duplicate.bad.yml": #"found multiple scrape configs with job name "prometheus", first found in main config file"#,
        "scrape_config_files_global.bad.yml": #"scrape timeout greater than scrape interval for scrape config with job name "prometheus""#,
        "scrape_config_files_global_duplicate.bad.yml": #"found multiple scrape configs with job name "prometheus", first found in main config file"#,
    ]

    @Test(arguments: goodFiles)
    func goodFileLoads(_ name: String) throws {
        let path = Corpus.config.appendingPathComponent(name).path
        #expect(throws: Never.self) { _ = try Corpus.loadFully(path) }
    }

    @Test(arguments: badFiles.filter { $0 != "static_config.bad.yml" })
    func badFileFails(_ name: String) throws {
        let path = Corpus.config.appendingPathComponent(name).path
        var failure: ConfigError?
        do { _ = try Corpus.loadFully(path) } catch { failure = error }
        let error = try #require(failure, "\(name) loaded without error")
        if let expected = Corpus.expectedErrors[name] ?? Self.ownExpectations[name] {
            #expect(error.message.contains(expected), "\(name): \(error.message)")
        } else {
            Issue.record("\(name) has no expected message")
        }
        // Every failure is one error with a position, except file-level ones.
        #expect(error.mark != nil || error.message.hasPrefix("\"/"), "\(name) lacks a position: \(error.message)")
    }

    @Test func staticConfigBadIsARejectedTargetGroup() throws {
        let text = try String(contentsOf: Corpus.config.appendingPathComponent("static_config.bad.yml"), encoding: .utf8)
        let root = try #require(try YAMLComposer.compose(text).first)
        #expect(throws: ConfigError("\"\\xff\" is not a valid label name", at: Mark(line: 4, column: 3))) {
            _ = try YAMLDecoder().decodeDocument(TargetGroup.self, from: root)
        }
    }

    @Test func incompatibleOTLPStrategiesFailUnderLegacyNames() {
        for name in ["otlp_allow_utf8.incompatible.yml", "otlp_no_translation.incompatible.yml"] {
            let path = Corpus.config.appendingPathComponent(name).path
            #expect(performing: { _ = try PrometheusConfig.load(path: path) }, throws: { error in
                (error as? ConfigError)?.message.contains("is not allowed when UTF8 is disabled") == true
            })
        }
    }

    @Test func agentModeRestrictions() throws {
        let dir = Corpus.config
        #expect(throws: Never.self) { _ = try PrometheusConfig.load(path: dir.appendingPathComponent("agent_mode.good.yml").path, agentMode: true) }
        #expect(throws: Never.self) { _ = try PrometheusConfig.load(path: dir.appendingPathComponent("agent_mode.without_remote_writes.yml").path, agentMode: true) }
        let cases = [
            "agent_mode.with_alert_manager.yml": "field alerting is not allowed in agent mode",
            "agent_mode.with_alert_relabels.yml": "field alerting is not allowed in agent mode",
            "agent_mode.with_remote_reads.yml": "field remote_read is not allowed in agent mode",
            "agent_mode.with_rule_files.yml": "field rule_files is not allowed in agent mode",
        ]
        for (file, message) in cases {
            let path = dir.appendingPathComponent(file).path
            #expect(throws: Never.self) { _ = try PrometheusConfig.load(path: path) }
            #expect(performing: { _ = try PrometheusConfig.load(path: path, agentMode: true) }, throws: { error in
                (error as? ConfigError)?.message == message
            })
        }
    }

    @Test func alertmanagerAPIv1IsRejected() {
        let path = Corpus.config.appendingPathComponent("config_with_deprecated_am_api_config.yml").path
        #expect(performing: { _ = try PrometheusConfig.load(path: path) }, throws: { error in
            (error as? ConfigError)?.message.hasSuffix("expected Alertmanager api version to be one of [v2] but got v1") == true
        })
    }

    @Test func validationAndEscapingModes() throws {
        let dir = Corpus.config
        for name in ["scrape_config_default_validation_mode.yml", "scrape_config_global_validation_mode.yml",
                     "scrape_config_local_global_validation_mode.yml", "scrape_config_local_validation_mode.yml",
                     "scrape_config_local_infer_escaping.yml"] {
            #expect(throws: Never.self) { _ = try PrometheusConfig.load(path: dir.appendingPathComponent(name).path) }
        }
        let local = try PrometheusConfig.load(path: dir.appendingPathComponent("scrape_config_local_infer_escaping.yml").path)
        #expect(local.scrapeConfigs.first?.metricNameEscapingScheme == "underscores")
        let global = try PrometheusConfig.load(path: dir.appendingPathComponent("scrape_config_global_validation_mode.yml").path)
        #expect(global.scrapeConfigs.first?.metricNameValidationScheme == .legacy)
        #expect(global.scrapeConfigs.first?.metricNameEscapingScheme == "dots")
    }
}
