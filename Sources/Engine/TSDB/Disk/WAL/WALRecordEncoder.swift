/// Encodes the WAL records a head writes on commit, in Prometheus 3.14's `tsdb/record` formats (the ones
/// `WALRecordDecoder` reads): series records (type 1) and float samples in the V1 form (type 2), which 3.14 writes
/// unless start-timestamp storage is enabled and which every Prometheus since 2.0 reads.
public enum WALRecordEncoder {
    /// A series record: per series its ref (big-endian 64 bits) and labels (a count, then name/value strings).
    public static func series(_ series: [WALSeries], into w: inout ByteWriter) {
        w.byte(WALRecordType.series.rawValue)
        for s in series {
            w.be64(s.ref)
            w.uvarint(UInt64(s.labels.count))
            for l in s.labels.labels {
                w.uvarintString(l.name)
                w.uvarintString(l.value)
            }
        }
    }

    /// A V1 samples record: the first sample's ref and timestamp (big-endian 64 bits), then per sample the ref and
    /// timestamp as varint deltas to those and the value's bits (big-endian 64 bits). Start timestamps are not
    /// stored in this form.
    public static func samples(_ samples: [WALSample], into w: inout ByteWriter) {
        w.byte(WALRecordType.samples.rawValue)
        guard let first = samples.first else { return }
        w.be64(first.ref)
        w.be64(UInt64(bitPattern: first.t))
        for s in samples {
            w.varint(Int64(bitPattern: s.ref &- first.ref))
            w.varint(s.t &- first.t)
            w.be64(s.v.bitPattern)
        }
    }
}
