/// What a backtest found for one alert instance: when it went pending, firing and resolved.
public struct AlertHistory: Sendable, Equatable {
    /// A change of state at an evaluation (milliseconds since the epoch).
    public struct Transition: Sendable, Equatable {
        public enum State: String, Sendable, Equatable {
            case pending, firing, resolved
        }

        public var state: State
        public var time: Int64

        public init(_ state: State, at time: Int64) {
            self.state = state
            self.time = time
        }
    }

    public var alertname: String
    /// The alert's labels (the result series' labels, the rule's labels and `alertname`).
    public var labels: Labels
    /// In time order; consecutive entries always differ in state.
    public var transitions: [Transition]

    public init(alertname: String, labels: Labels, transitions: [Transition]) {
        self.alertname = alertname
        self.labels = labels
        self.transitions = transitions
    }
}
