/// Finds the labels a Go template reads through `$labels.NAME`, `.Labels.NAME` or
/// `index $labels "NAME"` inside `{{ ... }}` actions.
public enum TemplateLabelRefs {
    public struct Ref: Sendable, Equatable {
        public var name: String
        /// UTF-8 byte offset of the reference in the template text.
        public var offset: Int
    }

    /// References through `roots` (by default `$labels.` and `.Labels.`, plus `index $labels "x"`).
    public static func references(in text: String, roots: [String] = ["$labels.", ".Labels."]) -> [Ref] {
        let b = Array(text.utf8)
        // Nothing to find outside `{{ ... }}` actions.
        guard b.count >= 2, b.contains(0x7B) else { return [] }
        let indexForms: [[UInt8]] = roots.contains("$labels.") ? [Array("index $labels".utf8), Array("index .Labels".utf8)] : []
        let rootBytes = roots.map { Array($0.utf8) }
        var refs: [Ref] = []
        var i = 0
        var inAction = false
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        }
        func hasPrefix(_ p: [UInt8], at j: Int) -> Bool {
            guard j >= 0, p.count <= b.count - j else { return false }
            for k in 0..<p.count where b[j + k] != p[k] { return false }
            return true
        }
        func isPair(_ c: UInt8, at j: Int) -> Bool { j + 1 < b.count && b[j] == c && b[j + 1] == c }
        while i < b.count {
            if !inAction {
                if isPair(0x7B, at: i) { inAction = true; i += 2 } else { i += 1 }
                continue
            }
            if isPair(0x7D, at: i) { inAction = false; i += 2; continue }
            // Skip string literals inside actions, except right after `index $labels`.
            var matchedRoot = false
            for prefix in rootBytes where hasPrefix(prefix, at: i) {
                matchedRoot = true
                // `.Labels.` must not be part of `$x.Labels.` chains other than the root.
                let start = i + prefix.count
                var j = start
                while j < b.count, isNameByte(b[j]) { j += 1 }
                if j > start { refs.append(Ref(name: String(decoding: b[start..<j], as: UTF8.self), offset: i)) }
                i = j
                break
            }
            if matchedRoot { continue }
            if indexForms.contains(where: { hasPrefix($0, at: i) }) {
                var j = i + 13
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == 0x22 || b[j] == 0x60 {
                    let quote = b[j]
                    let start = j + 1
                    var k = start
                    while k < b.count, b[k] != quote, b[k] != 0x5C { k += 1 }
                    if k < b.count, b[k] == quote, k > start {
                        refs.append(Ref(name: String(decoding: b[start..<k], as: UTF8.self), offset: i))
                    }
                    i = k
                    continue
                }
                i = j
                continue
            }
            i += 1
        }
        return refs
    }
}
