/// Decodes WAL records (Prometheus 3.14's `tsdb/record` formats): series, float samples (V1 and the V2 form with
/// start timestamps), tombstones, exemplars, mmap markers, metadata, and integer/float native histograms with
/// exponential or custom buckets (V1 and V2). Every count read from the record is bounded by the bytes left, so a
/// corrupt record costs at most its own size; any malformed record is a `WALRecordDecoder.Error` with the offset
/// inside the record.
public enum WALRecordDecoder {
    /// Why a record could not be decoded (offset from the start of the decompressed record).
    public struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "\(message) at record offset \(offset)" }
    }

    /// The record's type, or nil for a type 3.14 does not know (Prometheus skips those on replay).
    public static func type(of record: [UInt8]) -> WALRecordType? {
        record.first.flatMap(WALRecordType.init(rawValue:))
    }

    /// Decodes a whole record; an empty record or an unknown type is an error.
    public static func decode(_ record: [UInt8]) throws(Error) -> WALRecord {
        guard let first = record.first else { throw Error(offset: 0, message: "empty record") }
        guard let type = WALRecordType(rawValue: first) else {
            throw Error(offset: 0, message: "unknown record type \(first)")
        }
        let result = record.withUnsafeBytes { (raw) -> Result<WALRecord, Error> in
            var r = ByteReader(raw, offset: 1)
            do {
                let decoded = try decodeBody(type, &r)
                guard r.remaining == 0 else {
                    return .failure(Error(offset: r.offset, message: "unexpected \(r.remaining) bytes left in entry"))
                }
                return .success(decoded)
            } catch let e as ByteReader.Error {
                return .failure(Error(offset: e.offset, message: "decode \(type) record: \(e.reason)"))
            } catch let e as Error {
                return .failure(e)
            } catch {
                return .failure(Error(offset: r.offset, message: "\(error)"))
            }
        }
        return try result.get()
    }

    private static func decodeBody(_ type: WALRecordType, _ r: inout ByteReader) throws -> WALRecord {
        switch type {
        case .series:
            var out: [WALSeries] = []
            while r.remaining > 0 {
                let ref = try r.be64()
                out.append(WALSeries(ref: ref, labels: try labels(&r)))
            }
            return .series(out)
        case .samples:
            return .samples(try samplesV1(&r))
        case .samplesV2:
            return .samples(try samplesV2(&r))
        case .tombstones:
            var out: [WALTombstone] = []
            while r.remaining > 0 {
                let ref = try r.be64()
                let mint = try r.varint()
                let maxt = try r.varint()
                out.append(WALTombstone(ref: ref, minTime: mint, maxTime: maxt))
            }
            return .tombstones(out)
        case .exemplars:
            var out: [WALExemplar] = []
            guard r.remaining > 0 else { return .exemplars(out) }
            let baseRef = try r.be64()
            let baseTime = Int64(bitPattern: try r.be64())
            while r.remaining > 0 {
                let dref = try r.varint()
                let dt = try r.varint()
                let v = Double(bitPattern: try r.be64())
                let ls = try labels(&r)
                out.append(WALExemplar(ref: baseRef &+ UInt64(bitPattern: dref), t: baseTime &+ dt, v: v, labels: ls))
            }
            return .exemplars(out)
        case .mmapMarkers:
            var out: [WALMmapMarker] = []
            while r.remaining > 0 {
                let ref = try r.be64()
                out.append(WALMmapMarker(ref: ref, mmapRef: try r.be64()))
            }
            return .mmapMarkers(out)
        case .metadata:
            var out: [WALMetadata] = []
            while r.remaining > 0 {
                let ref = try r.uvarint()
                let typ = try r.byte()
                let fields = try r.uvarintInt(limit: r.remaining)
                var unit = "", help = ""
                for _ in 0..<fields {
                    let name = try r.uvarintString()
                    let value = try r.uvarintString()
                    if name == "UNIT" { unit = value } else if name == "HELP" { help = value }
                }
                out.append(WALMetadata(ref: ref, type: typ, unit: unit, help: help))
            }
            return .metadata(out)
        case .histogramSamples, .customBucketsHistogramSamples:
            return .histogramSamples(try histogramsV1(&r, isFloat: false))
        case .floatHistogramSamples, .customBucketsFloatHistogramSamples:
            return .histogramSamples(try histogramsV1(&r, isFloat: true))
        case .histogramSamplesV2:
            return .histogramSamples(try histogramsV2(&r, isFloat: false))
        case .floatHistogramSamplesV2:
            return .histogramSamples(try histogramsV2(&r, isFloat: true))
        }
    }

    /// A label set: a count, then name/value strings. Prometheus writes them sorted; anything else is re-sorted.
    static func labels(_ r: inout ByteReader) throws -> Labels {
        let n = try r.uvarintInt(limit: r.remaining / 2)
        var list: [Labels.Label] = []
        list.reserveCapacity(n)
        var sorted = true
        for i in 0..<n {
            let name = try r.uvarintString()
            let value = try r.uvarintString()
            if i > 0, let prev = list.last, !(prev.name < name) { sorted = false }
            list.append(Labels.Label(name, value))
        }
        if sorted && !list.contains(where: { $0.value.isEmpty }) { return Labels(sorted: list) }
        return Labels(list.map { ($0.name, $0.value) })
    }

    private static func samplesV1(_ r: inout ByteReader) throws -> [WALSample] {
        var out: [WALSample] = []
        guard r.remaining > 0 else { return out }
        let baseRef = try r.be64()
        let baseTime = Int64(bitPattern: try r.be64())
        out.reserveCapacity(r.remaining / 10)
        while r.remaining > 0 {
            let dref = try r.varint()
            let dt = try r.varint()
            let v = Double(bitPattern: try r.be64())
            out.append(WALSample(ref: baseRef &+ UInt64(bitPattern: dref), startTime: 0, t: baseTime &+ dt, v: v))
        }
        return out
    }

    /// The start-timestamp marker of V2 records after the first sample: none, the previous sample's, or a delta
    /// from the first sample's.
    private static func startTime(_ r: inout ByteReader, previous: Int64, first: Int64) throws -> Int64 {
        switch try r.byte() {
        case 0: return 0
        case 1: return previous
        default: return first &+ (try r.varint())
        }
    }

    private static func samplesV2(_ r: inout ByteReader) throws -> [WALSample] {
        var out: [WALSample] = []
        guard r.remaining > 0 else { return out }
        out.reserveCapacity(r.remaining / 10)
        var firstT: Int64 = 0, firstST: Int64 = 0
        while r.remaining > 0 {
            var s = WALSample(ref: 0, startTime: 0, t: 0, v: 0)
            if let prev = out.last {
                s.ref = UInt64(bitPattern: Int64(bitPattern: prev.ref) &+ (try r.varint()))
                s.t = firstT &+ (try r.varint())
                s.startTime = try startTime(&r, previous: prev.startTime, first: firstST)
            } else {
                s.ref = UInt64(bitPattern: try r.varint())
                firstT = try r.varint()
                s.t = firstT
                firstST = try r.varint()
                s.startTime = firstST
            }
            s.v = Double(bitPattern: try r.be64())
            out.append(s)
        }
        return out
    }

    private static func histogramsV1(_ r: inout ByteReader, isFloat: Bool) throws -> [WALHistogramSample] {
        var out: [WALHistogramSample] = []
        guard r.remaining > 0 else { return out }
        let baseRef = try r.be64()
        let baseTime = Int64(bitPattern: try r.be64())
        while r.remaining > 0 {
            let dref = try r.varint()
            let dt = try r.varint()
            let h = try histogram(&r, isFloat: isFloat)
            let sample = WALHistogramSample(ref: baseRef &+ UInt64(bitPattern: dref), startTime: 0, t: baseTime &+ dt,
                                            histogram: h, isFloat: isFloat)
            if let kept = supportedSchema(sample) { out.append(kept) }
        }
        return out
    }

    private static func histogramsV2(_ r: inout ByteReader, isFloat: Bool) throws -> [WALHistogramSample] {
        var out: [WALHistogramSample] = []
        guard r.remaining > 0 else { return out }
        let firstRef = UInt64(bitPattern: try r.varint())
        let firstT = try r.varint()
        let firstST = try r.varint()
        var prevRef = firstRef, prevST = firstST
        var first = true
        while r.remaining > 0 {
            var ref = firstRef, t = firstT, st = firstST
            if !first {
                ref = UInt64(bitPattern: Int64(bitPattern: prevRef) &+ (try r.varint()))
                t = firstT &+ (try r.varint())
                st = try startTime(&r, previous: prevST, first: firstST)
            }
            first = false
            prevRef = ref
            prevST = st
            let h = try histogram(&r, isFloat: isFloat)
            let sample = WALHistogramSample(ref: ref, startTime: st, t: t, histogram: h, isFloat: isFloat)
            if let kept = supportedSchema(sample) { out.append(kept) }
        }
        return out
    }

    /// Prometheus drops histograms of schemas it does not know (with a warning) and reduces the resolution of the
    /// reserved higher exponential schemas (9…52) to 8.
    private static func supportedSchema(_ s: WALHistogramSample) -> WALHistogramSample? {
        let schema = s.histogram.schema
        if schema == FloatHistogram.customBucketsSchema || (-4...8).contains(schema) { return s }
        guard (-9...52).contains(schema) else { return nil }
        guard schema > 8 else { return s }
        let h = s.histogram
        // Reduction walks the buckets by their spans; an inconsistent layout is left for validation to reject.
        let covered = { (spans: [FloatHistogram.Span]) in spans.reduce(0) { $0 &+ Int($1.length) } }
        guard covered(h.positiveSpans) == h.positiveBuckets.count, covered(h.negativeSpans) == h.negativeBuckets.count else { return s }
        var reduced = s
        reduced.histogram = h.reducedResolution(to: 8)
        return reduced
    }

    /// One histogram body. Integer histograms store counts as uvarints and buckets as varint deltas (the first
    /// absolute); float ones store every number as an IEEE 754 double.
    static func histogram(_ r: inout ByteReader, isFloat: Bool) throws -> FloatHistogram {
        // Go keeps whatever byte is there; an unknown hint means "unknown".
        let hint = FloatHistogram.CounterResetHint(rawValue: try r.byte()) ?? .unknown
        let schemaOffset = r.offset
        let schema64 = try r.varint()
        guard let schema = Int32(exactly: schema64) else { throw Error(offset: schemaOffset, message: "histogram schema \(schema64) out of range") }
        var h = FloatHistogram(counterResetHint: hint, schema: schema)
        h.zeroThreshold = Double(bitPattern: try r.be64())
        if isFloat {
            h.zeroCount = Double(bitPattern: try r.be64())
            h.count = Double(bitPattern: try r.be64())
        } else {
            h.zeroCount = Double(try r.uvarint())
            h.count = Double(try r.uvarint())
        }
        h.sum = Double(bitPattern: try r.be64())
        h.positiveSpans = try spans(&r)
        h.negativeSpans = try spans(&r)
        h.positiveBuckets = try buckets(&r, isFloat: isFloat)
        h.negativeBuckets = try buckets(&r, isFloat: isFloat)
        if schema == FloatHistogram.customBucketsSchema {
            let n = try r.uvarintInt(limit: r.remaining / 8)
            var values: [Double] = []
            values.reserveCapacity(n)
            for _ in 0..<n { values.append(Double(bitPattern: try r.be64())) }
            h.customValues = values
        }
        return h
    }

    private static func spans(_ r: inout ByteReader) throws -> [FloatHistogram.Span] {
        let n = try r.uvarintInt(limit: r.remaining / 2)
        var out: [FloatHistogram.Span] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            // Go truncates the offset to 32 bits and rejects a length that does not fit.
            let offset = Int32(truncatingIfNeeded: try r.varint())
            let lengthOffset = r.offset
            guard let length = UInt32(exactly: try r.uvarint()) else {
                throw Error(offset: lengthOffset, message: "span length overflows 32 bits")
            }
            out.append(FloatHistogram.Span(offset: offset, length: length))
        }
        return out
    }

    private static func buckets(_ r: inout ByteReader, isFloat: Bool) throws -> [Double] {
        let n = try r.uvarintInt(limit: isFloat ? r.remaining / 8 : r.remaining)
        var out: [Double] = []
        out.reserveCapacity(n)
        if isFloat {
            for _ in 0..<n { out.append(Double(bitPattern: try r.be64())) }
        } else {
            var running: Int64 = 0
            for _ in 0..<n {
                running &+= try r.varint()
                out.append(Double(running))
            }
        }
        return out
    }
}
