import Testing
@testable import Engine

@Suite struct WALRecordDecoderTests {
    @Test func seriesAndSamplesV1() throws {
        let series = WALTestWriter.series([(5, [("__name__", "up"), ("job", "a")]), (6, [("__name__", "up"), ("job", "b")])])
        guard case .series(let s) = try WALRecordDecoder.decode(series) else { Issue.record("not series"); return }
        #expect(s == [WALSeries(ref: 5, labels: Labels([("__name__", "up"), ("job", "a")])),
                      WALSeries(ref: 6, labels: Labels([("__name__", "up"), ("job", "b")]))])
        let samples = WALTestWriter.samples([(6, 2000, 1.5), (5, 1000, StaleNaN), (7, 3000, -0.0)])
        guard case .samples(let got) = try WALRecordDecoder.decode(samples) else { Issue.record("not samples"); return }
        #expect(got == [WALSample(ref: 6, startTime: 0, t: 2000, v: 1.5), WALSample(ref: 5, startTime: 0, t: 1000, v: StaleNaN),
                        WALSample(ref: 7, startTime: 0, t: 3000, v: -0.0)])
    }

    @Test func samplesV2WithStartTimeMarkers() throws {
        // First: ref 10, t 1000, st 900, v 1; then ref +1, t +10, marker 1 (same st as previous), v 2;
        // then ref -1, t +20, marker 2 with st delta +50 from the first st, v 3; then marker 0 (no st).
        var w = ByteWriter()
        w.byte(11)
        w.varint(10); w.varint(1000); w.varint(900); w.be64(Double(1).bitPattern)
        w.varint(1); w.varint(10); w.byte(1); w.be64(Double(2).bitPattern)
        w.varint(-1); w.varint(20); w.byte(2); w.varint(50); w.be64(Double(3).bitPattern)
        w.varint(0); w.varint(30); w.byte(0); w.be64(Double(4).bitPattern)
        guard case .samples(let got) = try WALRecordDecoder.decode(w.bytes) else { Issue.record("not samples"); return }
        #expect(got == [WALSample(ref: 10, startTime: 900, t: 1000, v: 1), WALSample(ref: 11, startTime: 900, t: 1010, v: 2),
                        WALSample(ref: 10, startTime: 950, t: 1020, v: 3), WALSample(ref: 10, startTime: 0, t: 1030, v: 4)])
    }

    @Test func integerHistogramBucketsAreCumulatedDeltas() throws {
        let rec = WALTestWriter.intHistograms([(3, 500)], schema: 1, count: 9, buckets: [2, 5, 2])
        guard case .histogramSamples(let got) = try WALRecordDecoder.decode(rec), let h = got.first else { Issue.record("not histograms"); return }
        #expect(got.count == 1 && h.ref == 3 && h.t == 500 && !h.isFloat)
        #expect(h.histogram.schema == 1 && h.histogram.count == 9 && h.histogram.sum == 12.5 && h.histogram.zeroThreshold == 0.001)
        #expect(h.histogram.positiveBuckets == [2, 5, 2])
        #expect(h.histogram.positiveSpans == [FloatHistogram.Span(offset: 0, length: 3)])

        let nhcb = WALTestWriter.intHistograms([(4, 600)], schema: -53, count: 3, buckets: [1, 2], customValues: [0.5])
        guard case .histogramSamples(let c) = try WALRecordDecoder.decode(nhcb), let ch = c.first else { Issue.record("not histograms"); return }
        #expect(ch.histogram.schema == FloatHistogram.customBucketsSchema && ch.histogram.customValues == [0.5])
        #expect(ch.histogram.validationError == nil)

        // Schemas Prometheus does not know are dropped, as its decoder drops them.
        let unknown = WALTestWriter.intHistograms([(4, 600)], schema: 60, count: 3, buckets: [1, 2])
        guard case .histogramSamples(let none) = try WALRecordDecoder.decode(unknown) else { Issue.record("not histograms"); return }
        #expect(none.isEmpty)
    }

    @Test func tombstonesMetadataAndMarkers() throws {
        guard case .tombstones(let t) = try WALRecordDecoder.decode(WALTestWriter.tombstones([(1, -5, 100)])) else { Issue.record(); return }
        #expect(t == [WALTombstone(ref: 1, minTime: -5, maxTime: 100)])
        var m = ByteWriter()
        m.byte(6); m.uvarint(9); m.byte(1); m.uvarint(3)
        m.uvarintString("UNIT"); m.uvarintString("seconds"); m.uvarintString("HELP"); m.uvarintString("Time."); m.uvarintString("X"); m.uvarintString("y")
        guard case .metadata(let md) = try WALRecordDecoder.decode(m.bytes) else { Issue.record(); return }
        #expect(md == [WALMetadata(ref: 9, type: 1, unit: "seconds", help: "Time.")])
        var mm = ByteWriter()
        mm.byte(5); mm.be64(3); mm.be64(0x1_0000_0008)
        guard case .mmapMarkers(let markers) = try WALRecordDecoder.decode(mm.bytes) else { Issue.record(); return }
        #expect(markers == [WALMmapMarker(ref: 3, mmapRef: 0x1_0000_0008)])
    }

    @Test func malformedRecordsAreErrorsNotCrashes() {
        #expect(throws: WALRecordDecoder.Error(offset: 0, message: "unknown record type 99")) { try WALRecordDecoder.decode([99, 1, 2]) }
        #expect(throws: WALRecordDecoder.Error(offset: 0, message: "empty record")) { try WALRecordDecoder.decode([]) }
        // A series record cut inside its label strings.
        let series = WALTestWriter.series([(5, [("__name__", "up")])])
        #expect(throws: WALRecordDecoder.Error.self) { try WALRecordDecoder.decode(Array(series.dropLast(1))) }
        // A label count far beyond the bytes present is refused before anything is allocated.
        var huge = ByteWriter()
        huge.byte(1); huge.be64(1); huge.uvarint(UInt64.max >> 2)
        #expect(throws: WALRecordDecoder.Error.self) { try WALRecordDecoder.decode(huge.bytes) }
        // Trailing bytes after the last sample.
        #expect(throws: WALRecordDecoder.Error.self) { try WALRecordDecoder.decode(WALTestWriter.samples([(1, 1, 1)]) + [0]) }
    }
}
