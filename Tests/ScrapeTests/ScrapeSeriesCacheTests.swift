import Testing
@testable import Engine

/// The scrape series cache's table: byte keys, collisions, growth and forgetting.
@Suite struct ScrapeSeriesCacheTests {
    func find(_ cache: ScrapeSeriesCache, _ key: String) -> Int? {
        let bytes = Array(key.utf8)
        return bytes.withUnsafeBufferPointer { cache.find($0, hash: cache.hash($0)) }
    }

    @discardableResult
    func insert(_ cache: inout ScrapeSeriesCache, _ key: String) -> Int {
        let bytes = Array(key.utf8)
        return bytes.withUnsafeBufferPointer { b in
            cache.insert(b, hash: cache.hash(b), labels: Labels([("__name__", key)]), metricName: key)
        }
    }

    @Test func findsWhatWasInsertedAcrossGrowth() {
        var cache = ScrapeSeriesCache(seed: 7)
        let keys = (0..<5_000).map { "metric_\($0 % 13){path=\"/api/\($0)\"}" }
        for k in keys { insert(&cache, k) }
        #expect(cache.count == keys.count)
        for (i, k) in keys.enumerated() { #expect(find(cache, k) == i) }
        #expect(find(cache, "metric_0{path=\"/api/5000\"}") == nil)
        #expect(find(cache, "") == nil)
    }

    /// Keys differing only in their length or last bytes, and the empty key.
    @Test func tellsApartKeysOfEveryLength() {
        var cache = ScrapeSeriesCache(seed: 1)
        let keys = (0..<40).map { String(repeating: "a", count: $0) } + (0..<40).map { String(repeating: "a", count: $0) + "b" }
        for k in keys { insert(&cache, k) }
        for (i, k) in keys.enumerated() { #expect(find(cache, k) == i) }
    }

    /// A cache whose hash puts every key in one chain still finds each key by its bytes.
    @Test func sameHashKeysAreComparedByBytes() {
        var cache = ScrapeSeriesCache(seed: 3)
        for k in ["x", "y", "z"] {
            let bytes = Array(k.utf8)
            bytes.withUnsafeBufferPointer { _ = cache.insert($0, hash: 42, labels: nil, metricName: "") }
        }
        for (i, k) in ["x", "y", "z"].enumerated() {
            #expect(Array(k.utf8).withUnsafeBufferPointer { cache.find($0, hash: 42) } == i)
        }
        #expect(Array("w".utf8).withUnsafeBufferPointer { cache.find($0, hash: 42) } == nil)
    }

    /// Entries seen in neither of the last two scrapes are forgotten; the rest keep their refs.
    @Test func forgetsSeriesUnseenForTwoScrapes() {
        var cache = ScrapeSeriesCache(seed: 9)
        insert(&cache, "a")
        let b = insert(&cache, "b")
        cache.setRef(b, 77)
        cache.endScrape()
        // Second scrape: only b.
        if let i = find(cache, "b") { cache.markSeen(i) }
        cache.endScrape()
        #expect(find(cache, "a") != nil)  // seen one scrape ago
        // Third scrape: only b again; a was last seen two scrapes ago.
        if let i = find(cache, "b") { cache.markSeen(i) }
        cache.endScrape()
        #expect(find(cache, "a") == nil)
        let kept = find(cache, "b")  // nil fails the next expectation
        #expect(kept.map { cache.entries[$0].ref } == 77)
        #expect(cache.count == 1)
    }

    /// Keys built from parsed labels never equal a line's bytes, and differ when names and values split differently.
    @Test func labelKeysAreUnambiguous() {
        var a: [UInt8] = [], b: [UInt8] = []
        ScrapeSeriesCache.labelKey([("__name__", "m"), ("ab", "c")], into: &a)
        ScrapeSeriesCache.labelKey([("__name__", "m"), ("a", "bc")], into: &b)
        #expect(a != b)
        #expect(a.first == 0xFF)
    }
}
