import ConfigModel
import DemoTargets
import Engine
import Foundation
import Lint
import Testing
import TestSupport

/// Each `check config --probe` finding against real servers on 127.0.0.1 started by the test.
@Suite struct ProbeFindingTests {
    static let exposition = DemoExposition.contentType

    @Test func refusedTargetIsDownWithTheReason() async throws {
        // A port that was just free: bind, note it, close.
        let closed = try await DemoHTTPServer(port: 0) { _ in nil }
        let address = closed.address
        await closed.stop()
        let dir = try ScratchDirectory("refused")
        defer { dir.remove() }
        let config = oneJobConfig(targets: [address])
        let (result, path) = try await probe(config, in: dir)
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.severity == .error)
        #expect(down.message.hasPrefix("job \"probe\": target http://\(address)/metrics is down: connection refused"))
        #expect(down.file == path)
        #expect(down.range.start == position(of: "'probe'", in: config))
        #expect(result.exitCode == 3)
    }

    @Test func unresolvableHostIsDownWithDNSReason() async throws {
        let dir = try ScratchDirectory("dns")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: ["no-such-host.invalid:9100"]), in: dir,
                                          options: ProbeOptions(timeout: .seconds(5)))
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: DNS lookup failed"), "\(down.message)")
    }

    @Test func tlsToAPlainServerIsDownWithTLSReason() async throws {
        let plain = try await server(DemoResponse(contentType: Self.exposition, text: "up 1\n"))
        let dir = try ScratchDirectory("tls")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [plain.address], extra: "    scheme: https"), in: dir,
                                          options: ProbeOptions(timeout: .seconds(5)))
        await plain.stop()
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: TLS handshake failed"), "\(down.message)")
    }

    @Test func slowTargetTimesOut() async throws {
        let slow = try await server(DemoResponse(contentType: Self.exposition, text: "up 1\n", delaySeconds: 5))
        let dir = try ScratchDirectory("timeout")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [slow.address]), in: dir,
                                          options: ProbeOptions(timeout: PromDuration(milliseconds: 300)))
        await slow.stop()
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: timed out after 300ms"), "\(down.message)")
    }

    @Test func httpErrorStatusIsTheReason() async throws {
        let missing = try await DemoHTTPServer(port: 0) { _ in nil }
        let dir = try ScratchDirectory("status")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [missing.address]), in: dir)
        await missing.stop()
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: HTTP status 404 Not Found: server returned HTTP status 404 Not Found"), "\(down.message)")
    }

    @Test(arguments: [
        (DemoResponse(contentType: "text/html; charset=utf-8", text: "<!DOCTYPE html>\n<html><body>Sign in</body></html>\n"), "an HTML page"),
        (DemoResponse(contentType: "application/json", text: #"{"status":"ok","uptime":12}"#), "a JSON document"),
        (DemoResponse(contentType: "text/plain", text: "  <html><head></head><body>oops</body></html>"), "an HTML page"),
        (DemoResponse(contentType: "text/plain", text: "Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n"),
         "NGINX's stub_status page"),
    ])
    func responseThatIsNotAnExpositionSaysWhatItIs(response: DemoResponse, looksLike: String) async throws {
        let page = try await server(response)
        let dir = try ScratchDirectory("shape")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir)
        await page.stop()
        let finding = try #require(result.findings(ProbeChecks.notExposition).first)
        #expect(finding.severity == .error)
        #expect(finding.message.contains("answers with \(looksLike)"), "\(finding.message)")
        #expect(result.findings(ProbeChecks.targetDown).isEmpty)
        #expect(result.exitCode == 3)
    }

    @Test func unrecognisedGarbageIsDownAsAnInvalidExposition() async throws {
        let page = try await server(DemoResponse(contentType: Self.exposition, text: "this is not { an exposition\n"))
        let dir = try ScratchDirectory("garbage")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir)
        await page.stop()
        #expect(result.findings(ProbeChecks.notExposition).isEmpty)
        let down = try #require(result.findings(ProbeChecks.targetDown).first)
        #expect(down.message.contains("is down: the response is not a valid exposition"), "\(down.message)")
    }

    /// The delay is a lower bound of the duration, so the finding does not depend on machine speed; the
    /// timeout leaves seconds of slack.
    @Test func scrapeTakingMostOfItsTimeoutIsSlow() async throws {
        let slow = try await server(DemoResponse(contentType: Self.exposition, text: "# HELP up x\n# TYPE up gauge\nup 1\n", delaySeconds: 1.6))
        let dir = try ScratchDirectory("slow")
        defer { dir.remove() }
        var options = ProbeOptions(timeout: .seconds(6))
        options.slowFraction = 0.25
        let (result, _) = try await probe(oneJobConfig(targets: [slow.address]), in: dir, options: options)
        await slow.stop()
        let finding = try #require(result.findings(ProbeChecks.slowScrape).first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("of its 6s timeout"), "\(finding.message)")
        #expect(result.exitCode == 0)
    }

    @Test func seriesPerTargetAndTopMetricNames() async throws {
        var text = "# HELP a_total A.\n# TYPE a_total counter\n"
        for i in 0..<7 { text += "a_total{k=\"\(i)\"} 1\n" }
        text += "# HELP b_bytes B.\n# TYPE b_bytes gauge\nb_bytes{k=\"1\"} 1\nb_bytes{k=\"2\"} 1\n"
        text += "# HELP c C.\n# TYPE c gauge\nc 1\n"
        let page = try await server(DemoResponse(contentType: Self.exposition, text: text))
        let dir = try ScratchDirectory("series")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir)
        await page.stop()
        let finding = try #require(result.findings(ProbeChecks.series).first)
        #expect(finding.severity == .info)
        #expect(finding.message == "job \"probe\": target http://\(page.address)/metrics: 10 series; most series: a_total 7, b_bytes 2, c 1")
        #expect(result.exitCode == 0)
    }

    @Test func labelOverTheCardinalityThreshold() async throws {
        var text = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n"
        for i in 0..<150 { text += "http_requests_total{path=\"/user/\(i)\",method=\"GET\"} 1\n" }
        let page = try await server(DemoResponse(contentType: Self.exposition, text: text))
        let dir = try ScratchDirectory("cardinality")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir)
        let (lenient, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir,
                                           options: ProbeOptions(cardinalityThreshold: 150))
        await page.stop()
        let findings = result.findings(ProbeChecks.labelCardinality)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("label \"path\" of http_requests_total has 150 values on target http://\(page.address)/metrics (threshold 100)"),
                "\(finding.message)")
        #expect(lenient.findings(ProbeChecks.labelCardinality).isEmpty)
    }

    @Test func namingProblemsInWhatWasScraped() async throws {
        // Two targets of one job serving the same names: each problem is reported once for the job.
        let text = "# TYPE requests counter\nrequests 1\n# HELP latency_milliseconds L.\n# TYPE latency_milliseconds gauge\nlatency_milliseconds 3\n"
        let a = try await server(DemoResponse(contentType: Self.exposition, text: text))
        let b = try await server(DemoResponse(contentType: Self.exposition, text: text))
        let dir = try ScratchDirectory("naming")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [a.address, b.address]), in: dir)
        await a.stop()
        await b.stop()
        let messages = result.findings(ProbeChecks.metricNaming).map(\.message).sorted()
        #expect(messages == [
            "job \"probe\": metric latency_milliseconds served by http://\(a.address)/metrics and 1 more target(s): use base unit \"seconds\" instead of \"milliseconds\"",
            "job \"probe\": metric requests served by http://\(a.address)/metrics and 1 more target(s): counter metrics should have \"_total\" suffix",
            "job \"probe\": metric requests served by http://\(a.address)/metrics and 1 more target(s): no help text",
        ])
        #expect(result.findings(ProbeChecks.metricNaming).allSatisfy { $0.severity == .warning })
    }

    @Test func aProtobufTargetIsProbedAndNotLintedAsText() async throws {
        // protoc's encoding of one counter family `requests` (no `_total`: a text lint would flag it) with
        // two series, behind its varint length.
        let body: [UInt8] = [
            0x34, 0x0A, 0x08, 0x72, 0x65, 0x71, 0x75, 0x65, 0x73, 0x74, 0x73, 0x22, 0x13, 0x0A, 0x06, 0x0A, 0x01,
            0x6B, 0x12, 0x01, 0x76, 0x1A, 0x09, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F, 0x22, 0x13,
            0x0A, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x77, 0x1A, 0x09, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x40,
        ]
        let page = try await server(DemoResponse(
            contentType: "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited", body: body))
        let dir = try ScratchDirectory("protobuf")
        defer { dir.remove() }
        let (result, _) = try await probe(oneJobConfig(targets: [page.address]), in: dir)
        await page.stop()
        #expect(result.findings(ProbeChecks.targetDown).isEmpty)
        let finding = try #require(result.findings(ProbeChecks.series).first)
        #expect(finding.message == "job \"probe\": target http://\(page.address)/metrics: 2 series; most series: requests 2")
        #expect(result.findings(ProbeChecks.metricNaming).isEmpty)
    }

    @Test func ruleSelectingAMetricNoTargetExposes() async throws {
        let page = try await server(DemoResponse(contentType: Self.exposition,
                                                 text: "# HELP sse_requests_total R.\n# TYPE sse_requests_total counter\nsse_requests_total 1\n"))
        let dir = try ScratchDirectory("unexposed")
        defer { dir.remove() }
        let rules = """
        groups:
          - name: g
            rules:
              - record: job:sse_requests:rate5m
                expr: sum(rate(sse_requests_total[5m]))
              - alert: Typo
                expr: rate(sse_request_totl[5m]) > 0 or rate(sse_request_totl[1m]) > 0
              - alert: UsesRecorded
                expr: job:sse_requests:rate5m > 1 and up == 0
        """
        try dir.write("rules/r.yml", rules)
        let (result, _) = try await probe(oneJobConfig(targets: [page.address], ruleFiles: ["rules/*.yml"]), in: dir)
        await page.stop()
        let findings = result.findings(ProbeChecks.unexposedMetric)
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning)
        #expect(finding.file.hasSuffix("rules/r.yml"))
        #expect(finding.range.start == position(of: "sse_request_totl", in: rules))
        #expect(finding.message == "alert \"Typo\" selects sse_request_totl, but none of the 1 target(s) that answered exposes it; the rule evaluates to nothing")
        // A warning alone keeps the exit code 0.
        #expect(result.exitCode == 0)
    }

    @Test func runtimeDiscoveredJobsAreNamedNotProbed() async throws {
        let dir = try ScratchDirectory("runtime")
        defer { dir.remove() }
        let (result, _) = try await probe("""
        scrape_configs:
          - job_name: dns
            dns_sd_configs:
              - names: ['_prometheus._tcp.example.org']
        """, in: dir)
        let finding = try #require(result.findings(ProbeChecks.runtimeDiscovery).first)
        #expect(finding.severity == .info)
        #expect(finding.message == "job \"dns\": dns_sd_configs targets are discovered at run time; they were not probed")
        #expect(result.targets.isEmpty)
        #expect(result.exitCode == 0)
    }

    @Test func invalidConfigIsAnInputErrorWithItsPosition() async throws {
        let dir = try ScratchDirectory("invalid")
        defer { dir.remove() }
        let (result, path) = try await probe("scrape_configs:\n  - job_name: x\n    scrape_interval: soon\n", in: dir)
        #expect(result.exitCode == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.check == InputErrors.config)
        #expect(d.file == path)
        #expect(d.range.start.line == 3)
        #expect(result.targets.isEmpty)
    }

    /// The findings render in every lint format; SARIF lists the probe's rules so results point at them.
    @Test func findingsRenderInEveryLintFormat() async throws {
        let page = try await server(DemoResponse(contentType: "text/html", text: "<html><body>login</body></html>"))
        let dir = try ScratchDirectory("formats")
        defer { dir.remove() }
        let config = oneJobConfig(targets: [page.address])
        let (result, path) = try await probe(config, in: dir)
        await page.stop()
        let at = try #require(position(of: "'probe'", in: config))
        let text = OutputFormat.text.render(result.diagnostics, catalogue: ProbeChecks.catalogue)
        #expect(text.hasPrefix("\(path):\(at.line):\(at.column): error: job \"probe\": target http://\(page.address)/metrics answers with an HTML page"))
        #expect(text.hasSuffix("[probe/not-exposition]\n"))
        let sarif = OutputFormat.sarif.render(result.diagnostics, catalogue: ProbeChecks.catalogue)
        #expect(sarif.contains("\"ruleId\" : \"probe/not-exposition\""))
        #expect(!sarif.contains("\"ruleIndex\" : -1"))
        let json = OutputFormat.json.render(result.diagnostics, catalogue: ProbeChecks.catalogue)
        #expect(json.contains("probe/not-exposition"))
        let github = OutputFormat.github.render(result.diagnostics, catalogue: ProbeChecks.catalogue)
        #expect(github.hasPrefix("::error file=\(path),line=\(at.line),col=\(at.column)"))
    }
}
