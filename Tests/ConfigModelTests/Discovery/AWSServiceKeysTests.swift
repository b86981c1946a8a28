import Testing
import TestSupport
@testable import ConfigModel

/// The per-service AWS keys (`ecs_sd_configs`, …) that Prometheus 3.x registers beside `aws_sd_configs`.
@Suite struct AWSServiceKeysTests {
    @Test(.needsCorpus) func emptyRegionFixtureLoads() throws {
        let path = Corpus.promtool.appendingPathComponent("prometheus-aws-sd-empty-region.good.yml").path
        let cfg = try Corpus.loadFully(path)
        let mechanisms = cfg.scrapeConfigs.flatMap { $0.serviceDiscoveryConfigs.entries.map(\.mechanism) }
        #expect(mechanisms == ["ec2", "ecs", "rds", "msk", "elasticache", "lightsail"])
    }

    @Test func serviceKeyImpliesRoleAndRejectsRoleField() throws {
        let text = "scrape_configs:\n  - job_name: x\n    rds_sd_configs:\n      - port: 5432\n        role: ec2\n"
        let root = try #require(try YAMLComposer.compose(text).first)
        #expect(throws: ConfigError.self) { try YAMLDecoder().decodeDocument(PrometheusConfig.self, from: root) }
    }
}
