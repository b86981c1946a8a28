import Testing
@testable import Engine

@Suite struct BlockMetaTests {
    /// What promtool 2.42's `create-blocks-from openmetrics` wrote (byte for byte).
    static let promtoolMeta = """
    {
    \t"ulid": "01M96BE2XEM092QVNMWK47MDQJ",
    \t"minTime": 1600000000000,
    \t"maxTime": 1600005595001,
    \t"stats": {
    \t\t"numSamples": 4488,
    \t\t"numSeries": 12,
    \t\t"numChunks": 48
    \t},
    \t"compaction": {
    \t\t"level": 1,
    \t\t"sources": [
    \t\t\t"01M96BE2XEM092QVNMWK47MDQJ"
    \t\t]
    \t},
    \t"version": 1
    }
    """

    @Test func parsesAndRewritesPromtoolsMetaByteForByte() throws {
        let m = try BlockMeta.parse(Array(Self.promtoolMeta.utf8))
        #expect(m.ulid == "01M96BE2XEM092QVNMWK47MDQJ")
        #expect(m.minTime == 1_600_000_000_000 && m.maxTime == 1_600_005_595_001)
        #expect(m.stats.numSamples == 4488 && m.stats.numSeries == 12 && m.stats.numChunks == 48)
        #expect(m.compaction.level == 1 && m.compaction.sources == ["01M96BE2XEM092QVNMWK47MDQJ"])
        #expect(m.jsonText() == Self.promtoolMeta)
    }

    @Test func compactedMetaRoundTrips() throws {
        var m = BlockMeta(ulid: "01M96BE35MP9GZ6MV6APN94E94", minTime: -5, maxTime: 10)
        m.compaction.level = 2
        m.compaction.sources = ["01M96BE2XEM092QVNMWK47MDQJ", "01M96BE35MP9GZ6MV6APN94E94"]
        m.compaction.parents = [.init(ulid: "01M96BE2XEM092QVNMWK47MDQJ", minTime: -5, maxTime: 3)]
        m.compaction.hints = ["from-out-of-order"]
        m.compaction.deletable = true
        let text = m.jsonText()
        #expect(text.contains("\t\"stats\": {},\n"))
        #expect(try BlockMeta.parse(Array(text.utf8)) == m)
    }

    @Test(arguments: [
        ("{\"version\": 2, \"ulid\": \"01M96BE2XEM092QVNMWK47MDQJ\"}", "unexpected meta file version 2"),
        ("{\"ulid\": \"short\", \"version\": 1}", "ulid: bad data size when unmarshaling"),
        ("{\"minTime\": 1.5, \"version\": 1}", "cannot unmarshal number 1.5 into Go struct field BlockMeta.minTime of type int64"),
        ("{\"minTime\": ", "unexpected end of JSON input"),
        ("[]", "cannot unmarshal array into Go value of type tsdb.BlockMeta"),
    ])
    func badMetaIsAClearError(text: String, expected: String) {
        do {
            _ = try BlockMeta.parse(Array(text.utf8), path: "b/meta.json")
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.description.hasPrefix("b/meta.json: "))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
