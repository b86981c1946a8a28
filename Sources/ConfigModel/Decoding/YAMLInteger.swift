/// How go-yaml (v2.4 and v3.0 alike) sets a 64-bit integer field from a scalar: integers in range, any
/// float not above the type's maximum converted the way Go converts on amd64 (truncation; out-of-range and
/// infinite values become `0x8000000000000000`), so `limit: 1.5` is 1 and `sample_limit: -.inf` is accepted.
/// Everything else is nil: the caller records its `cannot unmarshal` type error (v2 and v3 name types alike
/// but tag values differently). Null is 0.
public enum YAMLInteger {
    /// 2⁶³ as a Double: go-yaml's `resolved <= math.MaxInt64` compares against it after rounding.
    private static let twoTo63 = 9_223_372_036_854_775_808.0

    static func signed(_ node: Node) -> Int64? {
        if node.isNull { return 0 }
        if let value = resolved(node) {
            switch value {
            case .int(let i): return i
            case .float(let d) where d <= twoTo63: return goInt64(d)
            default: break
            }
        }
        return nil
    }

    static func unsigned(_ node: Node) -> UInt64? {
        if node.isNull { return 0 }
        if let value = resolved(node) {
            switch value {
            case .int(let i) where i >= 0: return UInt64(i)
            case .uint(let u): return u
            case .float(let d) where d <= 2 * twoTo63:
                // Go's amd64 float64→uint64: values below 2⁶³ go through int64, the rest are offset by 2⁶³.
                if d < twoTo63 { return UInt64(bitPattern: goInt64(d)) }
                return UInt64(bitPattern: goInt64(d - twoTo63)) ^ (1 << 63)
            default: break
            }
        }
        return nil
    }

    /// The resolved value of a plain scalar that may set a number (implicit, `!!int` or `!!float` tag).
    private static func resolved(_ node: Node) -> YAMLScalar? {
        guard case .scalar(let s, .plain) = node.content, node.tag == nil || node.tag == "!!int" || node.tag == "!!float" else {
            return nil
        }
        return YAMLScalar.resolve(s)
    }

    /// Go's `int64(f)` on amd64 (CVTTSD2SQ): truncation, and `Int64.min` for NaN or anything out of range.
    public static func goInt64(_ d: Double) -> Int64 {
        guard d.isFinite, d >= -twoTo63, d < twoTo63 else { return Int64.min }
        return Int64(d.rounded(.towardZero))
    }
}
