extension Series {
    /// Calls `float` or `histogram` for each sample with a time in `range`, in time order, straight from the chunks
    /// (no intermediate sample array). Stops early when a callback throws.
    public func forEachSample<E: Error>(in range: ClosedRange<Int64>, float: (Int64, Double) throws(E) -> Void,
                                        histogram: (Int64, FloatHistogram) throws(E) -> Void) throws(E) {
        if let disk {
            let lo = max(range.lowerBound, mint), hi = min(range.upperBound, maxt)
            if lo <= hi { try disk.forEachSample(in: lo...hi, float: float, histogram: histogram) }
            return
        }
        var it = makeIterator()
        guard it.seek(to: range.lowerBound) else { return }
        repeat {
            let t = it.atT()
            if t > range.upperBound { return }
            switch it.valueType {
            case .float: try float(t, it.at().v)
            case .histogram: try histogram(t, it.atHistogram().h)
            }
        } while it.next()
    }
}
