/// Go's `net/url` escaping for form bodies and query strings (`url.QueryEscape`, `url.Values.Encode`).
public enum GoURLEscape {
    /// `url.QueryEscape`: unreserved bytes kept, space as `+`, every other byte `%XX` (upper-case hex).
    public static func query(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for c in s.utf8 {
            let unreserved = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
                || c == 0x2D || c == 0x2E || c == 0x5F || c == 0x7E
            if unreserved { out.append(c) }
            else if c == 0x20 { out.append(0x2B) }
            else { out += [0x25, hex[Int(c >> 4)], hex[Int(c & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `url.Values.Encode`: `key=value` pairs sorted by key (stable for repeated keys), joined by `&`.
    public static func form(_ pairs: [(String, String)]) -> String {
        let sorted = pairs.enumerated().sorted { a, b in
            a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset
        }
        return sorted.map { query($0.element.0) + "=" + query($0.element.1) }.joined(separator: "&")
    }
}
