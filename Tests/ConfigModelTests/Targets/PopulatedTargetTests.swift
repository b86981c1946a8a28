import Testing
@testable import ConfigModel

/// `PopulatedTarget.Builder`: one job's targets built with what the job gives every target worked out once —
/// the discovered and final labels Prometheus's `PopulateLabels` gives, and the same error for `check config`'s
/// error-only question as for the full build.
@Suite struct PopulatedTargetTests {
    static let config = """
        scrape_configs:
          - job_name: api
            scrape_interval: 30s
            scrape_timeout: 10s
            params:
              module: [http_2xx, other]
            static_configs:
              - targets: ['a:9100', 'fast:1', 'gone:1', 'empty:1', 'bad:1', 'x:1']
                labels:
                  team: core
                  __address__: ignored:1
            relabel_configs:
              - source_labels: [__address__]
                regex: 'fast:.*'
                target_label: __scrape_interval__
                replacement: 5s
              - source_labels: [__address__]
                regex: 'gone:.*'
                action: drop
              - source_labels: [__address__]
                regex: 'empty:.*'
                target_label: __address__
                replacement: ''
              - source_labels: [__address__]
                regex: 'bad:.*'
                target_label: __address__
                replacement: 'a/b'
              - source_labels: [__address__]
                regex: 'x:.*'
                target_label: __scrape_native_histograms__
                replacement: maybe
        """

    static func job() throws -> ScrapeConfig {
        let cfg = try PrometheusConfig.parse(config, environment: { _ in nil })
        return try #require(cfg.scrapeConfigs.first)
    }

    @Test func keptTargetCarriesTheJobDefaultsAndItsGroup() throws {
        let job = try Self.job()
        let builder = PopulatedTarget.Builder(job: job)
        let group = job.staticConfigs[0].labels
        let t = builder.populate(target: ["__address__": "a:9100"], group: group)
        #expect(t.error == nil)
        #expect(t.discoveredLabels == [
            "__address__": "a:9100", "team": "core", "job": "api", "__scrape_interval__": "30s",
            "__scrape_timeout__": "10s", "__metrics_path__": "/metrics", "__scheme__": "http",
            "__param_module": "http_2xx", "__convert_classic_histograms_to_nhcb__": "false",
            "__always_scrape_classic_histograms__": "false", "__scrape_native_histograms__": "false",
        ])
        var expected = t.discoveredLabels
        expected["instance"] = "a:9100"
        #expect(t.labels == expected)
        #expect(builder.discoveredLabels(target: ["__address__": "a:9100"], group: group) == t.discoveredLabels)
    }

    @Test(arguments: [
        ("a:9100", nil),
        ("fast:1", "scrape timeout cannot be greater than scrape interval (\"10s\" > \"5s\")"),
        ("gone:1", nil),
        ("empty:1", "no address"),
        ("bad:1", "\"a/b\" is not a valid hostname"),
        ("x:1", "error parsing scrape native histograms: strconv.ParseBool: parsing \"maybe\": invalid syntax"),
        ("", "no address"),
    ] as [(String, String?)])
    func errorOnlyAgreesWithTheFullBuild(address: String, expected: String?) throws {
        let job = try Self.job()
        let builder = PopulatedTarget.Builder(job: job)
        let group = job.staticConfigs[0].labels
        let full = builder.populate(target: ["__address__": address], group: group)
        #expect(full.error == expected)
        #expect(builder.error(address: address, group: group) == expected)
        #expect(PopulatedTarget.populate(address: address, group: group, job: job) == full)
        #expect(full.isDropped == (address == "gone:1"))
    }
}
