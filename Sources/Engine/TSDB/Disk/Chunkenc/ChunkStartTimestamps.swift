/// The start-timestamp (ST) stream that Prometheus 3.x's ST chunk encodings (`XOR2`, `histogramST`,
/// `floathistogramST`; `tsdb/chunkenc/st.go`) interleave with the samples. One header byte says whether the first
/// sample carries a start timestamp (bit 7) and from which sample index on every sample carries one (bits 6–0,
/// 0 meaning "never"). Start timestamps are kept as `previous sample's t − st` differences, cumulated.
///
/// Our engine has no use for start timestamps yet (PromQL never reads them; Prometheus uses them at ingestion),
/// so queries and `tsdb dump` drop them, but `ChunkSamples.decodeWithStartTimestamps` exposes them and every
/// chunk still has to decode them to find the samples that follow.
struct ChunkStartTimestamps: Sendable {
    /// Whether sample 0 carries a start timestamp (a byte varint after it).
    let firstKnown: Bool
    /// The first sample index (1…127) from which every sample carries a start-timestamp delta; 0 for none.
    let firstChangeOn: Int
    /// The start timestamp of the last decoded sample (0 when none was written).
    private(set) var st: Int64 = 0
    private var diff: Int64 = 0

    /// Reads the ST header byte.
    init(header: UInt8) {
        firstKnown = header & 0x80 != 0
        firstChangeOn = Int(header & 0x7F)
    }

    /// Reads the start-timestamp data after sample `index` (0-based) at time `t`, whose predecessor was at
    /// `previousT` (unused for sample 0). XOR2 and the histogram ST chunks store it identically.
    mutating func read(after index: Int, t: Int64, previousT: Int64, from r: inout ChunkBitReader) throws(ChunkDecodeError) {
        if index == 0 {
            guard firstKnown else { return }
            diff = try r.byteVarint()
            st = t &- diff
            return
        }
        guard firstChangeOn > 0, index >= firstChangeOn else { return }
        let d = try r.varbitInt()
        diff = index == firstChangeOn ? d : diff &+ d
        st = previousT &- diff
    }
}
