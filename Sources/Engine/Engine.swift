/// The shared engine: PromQL, templates, TSDB, exposition parsing, scraping and rule evaluation.
public enum EngineInfo {
    /// The Prometheus release whose semantics this engine follows.
    public static let prometheusVersion = "3.14.0"
}
