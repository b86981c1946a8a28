import Foundation
import Testing
import TestSupport
@testable import ConfigModel

private func parse(_ yaml: String) throws(ConfigError) -> PrometheusConfig {
    try PrometheusConfig.parse(yaml, environment: { _ in nil })
}

private func error(_ yaml: String) -> ConfigError? {
    do { _ = try parse(yaml); return nil } catch { return error }
}

/// Defaults and inheritance exactly as Prometheus applies them.
@Suite struct DefaultsTests {
    @Test func emptyFileGivesDefaults() throws {
        for text in ["", "# nothing\n", "global:\n", "global: {}\n"] {
            let cfg = try parse(text)
            #expect(cfg.global.scrapeInterval == .minutes(1))
            #expect(cfg.global.scrapeTimeout == .seconds(10))
            #expect(cfg.global.evaluationInterval == .minutes(1))
            #expect(cfg.global.metricNameValidationScheme == .utf8)
            #expect(cfg.storage.exemplars?.maxExemplars == 100_000)
            #expect(cfg.otlp.translationStrategy == "UnderscoreEscapingWithSuffixes")
        }
    }

    @Test func jobInheritsIntervalAndTimeout() throws {
        let cfg = try parse("""
        global:
          scrape_interval: 30s
          scrape_timeout: 20s
        scrape_configs:
          - job_name: a
          - job_name: b
            scrape_interval: 5s
          - job_name: c
            scrape_interval: 1m
            scrape_timeout: 50s
        """)
        let jobs = cfg.scrapeConfigs
        #expect(jobs[0].scrapeInterval == .seconds(30) && jobs[0].scrapeTimeout == .seconds(20))
        // A job setting only an interval below the global timeout gets timeout = interval.
        #expect(jobs[1].scrapeInterval == .seconds(5) && jobs[1].scrapeTimeout == .seconds(5))
        #expect(jobs[2].scrapeTimeout == .seconds(50))
        #expect(jobs[0].metricsPath == "/metrics" && jobs[0].scheme == "http" && jobs[0].honorTimestamps)
        #expect(jobs[0].httpClientConfig.followRedirects && jobs[0].httpClientConfig.enableHTTP2)
        #expect(jobs[0].scrapeProtocols?.map(\.name) == ScrapeProtocol.defaults)
    }

    @Test func globalTimeoutDefaultsToIntervalWhenShorter() throws {
        let cfg = try parse("global:\n  scrape_interval: 5s\n")
        #expect(cfg.global.scrapeTimeout == .seconds(5))
    }

    @Test func nativeHistogramsSelectProtoFirstProtocols() throws {
        let cfg = try parse("global:\n  scrape_native_histograms: true\nscrape_configs:\n  - job_name: a\n")
        #expect(cfg.scrapeConfigs[0].scrapeProtocols?.first?.name == "PrometheusProto")
        #expect(cfg.scrapeConfigs[0].scrapeNativeHistograms == true)
    }

    @Test func remoteWriteDefaults() throws {
        let cfg = try parse("remote_write:\n  - url: http://x/api/v1/write\n")
        let rw = cfg.remoteWrite[0]
        #expect(rw.remoteTimeout == .seconds(30))
        #expect(rw.queueConfig.capacity == 10000 && rw.queueConfig.maxShards == 50 && rw.queueConfig.maxSamplesPerSend == 2000)
        #expect(rw.httpClientConfig.enableHTTP2 == false)
        #expect(rw.protobufMessage == "prometheus.WriteRequest")
        #expect(rw.url?.host == "x")
    }

    @Test func alertmanagerDefaults() throws {
        let cfg = try parse("alerting:\n  alertmanagers:\n    - static_configs:\n        - targets: ['am:9093']\n")
        let am = cfg.alerting.alertmanagers[0]
        #expect(am.timeout == .seconds(10) && am.scheme == "http" && am.apiVersion == .v2)
        #expect(am.staticConfigs[0].targets == ["am:9093"])
    }

    @Test func externalLabelsAreSortedAndExpanded() throws {
        let cfg = try PrometheusConfig.parse("global:\n  external_labels:\n    z: '$$1'\n    a: '${REGION}-x'\n    m: $UNSET\n",
                                             environment: { $0 == "REGION" ? "eu" : nil })
        #expect(cfg.global.externalLabels.map(\.name) == ["a", "m", "z"])
        #expect(cfg.global.externalLabels.map(\.value) == ["eu-x", "", "$1"])
    }

    @Test func nullValuesGiveGoZeroValues() throws {
        let cfg = try parse("scrape_configs:\n  - job_name: a\n    honor_timestamps: ~\n    follow_redirects: null\n")
        #expect(cfg.scrapeConfigs[0].honorTimestamps == false)
        #expect(cfg.scrapeConfigs[0].httpClientConfig.followRedirects == false)
    }

    @Test func relativePathsResolveAgainstTheConfigFolder() throws {
        let path = Corpus.testdata.appendingPathComponent("prometheus.yml").path
        let cfg = try PrometheusConfig.load(path: path)
        #expect(cfg.ruleFiles == [Corpus.testdata.path + "/alerts/*.yml"])
    }
}

/// The example setup in testdata/.
@Suite struct TestdataTests {
    @Test func exampleConfigChecksClean() throws {
        let r = ConfigChecker.check(path: Corpus.testdata.appendingPathComponent("prometheus.yml").path)
        #expect(r.error == nil)
        #expect(r.ruleFiles == [Corpus.testdata.path + "/alerts/sse_alerts.yml"])
        let cfg = try #require(r.config)
        #expect(cfg.global.scrapeInterval == .seconds(15) && cfg.global.evaluationInterval == .seconds(15))
        #expect(cfg.global.externalLabels.map(\.name) == ["cluster", "environment", "service"])
        #expect(cfg.scrapeConfigs.map(\.jobName) == ["sse-application", "nginx", "redis"])
        #expect(cfg.scrapeConfigs[0].staticConfigs[0].targets == ["app-1:8000", "app-2:8000", "app-3:8000"])
        #expect(cfg.scrapeConfigs[0].metricsPath == "/admin/metrics")
        #expect(cfg.scrapeConfigs[1].metricsPath == "/nginx-status")
        #expect(cfg.scrapeConfigs[2].staticConfigs[0].targets == ["redis-exporter:9121"])
    }
}

/// Every error points at the node at fault.
@Suite struct PositionTests {
    @Test func typeErrorsAreCollectedWithLines() throws {
        let e = try #require(error("global:\n  scrape_intervall: 1m\nscrape_configs:\n  - job_name: a\n    honor_labels: maybe\n"))
        #expect(e.message == "yaml: unmarshal errors:\n  line 2: field scrape_intervall not found in type config.plain\n  line 5: cannot unmarshal !!str `maybe` into bool")
        #expect(e.mark == Mark(line: 2, column: 3))
    }

    @Test func validationErrorsPointAtTheirKey() throws {
        let e = try #require(error("scrape_configs:\n  - job_name: a\n    scrape_interval: 10s\n    scrape_timeout: 20s\n"))
        #expect(e.message == "scrape timeout greater than scrape interval for scrape config with job name \"a\"")
        #expect(e.mark == Mark(line: 4, column: 5))
        let dup = try #require(error("scrape_configs:\n  - job_name: a\n  - job_name: a\n"))
        #expect(dup.mark == Mark(line: 3, column: 5))
        let relabel = try #require(error("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n"))
        #expect(relabel.message == "relabel configuration for hashmod requires non-zero modulus")
        #expect(relabel.mark == Mark(line: 4, column: 9))
    }

    @Test func badDurationIsOneErrorWithPosition() throws {
        let e = try #require(error("global:\n  scrape_interval: fast\n"))
        #expect(e.message == "not a valid duration string: \"fast\"")
        #expect(e.mark == Mark(line: 2, column: 20))
    }

    @Test func loadPrefixesTheFileName() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfgpos-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("p.yml").path
        try "global:\n  scrape_timeout: 2m\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError("parsing YAML file \(file): global scrape timeout greater than scrape interval", at: Mark(line: 2, column: 3))) {
            _ = try PrometheusConfig.load(path: file)
        }
    }
}

/// Validation messages of the 3.14 loader beyond the corpus.
@Suite struct ValidationTests {
    @Test(arguments: [
        ("scrape_configs:\n  - job_name: a\n    basic_auth: {username: u}\n    oauth2: {client_id: c, token_url: http://t}\n", "at most one of basic_auth, oauth2 & authorization must be configured"),
        ("scrape_configs:\n  - job_name: a\n    authorization: {type: Basic}\n", #"authorization type cannot be set to "basic", use "basic_auth" instead"#),
        ("scrape_configs:\n  - job_name: a\n    oauth2: {token_url: http://t}\n", "oauth2 client_id must be configured"),
        ("scrape_configs:\n  - job_name: a\n    tls_config: {cert_file: a}\n", "exactly one of key or key_file must be configured when a client certificate is configured"),
        ("scrape_configs:\n  - job_name: a\n    tls_config: {min_version: TLS9}\n", "unknown TLS version: TLS9"),
        ("scrape_configs:\n  - job_name: a\n    no_proxy: localhost\n", "if no_proxy is configured, proxy_url must also be configured"),
        ("scrape_configs:\n  - job_name: a\n    proxy_url: 'http://p'\n    proxy_from_environment: true\n", "if proxy_from_environment is configured, proxy_url must not be configured"),
        ("scrape_configs:\n  - job_name: a\n    proxy_url: '::x'\n", #"parse "::x": missing protocol scheme"#),
        ("scrape_configs:\n  - job_name: a\n    http_headers:\n      user-agent: {values: [x]}\n", #"setting header "User-Agent" is not allowed"#),
        ("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: Foo\n", #"unknown relabel action "Foo""#),
        ("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - target_label: !!binary '/w=='\n", #""\xff" is invalid 'target_label' for replace action"#),
        ("global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n    metric_name_escaping_scheme: underscores\n    relabel_configs:\n      - target_label: 'a.b'\n", #""a.b" is invalid 'target_label' for replace action"#),
        ("global:\n  metric_name_validation_scheme: legacy\n  external_labels:\n    a.b: c\n", #""a.b" is not a valid label name"#),
        ("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://x']\n", #""http://x" is not a valid hostname"#),
        ("rule_files: ['a/*/b.yml']\n", #"invalid rule file path "a/*/b.yml""#),
        ("remote_write:\n  - url: http://x\n    sigv4: {}\n    basic_auth: {username: u}\n", "at most one of basic_auth, authorization, oauth2, sigv4, azuread or google_iam must be configured. Currently configured: [basic_auth sigv4]"),
        ("remote_write:\n  - url: http://x\n    azuread: {}\n", "must provide an Azure Managed Identity, Azure Workload Identity, Azure OAuth, Azure Certificate or Azure SDK in the Azure AD config"),
        ("tracing:\n  endpoint: x\n  client_type: udp\n", "expected tracing client type to be to be http or grpc, but got udp"),
        ("storage:\n  tsdb:\n    retention:\n      size: 1KiB\n      percentage: 50\n", ""),
        ("scrape_configs:\n  - job_name: a\n    body_size_limit: 10MB\n", ""),
        ("scrape_configs:\n  - job_name: a\n    fallback_scrape_protocol: PrometheusText0.0.4\n", ""),
    ] as [(String, String)])
    func message(_ yaml: String, _ expected: String) {
        let e = error(yaml)
        if expected.isEmpty {
            #expect(e == nil, "\(e?.message ?? "")")
        } else {
            #expect(e?.message == expected)
            #expect(e?.mark != nil)
        }
    }

    @Test func agentModeIsChecked() throws {
        #expect(throws: Never.self) { _ = try parse("rule_files: [a.yml]\n") }
    }
}

/// Relabelling as Prometheus applies it (used for the target checks).
@Suite struct RelabelTests {
    func rules(_ yaml: String) throws -> [RelabelConfig] {
        try parse("scrape_configs:\n  - job_name: a\n    relabel_configs:\n" + yaml).scrapeConfigs[0].relabelConfigs
    }

    @Test func replaceHashmodLabelmapAndKeep() throws {
        var labels = ["__address__": "host:9100", "__meta_x_role": "db", "job": "a"]
        let r = try rules("""
              - source_labels: [__address__]
                regex: '([^:]+):.*'
                target_label: host
              - source_labels: [__address__]
                modulus: 4
                target_label: shard
                action: hashmod
              - regex: '__meta_x_(.+)'
                action: labelmap
              - source_labels: [role]
                regex: db
                action: keep
        """ + "\n")
        #expect(r.apply(to: &labels))
        #expect(labels["host"] == "host")
        #expect(labels["role"] == "db")
        #expect(labels["shard"].flatMap { Int($0) }.map { $0 < 4 } == true)
        var other = ["__address__": "h:1", "__meta_x_role": "web"]
        #expect(!r.apply(to: &other))
    }

    @Test func md5MatchesKnownDigest() {
        let d = MD5.digest(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(d == "900150983cd24fb0d6963f7d28e17f72")
    }
}

/// Secrets must never reach any output: models and errors print `<secret>`.
@Suite struct SecretTests {
    static let secrets = ["s3cr3t-password", "tok3n-value", "cl13nt-secret", "k3y-material", "h3ader-secret", "pr0xy-secret", "sigv4-s3cret", "azure-s3cret"]

    @Test func noSecretInAnyPrintedModelOrError() throws {
        let yaml = """
        global:
          scrape_interval: 15s
        scrape_configs:
          - job_name: a
            basic_auth: {username: u, password: s3cr3t-password}
            tls_config: {cert: c, key: k3y-material}
            proxy_url: http://p
            proxy_connect_header: {X-P: [pr0xy-secret]}
            http_headers:
              X-Custom: {secrets: [h3ader-secret]}
          - job_name: b
            authorization: {credentials: tok3n-value}
          - job_name: c
            oauth2: {client_id: i, client_secret: cl13nt-secret, token_url: http://t}
        remote_write:
          - url: http://x
            sigv4: {access_key: a, secret_key: sigv4-s3cret}
          - url: http://y
            azuread: {oauth: {client_id: 00000000-0000-0000-0000-000000000000, client_secret: azure-s3cret, tenant_id: t}}
        """
        let cfg = try parse(yaml)
        let printed = [String(describing: cfg), String(reflecting: cfg), "\(cfg.scrapeConfigs)", "\(cfg.remoteWrite)"]
        for text in printed {
            for s in Self.secrets { #expect(!text.contains(s), "secret \(s) printed") }
        }
        // Errors about configs full of secrets do not carry them either.
        let bad = yaml + "\n  - url: http://z\n    basic_auth: {username: u, password: s3cr3t-password}\n    authorization: {credentials: tok3n-value}\n"
        let e = try #require(error(bad))
        for s in Self.secrets {
            #expect(!e.message.contains(s))
            #expect(!String(reflecting: e).contains(s))
        }
        // The real value stays available to code that needs it.
        #expect(cfg.scrapeConfigs[0].httpClientConfig.basicAuth?.password.exposedValue == "s3cr3t-password")
    }
}

/// Hostile input: one error with a position, quickly, never a crash.
@Suite struct BadInputTests {
    @Test(arguments: [
        "global:\n  scrape_interval: [1m\n",          // truncated flow sequence
        "global:\n\tscrape_interval: 1m\n",           // tab indentation
        "scrape_configs:\n  - job_name: 'a\n",        // unterminated quote
        "a: b: c\n",
        "- [}\n",
    ])
    func malformedYAMLIsOneError(_ text: String) throws {
        let e = try #require(error(text))
        #expect(e.message.hasPrefix("yaml: "))
        #expect(!e.message.contains("\n"))
        #expect(e.mark != nil)
    }

    @Test func binaryGarbageAndInvalidUTF8() throws {
        var garbage: [UInt8] = [0x00, 0xFF, 0xFE, 0x80, 0x81]
        for i in 0..<2000 { garbage.append(UInt8(truncatingIfNeeded: i &* 7919)) }
        #expect(performing: { _ = try PrometheusConfig.parse(bytes: garbage) }, throws: { e in (e as? ConfigError)?.mark != nil })
        let invalid: [UInt8] = Array("global:\n  external_labels:\n    a: ".utf8) + [0xC3, 0x28] + [0x0A]
        #expect(performing: { _ = try PrometheusConfig.parse(bytes: invalid) }, throws: { e in
            guard let e = e as? ConfigError else { return false }
            return e.message.hasPrefix("yaml: ") && e.mark != nil
        })
    }

    @Test func deepNestingFailsWithAPosition() throws {
        let deep = String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let e = try #require(error("global: " + deep + "\n"))
        #expect(e.mark != nil)
        #expect(!e.message.contains("\n"))
    }

    /// An alias bomb (10^13 nodes) under known fields fails fast; go-yaml counts aliases only while decoding,
    /// so the same bomb under unknown fields is reported as those fields (diffs/04).
    @Test func aliasBombFailsFast() throws {
        var text = "global:\n  external_labels: {}\nzz0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<13 {
            text += "zz\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let unknown = try #require(error(text))
        #expect(unknown.message == "yaml: unmarshal errors:\n" + (0..<13).map { "  line \($0 + 3): field zz\($0) not found in type config.plain" }.joined(separator: "\n"))
        // Under known fields: 1,000 scrape configs of 100 groups of 100 targets, nearly all through aliases.
        let targets = "[" + (0..<100).map { "'h\($0):80'" }.joined(separator: ", ") + "]"
        let groups = "[&g {targets: \(targets)}, " + Array(repeating: "*g", count: 99).joined(separator: ", ") + "]"
        let bomb = "scrape_configs: [&sc {job_name: j, static_configs: \(groups)}, " + Array(repeating: "*sc", count: 999).joined(separator: ", ") + "]\n"
        let known = try #require(error(bomb))
        #expect(known.message == "yaml: document contains excessive aliasing")
        #expect(known.mark != nil)
    }

    @Test func hugeFileLoads() throws {
        var text = "scrape_configs:\n"
        for i in 0..<20_000 { text += "  - job_name: job\(i)\n    static_configs:\n      - targets: ['h\(i):80']\n" }
        let cfg = try parse(text)
        #expect(cfg.scrapeConfigs.count == 20_000)
        // A duplicate at the very end is still found, at its position.
        let e = try #require(error(text + "  - job_name: job7\n"))
        #expect(e.mark == Mark(line: 60_002, column: 5))
    }
}

/// Go's url.Parse, filepath and byte-size rules the models rely on.
@Suite struct HelperTests {
    @Test(arguments: [
        ("http://user:pw@host:9090/path?q=1#f", nil),
        ("::", "parse \"::\": missing protocol scheme"),
        ("http://host:port", "parse \"http://host:port\": invalid port \":port\" after host"),
        ("http://ho st/", "parse \"http://ho st/\": invalid character \" \" in host name"),
        ("a:b/c", nil),
        ("/x%zz", "parse \"/x%zz\": invalid URL escape \"%zz\""),
        ("1http://x", "parse \"1http://x\": first path segment in URL cannot contain colon"),
    ] as [(String, String?)])
    func urlParse(_ raw: String, _ expected: String?) {
        switch GoURL.parse(raw) {
        case .success(let u):
            #expect(expected == nil)
            #expect(!u.description.contains(":pw@"))
        case .failure(let e):
            #expect(e.message == expected)
        }
    }

    @Test func filePaths() {
        #expect(FilePath.joinDir("/etc/prometheus", "rules/*.yml") == "/etc/prometheus/rules/*.yml")
        #expect(FilePath.joinDir("/etc/prometheus", "/abs.yml") == "/abs.yml")
        #expect(FilePath.joinDir(".", "a/../b.yml") == "b.yml")
        #expect(FilePath.dir("x.yml") == ".")
        #expect(FilePath.ext("a/b.tar.gz") == ".gz")
    }

    @Test func byteSizes() {
        #expect((try? Base2Bytes.parse("512MB").get())?.bytes == 512 * 1024 * 1024)
        #expect((try? Base2Bytes.parse("1KiB").get())?.bytes == 1024)
        #expect((try? Base2Bytes.parse("0").get())?.bytes == 0)
        if case .failure(let e) = Base2Bytes.parse("100") { #expect(e.message == "units: unknown unit  in 100") } else { Issue.record("100 parsed") }
    }

    @Test func bcryptHashChecks() {
        #expect(WebConfig.bcryptCostError("notahash") == "crypto/bcrypt: hashedSecret too short to be a bcrypted password")
        #expect(WebConfig.bcryptCostError("$2y$10$abcdefghijklmnopqrstuuO0Z5qYz5qYz5qYz5qYz5qYz5qYz5qYz") == nil)
        #expect(WebConfig.bcryptCostError("$2y$40$abcdefghijklmnopqrstuuO0Z5qYz5qYz5qYz5qYz5qYz5qYz5qYz") == "crypto/bcrypt: cost 40 is outside allowed range (4,31)")
    }

    @Test(.needsCorpus) func globMatchesLikeGo() throws {
        let dir = Corpus.config.path
        let found = try FileSystem.glob(dir + "/scrape_configs/*.yml").get()
        #expect(found == [dir + "/scrape_configs/scrape_config_files1.good.yml", dir + "/scrape_configs/scrape_config_files2.good.yml"])
        #expect(try FileSystem.glob(dir + "/nothing-*.yml").get().isEmpty)
        if case .success = FileSystem.glob(dir + "/[a-") { Issue.record("bad pattern accepted") }
    }
}
