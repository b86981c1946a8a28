import ConfigModel
import Engine
import ScrapeHTTP
import Testing
import TestSupport

@Suite struct ServiceDiscoveryCheckTests {
    private func entries(_ yaml: String) throws -> [ServiceDiscoveryCheck.Entry] {
        let job = try loadJob(yaml)
        return ServiceDiscoveryCheck.entries(JobTargets.discover(job))
    }

    @Test func jsonMatchesPromtool314() throws {
        let list = try entries("""
        scrape_configs:
          - job_name: a
            params:
              module: [http_2xx]
            relabel_configs:
              - source_labels: [__address__]
                regex: drop.*
                action: drop
              - source_labels: [env]
                regex: bad
                target_label: __address__
                replacement: "http://x/y"
            static_configs:
              - targets: ["localhost:9100", "drop:1", "localhost:9100"]
                labels: {env: "prod<&>"}
              - targets: ["b:2"]
                labels: {env: bad}
        """)
        let common = """
              "__always_scrape_classic_histograms__": "false",
              "__convert_classic_histograms_to_nhcb__": "false",
              "__metrics_path__": "/metrics",
              "__param_module": "http_2xx",
              "__scheme__": "http",
              "__scrape_interval__": "1m",
              "__scrape_native_histograms__": "false",
              "__scrape_timeout__": "10s",
        """
        let expected = """
        [
          {
            "discoveredLabels": {
              "__address__": "localhost:9100",
        \(common)
              "env": "prod\\u003c\\u0026\\u003e",
              "job": "a"
            },
            "labels": {
              "__address__": "localhost:9100",
        \(common)
              "env": "prod\\u003c\\u0026\\u003e",
              "instance": "localhost:9100",
              "job": "a"
            }
          },
          {
            "discoveredLabels": {
              "__address__": "drop:1",
        \(common)
              "env": "prod\\u003c\\u0026\\u003e",
              "job": "a"
            },
            "labels": {}
          },
          {
            "discoveredLabels": {
              "__address__": "b:2",
        \(common)
              "env": "bad",
              "job": "a"
            },
            "labels": {},
            "error": {}
          }
        ]
        """
        #expect(ServiceDiscoveryCheck.render(list) == expected)
        #expect(list[2].error == "\"http://x/y\" is not a valid hostname")
    }

    /// A target's own (even empty) `__address__` wins over a group label of that name, as in Go's label sets.
    @Test func emptyTargetAddressIsNotFilledFromGroupLabels() throws {
        let list = try entries("""
        scrape_configs:
          - job_name: e
            static_configs: [{targets: [""], labels: {__address__: "h:1"}}]
        """)
        #expect(list.first?.error == "no address")
    }

    @Test func noTargetsPrintsAnEmptyArray() {
        #expect(ServiceDiscoveryCheck.render([]) == "[]")
    }

    /// The file_sd fixtures of promtool's own tests, in each format.
    @Test(.needsCorpus, arguments: ["good-sd-file.json", "good-sd-file.yml", "good-sd-file.yaml"])
    func fileSDFixture(_ name: String) throws {
        let path = "../shared/corpus/promtool/" + name
        let job = try loadJob("scrape_configs:\n  - job_name: files\n    file_sd_configs:\n      - files: [\"\(path)\"]\n")
        let targets = JobTargets.discover(job)
        #expect(targets.fileErrors.isEmpty)
        #expect(targets.groups.map(\.source) == targets.groups.indices.map { "\(path):\($0)" })
        let list = ServiceDiscoveryCheck.entries(targets)
        let first = try #require(list.first { $0.discoveredLabels["__address__"] == "localhost:9100" })
        #expect(first.discoveredLabels["__meta_filepath"] == path)
        #expect(first.labels["__meta_filepath"] == nil)
        #expect(first.labels["instance"] == first.labels["__address__"])
        #expect(first.labels["job"] != nil)
    }

    @Test(.needsCorpus) func badFileSDFixtureIsReportedWithItsPosition() throws {
        let path = "../shared/corpus/promtool/bad-sd-file-format.yml"
        let job = try loadJob("scrape_configs:\n  - job_name: files\n    file_sd_configs:\n      - files: [\"\(path)\"]\n")
        let targets = JobTargets.discover(job)
        let e = try #require(targets.fileErrors.first)
        #expect(e.file == path)
        #expect(e.mark != nil)
        #expect(targets.groups.isEmpty)
    }

    @Test func runtimeMechanismsAreNamed() async throws {
        let list = try loadJob("""
        scrape_configs:
          - job_name: k
            kubernetes_sd_configs: [{role: pod}]
            static_configs: [{targets: ["a:1"]}]
        """)
        #expect(JobTargets.discover(list).runtimeMechanisms == ["kubernetes"])
    }

    @Test(.needsCorpus) func missingJobListsTheJobs() async {
        let out = await ServiceDiscoveryCheck.run(configPath: "../shared/corpus/promtool/url_in_scrape_targetgroup_with_relabel_config.good.yml", job: "nope")
        #expect(out.exitCode == 1)
        #expect(out.stderr == "Job nope not found. Select one of:\n\tprometheus\n")
    }

    /// promtool's fixture whose target is a URL rewritten by relabelling: the kept labels carry the new address.
    @Test(.needsCorpus) func corpusRelabelledURLTarget() async {
        let out = await ServiceDiscoveryCheck.run(configPath: "../shared/corpus/promtool/url_in_scrape_targetgroup_with_relabel_config.good.yml", job: "prometheus")
        #expect(out.exitCode == 0)
        #expect(out.stdout.contains("\"__param_target\": \"http://good\""))
        #expect(out.stdout.contains("\"instance\": \"good\""))
        #expect(!out.stdout.contains("\"error\""))
    }

    /// Every job of every loadable corpus config: kept targets always have `instance` and no `__meta_*`.
    @Test(.needsCorpus) func corpusConfigsNeverCrashAndKeepInvariants() throws {
        var files = 0
        for dir in ["../shared/corpus/config", "../shared/corpus/promtool"] {
            guard case .success(let found) = FileSystem.glob(dir + "/*.good.yml") else { continue }
            for file in found {
                guard let cfg = try? PrometheusConfig.load(path: file), let jobs = try? cfg.allScrapeConfigs() else { continue }
                files += 1
                for job in jobs {
                    for e in ServiceDiscoveryCheck.entries(JobTargets.discover(job)) where !e.labels.isEmpty {
                        #expect(e.labels["instance"] != nil, "\(file) \(job.jobName)")
                        #expect(!e.labels.keys.contains { $0.hasPrefix("__meta_") }, "\(file) \(job.jobName)")
                    }
                }
            }
        }
        #expect(files > 10)
    }

    @Test func scrapeFlagReportsSeriesPerTarget() async throws {
        let server = try await ScrapeTestServer { _ in .init(text: "a 1\nb 2\nc 3\n") }
        let job = try job(for: server, "metric_relabel_configs: [{source_labels: [__name__], regex: c, action: drop}]")
        let fetcher = try TransportScrapeFetcher(job: job)
        let list = await ServiceDiscoveryCheck.scrapeAll(ServiceDiscoveryCheck.entries(JobTargets.discover(job)), job: job,
                                                         fetcher: fetcher, now: 1000, parallelism: 4)
        await server.stop()
        let report = try #require(list.first?.scrape)
        #expect(report.up)
        #expect(report.seriesCount == 2)
        #expect(ServiceDiscoveryCheck.render(list).contains("\"scrape\": {\n      \"up\": true,\n      \"series\": 2\n    }"))
    }
}
