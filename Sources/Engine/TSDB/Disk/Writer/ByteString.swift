/// A string hashed and compared by its UTF-8 bytes, as Go compares strings (Swift's `String` equality
/// follows Unicode canonical equivalence, which would merge label values Prometheus keeps apart).
struct ByteString: Hashable {
    var string: String
    init(_ s: String) { string = s }
    static func == (a: ByteString, b: ByteString) -> Bool { a.string.utf8.elementsEqual(b.string.utf8) }
    func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
