import Testing
@testable import Lint

@Suite struct ConfigCardinalityChecksTests {
    @Test func jobsWithoutLimits() throws {
        let ds = only("cardinality/no-scrape-limits", try lintFiles([
            "p.yml": "scrape_configs:\n  - job_name: a\n  - job_name: b\n    sample_limit: 1000\n  - job_name: c\n    sample_limit: 10\n    label_limit: 30\n",
        ]))
        #expect(ds.count == 2)
        #expect(ds.allSatisfy { $0.severity == .info })
        #expect(ds.map(\.range.start.line) == [2, 3])
        #expect(ds[1].message.contains("no label_limit"))
        let global = only("cardinality/no-scrape-limits", try lintFiles([
            "p.yml": "global:\n  sample_limit: 5000\n  label_limit: 40\nscrape_configs:\n  - job_name: a\n",
        ]))
        #expect(global.isEmpty)
    }

    @Test func relabelCopyingAddress() throws {
        let fires = only("cardinality/relabel-unbounded", try lintFiles([
            "p.yml": """
                scrape_configs:
                  - job_name: a
                    relabel_configs:
                      - source_labels: [__address__]
                        target_label: host
                      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
                        regex: (.+)
                        target_label: path

                """,
        ]))
        #expect(fires.count == 2)
        #expect(fires.first?.range.start.line == 5)
        let intoHighCardinality = only("cardinality/relabel-unbounded", try lintFiles([
            "p.yml": "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [__meta_kubernetes_pod_uid_x]\n        target_label: uuid\n",
        ]))
        #expect(intoHighCardinality.count == 1)
        let clean = only("cardinality/relabel-unbounded", try lintFiles([
            "p.yml": """
                scrape_configs:
                  - job_name: a
                    relabel_configs:
                      - source_labels: [__address__]
                        regex: '([^:]+):\\d+'
                        target_label: host
                      - source_labels: [__address__]
                        target_label: __param_target
                      - source_labels: [__meta_kubernetes_namespace]
                        target_label: namespace

                """,
        ]))
        #expect(clean.isEmpty)
    }
}
