/// One alert instance of an alerting rule: its labels and annotations as expanded at the last evaluation,
/// its state, and the times the state machine needs (milliseconds since the epoch).
public struct Alert: Sendable, Equatable {
    public var state: AlertState
    /// The result series' labels (without `__name__`), the rule's expanded labels, and `alertname`.
    public var labels: Labels
    /// The rule's expanded annotations.
    public var annotations: Labels
    /// The sample value at the last evaluation (`$value`).
    public var value: Double
    /// When the alert first became active (pending).
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    /// When the expression stopped returning the alert while `keep_firing_for` kept it firing.
    public var keepFiringSince: Int64?

    public init(state: AlertState, labels: Labels, annotations: Labels, value: Double, activeAt: Int64,
                firedAt: Int64? = nil, resolvedAt: Int64? = nil, keepFiringSince: Int64? = nil) {
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.keepFiringSince = keepFiringSince
    }

    public static func == (a: Alert, b: Alert) -> Bool {
        a.state == b.state && a.labels == b.labels && a.annotations == b.annotations
            && a.value.bitPattern == b.value.bitPattern && a.activeAt == b.activeAt && a.firedAt == b.firedAt
            && a.resolvedAt == b.resolvedAt && a.keepFiringSince == b.keepFiringSince
    }
}
