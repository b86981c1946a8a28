/// The targets of one scrape job that can be known without contacting anything: `static_configs` and
/// `file_sd_configs` (files read now), grouped by their discovery source as Prometheus groups them.
///
/// Every other mechanism (Kubernetes, Consul, EC2, …) needs a live API, so it is only named in
/// `runtimeMechanisms`; the callers report it as "discovered at run time, not offline".
public struct JobTargets: Sendable {
    /// One target group with its discovery source (`0`, `1`, … for static configs; `FILE:INDEX` for file_sd).
    public struct Group: Sendable {
        public var source: String
        /// Each target's own labels (`__address__` for static and file targets).
        public var targets: [[String: String]]
        public var labels: LabelSet
    }

    public var job: ScrapeConfig
    public var groups: [Group] = []
    /// Mechanism names (`kubernetes`, `consul`, …) configured for the job that only run-time discovery can resolve.
    public var runtimeMechanisms: [String] = []
    /// file_sd files that could not be read or decoded (Prometheus logs these and keeps the other files).
    public var fileErrors: [ConfigError] = []

    /// The label file_sd adds to every group: the file it was read from.
    public static let filepathLabel = "__meta_filepath"

    /// Discovers the job's offline targets; file_sd patterns are globbed now (paths are already absolute).
    public static func discover(_ job: ScrapeConfig) -> JobTargets {
        var result = JobTargets(job: job)
        for (i, g) in job.staticConfigs.enumerated() {
            result.groups.append(Group(source: String(i), targets: g.targets.map(targetLabels), labels: g.labels))
        }
        for entry in job.serviceDiscoveryConfigs.entries {
            guard let fileSD = entry.config as? FileSDConfig else {
                if !result.runtimeMechanisms.contains(entry.mechanism) { result.runtimeMechanisms.append(entry.mechanism) }
                continue
            }
            for (i, pattern) in fileSD.files.enumerated() {
                let files: [String]
                switch FileSystem.glob(pattern) {
                case .success(let found): files = found
                case .failure(let e):
                    result.fileErrors.append(ConfigError(e.message, at: fileSD.mark(ofFile: i), file: job.sourceFile))
                    continue
                }
                for file in files {
                    do {
                        let groups = try TargetGroupFile.load(file)
                        for (index, g) in groups.enumerated() {
                            var labels = g.labels
                            labels.map.entries.removeAll { $0.key == filepathLabel }
                            labels.map.entries.append(.init(key: filepathLabel, value: file, keyMark: g.mark, valueMark: g.mark))
                            result.groups.append(Group(source: "\(file):\(index)", targets: g.targets.map(targetLabels), labels: labels))
                        }
                    } catch {
                        result.fileErrors.append(ConfigError(error.message, at: error.mark, file: error.file ?? file))
                    }
                }
            }
        }
        return result
    }

    /// A target's own labels; an empty address stays a (present, empty) key, so a group label cannot fill it.
    private static func targetLabels(_ address: String) -> [String: String] { ["__address__": address] }

    /// Every target of every group, populated and relabelled (`PopulateLabels`), in discovery order.
    public func populated() -> [PopulatedTarget] {
        let builder = PopulatedTarget.Builder(job: job)
        return groups.flatMap { g in g.targets.map { builder.populate(target: $0, group: g.labels) } }
    }
}
