/// An alerting rule with its alert instances: Prometheus's `AlertingRule.Eval` state machine
/// (inactive → pending → firing → resolved), `for`, `keep_firing_for`, templated labels and annotations,
/// and the `ALERTS` / `ALERTS_FOR_STATE` samples it returns for the TSDB.
public struct AlertingRule: Sendable {
    /// A label or annotation of the rule: its text, and the text parsed once as an alert template
    /// (nil when it has no `{{`, so it expands to itself, or when it does not parse, so that expanding it
    /// yields Prometheus's parse-error text each time).
    struct TemplatedEntry: Sendable {
        var name: String
        var text: String
        var template: GoTemplate?
        var isTemplated: Bool
    }

    public let name: String
    public let expr: Expr
    /// `for:` in milliseconds.
    public let holdMillis: Int64
    /// `keep_firing_for:` in milliseconds.
    public let keepFiringForMillis: Int64
    /// The group's and the rule's labels (the rule's win), sorted by name, unexpanded.
    public let labels: Labels
    /// The rule's annotations, sorted by name, unexpanded.
    public let annotations: Labels
    public let externalLabels: [String: String]
    public let externalURL: String
    /// Whether `ALERTS`/`ALERTS_FOR_STATE` samples are produced (Prometheus waits for state restoration;
    /// unit tests mark every rule restored).
    public var restored: Bool
    /// Alert instances by label set, including resolved ones kept for 15 minutes.
    public private(set) var active: [Labels: Alert] = [:]

    private let labelEntries: [TemplatedEntry]
    private let annotationEntries: [TemplatedEntry]

    /// How long Prometheus keeps resolved alerts (`resolvedRetention`).
    public static let resolvedRetentionMillis: Int64 = 15 * 60_000

    public init(name: String, expr: Expr, holdMillis: Int64, keepFiringForMillis: Int64, labels: Labels,
                annotations: Labels, externalLabels: [String: String] = [:], externalURL: String = "", restored: Bool = true) {
        self.name = name
        self.expr = expr
        self.holdMillis = holdMillis
        self.keepFiringForMillis = keepFiringForMillis
        self.labels = labels
        self.annotations = annotations
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.restored = restored
        func entries(_ ls: Labels) -> [TemplatedEntry] {
            ls.labels.map { l in
                let templated = l.value.utf8.contains(0x7B) && l.value.contains("{{")
                let t = templated ? try? AlertTemplateExpander.parseAlertTemplate(alertName: name, text: l.value) : nil
                return TemplatedEntry(name: l.name, text: l.value, template: t, isTemplated: templated)
            }
        }
        labelEntries = LargeStack.run { entries(labels) }
        annotationEntries = LargeStack.run { entries(annotations) }
    }

    /// The alerts Prometheus reports as active: every instance not resolved (pending or firing).
    public var activeAlerts: [Alert] {
        active.values.filter { $0.resolvedAt == nil }.sorted { $0.labels < $1.labels }
    }

    /// Evaluates the rule at `time` (ms): queries at `time - queryOffset`, advances every alert's state and
    /// returns the `ALERTS` and `ALERTS_FOR_STATE` samples (when `restored`). Errors are Prometheus's.
    public mutating func eval(at time: Int64, queryOffsetMillis: Int64, limit: Int,
                              querier: RuleQuerier) throws(RuleEvalError) -> [VectorSample] {
        let queryTime = time &- queryOffsetMillis
        let result = try querier.vector(expr, at: queryTime)
        var fresh: [Labels: Alert] = [:]
        fresh.reserveCapacity(result.count)
        let needsExpansion = labelEntries.contains(where: \.isTemplated) || annotationEntries.contains(where: \.isTemplated)
        let templateQuery = needsExpansion ? querier.templateQuery(at: time) : nil
        for sample in result {
            var expander: AlertTemplateExpander? = nil
            if needsExpansion {
                var sampleLabels: [String: String] = [:]
                for l in sample.labels.labels { sampleLabels[l.name] = l.value }
                let value: TemplateValue = sample.h.map { .opaque(typeName: "*histogram.FloatHistogram", text: $0.description) }
                    ?? .float(sample.f)
                expander = AlertTemplateExpander(alertName: name, labels: sampleLabels, externalLabels: externalLabels,
                                                 externalURL: externalURL, templateValue: value, timestampMillis: time,
                                                 query: templateQuery)
            }
            // labels.Builder semantics: later settings win, an empty value removes the label.
            var alertLabels = sample.labels.setting("__name__", "")
            for e in labelEntries { alertLabels = alertLabels.setting(e.name, Self.expand(e, with: expander)) }
            alertLabels = alertLabels.setting("alertname", name)
            // Annotations keep empty values (a ScratchBuilder, not a Builder).
            let alertAnnotations = Labels(sorted: annotationEntries.map { .init($0.name, Self.expand($0, with: expander)) })
            guard fresh[alertLabels] == nil else { throw .duplicateAlertLabelSet }
            fresh[alertLabels] = Alert(state: .pending, labels: alertLabels, annotations: alertAnnotations,
                                       value: sample.h == nil ? sample.f : 0, activeAt: time)
        }

        for (key, alert) in fresh {
            if var existing = active[key], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[key] = existing
            } else {
                active[key] = alert
            }
        }

        var out: [VectorSample] = []
        var numActive = 0
        for key in Array(active.keys) {
            guard var a = active[key] else { continue }
            if fresh[key] == nil {
                var keepFiring = false
                if a.state == .firing && keepFiringForMillis > 0 {
                    if a.keepFiringSince == nil { a.keepFiringSince = time }
                    if let since = a.keepFiringSince, time &- since < keepFiringForMillis { keepFiring = true }
                }
                let expired = a.resolvedAt.map { time &- $0 > Self.resolvedRetentionMillis } ?? false
                let remove = a.state == .pending || expired
                if a.state != .inactive && !keepFiring {
                    a.state = .inactive
                    a.resolvedAt = time
                }
                if remove {
                    active[key] = nil
                } else {
                    active[key] = a
                }
                if !keepFiring { continue }
            } else {
                a.keepFiringSince = nil
            }
            numActive += 1
            if a.state == .pending && time &- a.activeAt >= holdMillis {
                a.state = .firing
                a.firedAt = time
            }
            if a.state == .firing && time &- a.activeAt < holdMillis {
                a.state = .pending
                a.firedAt = nil
                a.keepFiringSince = nil
            }
            active[key] = a
            if restored {
                out.append(alertsSample(a, t: queryTime))
                out.append(forStateSample(a, t: queryTime))
            }
        }
        if limit > 0 && numActive > limit {
            active = [:]
            throw RuleEvalError("exceeded limit of \(limit) with \(numActive) alerts")
        }
        return out
    }

    private static func expand(_ e: TemplatedEntry, with expander: AlertTemplateExpander?) -> String {
        guard e.isTemplated, let expander else { return e.text }
        if let t = e.template { return LargeStack.run { expander.expandForAlert(t) } }
        return expander.expandForAlert(e.text)
    }

    /// The rule's labels overlaid with the alert's (`labels.NewBuilder(r.labels)` then the alert's labels).
    private func sampleLabels(_ a: Alert, name metric: String) -> Labels {
        var l = labels
        for x in a.labels.labels { l = l.setting(x.name, x.value) }
        return l.setting("__name__", metric).setting("alertname", name)
    }

    /// `ALERTS{alertname, alertstate, <labels>}` = 1.
    private func alertsSample(_ a: Alert, t: Int64) -> VectorSample {
        VectorSample(labels: sampleLabels(a, name: "ALERTS").setting("alertstate", a.state.description), t: t, f: 1)
    }

    /// `ALERTS_FOR_STATE{alertname, <labels>}` = the alert's active-since time in Unix seconds.
    private func forStateSample(_ a: Alert, t: Int64) -> VectorSample {
        let seconds = a.activeAt >= 0 ? a.activeAt / 1000 : (a.activeAt &- 999) / 1000
        return VectorSample(labels: sampleLabels(a, name: "ALERTS_FOR_STATE"), t: t, f: Double(seconds))
    }
}
