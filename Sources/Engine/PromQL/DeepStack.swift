#if canImport(Glibc)
import Glibc
#endif

/// Decides when parsing should move to a large stack (`LargeStack`), so the recursion bound is set by
/// `ParserOptions.maxDepth` and not by the caller's thread stack.
enum DeepStack {
    /// True when `input` has enough nesting-capable bytes that parsing might recurse deeply.
    static func mayNestDeeply(_ input: [UInt8]) -> Bool {
        var n = 0
        for c in input {
            switch c {
            case 0x28, 0x5B, 0x2D, 0x2B, 0x5E:
                n += 1
                if n > 48 { return true }
            default: break
            }
        }
        return false
    }
}
