import GoCompat

/// Walks the input of histogram_quantile and histogram_fraction step by step: native histograms, and classic
/// buckets grouped by their labels without `le` (and without the name unless its removal is delayed). Groups and
/// bucket bounds are worked out once per series; a malformed `le` and a group holding both kinds at one step get
/// Prometheus's warnings (and the clashing samples are dropped).
struct HistogramSteps {
    let input: [EvalSeries]
    /// Labels of each classic group.
    private(set) var groupLabels: [Labels] = []
    private var groupOf: [Int] = []
    private var bound: [Double?] = []
    private(set) var cursors: [StepCursor]
    /// Per group: the step whose buckets `buckets` holds (-2 after a clash), the buckets and the metric name.
    private var classicAt: [Int]
    private(set) var buckets: [[ClassicBucket]]
    private(set) var groupName: [String]
    /// The classic groups at the current step, in order of first appearance.
    private(set) var order: [Int] = []
    /// The series with a native histogram at the current step.
    private(set) var natives: [Int] = []

    init(_ input: [EvalSeries], delayedNameRemoval: Bool) {
        self.input = input
        let dropped: Set<String> = delayedNameRemoval ? ["le"] : ["le", "__name__"]
        var groupIndex: [Labels: Int] = [:]
        for s in input {
            let key = s.labels.removing(dropped)
            if let g = groupIndex[key] { groupOf.append(g) } else {
                groupIndex[key] = groupLabels.count
                groupOf.append(groupLabels.count)
                groupLabels.append(key)
            }
            bound.append(s.labels["le"].flatMap { GoStrconv.parseFloat($0) })
        }
        cursors = Array(repeating: StepCursor(), count: input.count)
        classicAt = Array(repeating: -1, count: groupLabels.count)
        buckets = Array(repeating: [], count: groupLabels.count)
        groupName = Array(repeating: "", count: groupLabels.count)
    }

    /// Moves to step `i` at time `t` and sorts its samples into `natives` and the classic groups of `order`.
    mutating func advance(step i: Int, to t: Int64, annotations: Annotations) {
        order.removeAll(keepingCapacity: true)
        natives.removeAll(keepingCapacity: true)
        for si in input.indices {
            let at = cursors[si].seek(input[si], to: t)
            if at.float {
                let name = input[si].labels.metricName ?? ""
                guard let le = bound[si] else {
                    annotations.warn("bucket label \"le\" is missing or has a malformed value of \(quoteLabelValue(input[si].labels["le"] ?? ""))\(name.isEmpty ? "" : " for metric name \(quoteLabelValue(name))")")
                    continue
                }
                let g = groupOf[si]
                if classicAt[g] != i {
                    classicAt[g] = i
                    buckets[g].removeAll(keepingCapacity: true)
                    groupName[g] = name
                    order.append(g)
                }
                buckets[g].append(ClassicBucket(upperBound: le, count: input[si].floats[cursors[si].floatPos].f))
            }
            if at.histogram { natives.append(si) }
        }
        // A native histogram and classic buckets of the same group at one step: both are dropped.
        var clashed = false
        natives.removeAll { si in
            let g = groupOf[si]
            guard classicAt[g] == i else { return false }
            annotations.warn("vector contains a mix of classic and native histograms\(groupName[g].isEmpty ? "" : " for metric name \(quoteLabelValue(groupName[g]))")")
            classicAt[g] = -2
            clashed = true
            return true
        }
        if clashed { order.removeAll { classicAt[$0] != i } }
    }

    /// The native histogram of series `si` at the current step (one of `natives`).
    func histogram(_ si: Int) -> FloatHistogram { input[si].histograms[cursors[si].histogramPos].h }
}
