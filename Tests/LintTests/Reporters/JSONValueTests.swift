import Foundation
import Testing
@testable import Lint

/// The hand-written JSON writer renders exactly what `JSONEncoder` did for the reporters.
@Suite struct JSONValueTests {
    static func encoderText<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    static func written(_ s: String) -> String {
        var out: [UInt8] = []
        JSONValue.writeString(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func stringEscapingMatchesJSONEncoder() throws {
        var scalars = Array(0..<0x300) + [0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF]
        scalars += [0xD7FF, 0xE000]
        for v in scalars {
            guard let u = Unicode.Scalar(v) else { continue }
            let s = "a" + String(Character(u)) + "/z"
            let expected = try Self.encoderText([s]).dropFirst(4).dropLast(2)  // `[\n  "…"\n]`
            #expect(Self.written(s) == String(expected), "U+\(String(v, radix: 16))")
        }
        let mixed = "tab\there \"q\" back\\slash\r\n\u{1}\u{1F}\u{7F} é 😀 \u{2028}"
        #expect(Self.written(mixed) == String(try Self.encoderText([mixed]).dropFirst(4).dropLast(2)))
    }

    struct Inner: Encodable { var text: String; var n: Int }
    struct Outer: Encodable {
        var b: [Inner]
        var a: String
        var empty: [Int]
        var Z: Int
        var a10: Int
        var a9: [String]
        enum CodingKeys: String, CodingKey { case b, a, empty, Z, a10, a9 = "$a9" }
    }

    @Test func documentsMatchJSONEncoder() throws {
        let value = Outer(b: [Inner(text: "x\ny", n: -3), Inner(text: "", n: 0)], a: "/p/q", empty: [], Z: 1,
                          a10: 10, a9: ["s"])
        let doc = JSONValue.object([
            ("b", .array([.object([("text", .string("x\ny")), ("n", .int(-3))]),
                          .object([("n", .int(0)), ("text", .string(""))])])),
            ("a", .string("/p/q")), ("empty", .array([])), ("Z", .int(1)), ("a10", .int(10)),
            ("$a9", .array([.string("s")])),
        ])
        #expect(doc.rendered() == (try Self.encoderText(value)))
    }
}
