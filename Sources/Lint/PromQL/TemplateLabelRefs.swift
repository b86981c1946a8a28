/// Finds the labels a Go template reads through `$labels.NAME`, `.Labels.NAME` or
/// `index $labels "NAME"` inside `{{ ... }}` actions.
///
/// Inside `{{ range ... }}`, `{{ with ... }}`, `{{ define ... }}` and `{{ block ... }}` the dot is
/// something else (a query result, a value), so references through the dot (`.Labels.x`) there are not
/// the alert's labels and are left out; `$labels.x` always is the alert's.
public enum TemplateLabelRefs {
    public struct Ref: Sendable, Equatable {
        public var name: String
        /// UTF-8 byte offset of the reference in the template text.
        public var offset: Int
        /// The reference as written (`$labels.job`, `.Labels.job`, `index $labels "job"`).
        public var text: String
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
        // One entry per open block: true when it rebinds the dot.
        var blocks: [Bool] = []
        var dotRebound = false
        func isNameByte(_ c: UInt8) -> Bool {
            (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        }
        func hasPrefix(_ p: [UInt8], at j: Int) -> Bool {
            guard j >= 0, p.count <= b.count - j else { return false }
            for k in 0..<p.count where b[j + k] != p[k] { return false }
            return true
        }
        func isPair(_ c: UInt8, at j: Int) -> Bool { j + 1 < b.count && b[j] == c && b[j + 1] == c }
        /// The keyword an action starts with (`range`, `end`, …), skipping a `-` trim marker and spaces.
        func keyword(at start: Int) -> String {
            var j = start
            if j < b.count, b[j] == 0x2D { j += 1 }
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D { j += 1 }
            let k = j
            while j < b.count, b[j] >= 0x61, b[j] <= 0x7A { j += 1 }
            return String(decoding: b[k..<j], as: UTF8.self)
        }
        while i < b.count {
            if !inAction {
                if isPair(0x7B, at: i) {
                    inAction = true
                    i += 2
                    // The opening action's own pipeline still sees the outer dot: decide before pushing.
                    dotRebound = blocks.contains(true)
                    switch keyword(at: i) {
                    case "range", "with", "define", "block": blocks.append(true)
                    case "if": blocks.append(false)
                    case "end":
                        if !blocks.isEmpty { blocks.removeLast() }
                    default: break
                    }
                } else {
                    i += 1
                }
                continue
            }
            if isPair(0x7D, at: i) { inAction = false; i += 2; continue }
            // Skip string literals inside actions, except right after `index $labels`.
            var matchedRoot = false
            for prefix in rootBytes where hasPrefix(prefix, at: i) {
                matchedRoot = true
                let start = i + prefix.count
                var j = start
                while j < b.count, isNameByte(b[j]) { j += 1 }
                if j > start, !(dotRebound && prefix.first == 0x2E) {
                    refs.append(Ref(name: String(decoding: b[start..<j], as: UTF8.self), offset: i,
                                    text: String(decoding: b[i..<j], as: UTF8.self)))
                }
                i = j
                break
            }
            if matchedRoot { continue }
            if let form = indexForms.first(where: { hasPrefix($0, at: i) }) {
                var j = i + form.count
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == 0x22 || b[j] == 0x60 {
                    let quote = b[j]
                    let start = j + 1
                    var k = start
                    while k < b.count, b[k] != quote, b[k] != 0x5C { k += 1 }
                    let throughDot = form[6] == 0x2E
                    if k < b.count, b[k] == quote, k > start, !(dotRebound && throughDot) {
                        refs.append(Ref(name: String(decoding: b[start..<k], as: UTF8.self), offset: i,
                                        text: String(decoding: b[i...k], as: UTF8.self)))
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
