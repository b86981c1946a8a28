import ConfigModel
import Engine

/// What scraping one target once showed: the scrape report and what the probe derived from the response
/// (the response itself is not kept, so memory stays bounded by the targets scraped at once).
public struct TargetProbe: Sendable {
    /// A label of one metric with many values.
    public struct HighCardinality: Sendable, Equatable {
        public var metric: String
        public var label: String
        public var values: Int
    }

    public var job: String
    public var url: String
    public var timeout: PromDuration
    public var report: ScrapeReport
    /// HTTP status line of the response (`200 OK`); nil when none came.
    public var statusText: String?
    public var status: Int?
    public var contentType: String?
    /// What a rejected 200 response looks like, when recognisable.
    public var shape: ResponseShape?
    /// The `check metrics` problems of the response (text format only).
    public var namingProblems: [MetricsLintProblem] = []
    public var highCardinality: [HighCardinality] = []

    /// Scrapes `target` once into a scratch head and derives the findings' facts from it.
    static func scrape(_ target: ScrapeTarget, job: ScrapeConfig, fetcher: any ScrapeFetcher,
                       options: ProbeOptions) async -> TargetProbe {
        let recorder = RecordingFetcher(fetcher)
        let head = Head()
        let report = await TargetScraper(target: target, job: job, head: head, fetcher: recorder).scrape(at: options.now)
        var probe = TargetProbe(job: job.jobName, url: target.url, timeout: target.timeout, report: report)
        guard let response = recorder.response else { return probe }
        probe.status = response.status
        probe.statusText = response.statusText
        probe.contentType = response.contentType
        if !report.up {
            if response.status == 200 { probe.shape = ResponseShape.classify(response.body, contentType: response.contentType) }
            return probe
        }
        // The `check metrics` parser reads the text format; other formats (OpenMetrics, protobuf) are not linted.
        let contentType = response.contentType.lowercased()
        if !contentType.contains("openmetrics") && !contentType.contains("vnd.google.protobuf"),
           let problems = try? MetricsLinter().lint(response.body) {
            probe.namingProblems = problems
        }
        probe.highCardinality = highCardinality(head, report: report, threshold: options.cardinalityThreshold)
        return probe
    }

    /// Labels of a metric with more values than `threshold` (only metrics with more series can have them).
    static func highCardinality(_ head: Head, report: ScrapeReport, threshold: Int) -> [HighCardinality] {
        var out: [HighCardinality] = []
        for (metric, count) in report.seriesPerMetric where count > threshold {
            guard let byName = try? LabelMatcher(.equal, "__name__", metric) else { continue }
            for label in head.labelNames(matchers: [byName]) where label != "__name__" {
                let n = head.labelValues(label, matchers: [byName]).count
                if n > threshold { out.append(HighCardinality(metric: metric, label: label, values: n)) }
            }
        }
        return out.sorted { ($0.metric, $0.label) < ($1.metric, $1.label) }
    }
}
