/// Go's `encoding/json` string encoding: `\"`, `\\`, `\n`, `\r`, `\t`; other control characters and
/// `<`, `>`, `&`, U+2028, U+2029 as `\u00XX`/`\u202X` (Go escapes HTML characters by default), so
/// JSON we print matches promtool's byte for byte.
public func goJSONString(_ s: String) -> String {
    let hex = Array("0123456789abcdef".utf8)
    var out: [UInt8] = [0x22]
    for scalar in s.unicodeScalars {
        let v = scalar.value
        switch v {
        case 0x22: out += [0x5C, 0x22]
        case 0x5C: out += [0x5C, 0x5C]
        case 0x0A: out += [0x5C, 0x6E]
        case 0x0D: out += [0x5C, 0x72]
        case 0x09: out += [0x5C, 0x74]
        case 0..<0x20, 0x3C, 0x3E, 0x26:
            out += [0x5C, 0x75, 0x30, 0x30, hex[Int(v >> 4)], hex[Int(v & 15)]]
        case 0x2028, 0x2029:
            out += Array("\\u202".utf8) + [hex[Int(v & 15)]]
        default:
            out += Array(String(scalar).utf8)
        }
    }
    out.append(0x22)
    return String(decoding: out, as: UTF8.self)
}
