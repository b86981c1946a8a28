/// The two places where Go's `regexp/syntax` rejects what RE2 accepts, checked before RE2 sees a pattern:
/// `\C` (match any byte) is an invalid escape in Go, and Go refuses expressions whose parse tree is more than
/// 1,000 nodes high (`expression nests too deeply`, Go's `maxHeight`).
///
/// The height is computed on a model of Go's parse tree: a capturing group, a repetition, an alternation of
/// two or more branches and a concatenation of two or more items each add a level; runs of literal
/// characters form one node, non-capturing groups add none and a concatenation nested directly in another
/// is flattened, as Go's parser does. Go also factors common prefixes out of alternations, which this model
/// does not; that changes heights only for alternations nested hundreds of levels deep.
enum RegexpSyntaxLimits {
    /// Go's `maxHeight`.
    static let maxHeight = 1_000

    /// Throws Go's error for `\C` or for nesting past `maxHeight`; a pattern RE2 must still compile.
    static func check(_ pattern: String) throws(RegexpError) {
        let b = Array(pattern.utf8)
        var scan = Scan()
        var i = 0
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\\"):
                guard i &+ 1 < b.count else { return }  // trailing backslash: RE2 reports it
                let e = b[i &+ 1]
                if e == UInt8(ascii: "C") { throw RegexpError(code: .invalidEscape, fragment: "\\C") }
                if e == UInt8(ascii: "Q") {
                    // \Q…\E is literal text.
                    var j = i &+ 2
                    while j < b.count, !(b[j] == UInt8(ascii: "\\") && j &+ 1 < b.count && b[j &+ 1] == UInt8(ascii: "E")) {
                        scan.literal()
                        j &+= 1
                    }
                    i = min(b.count, j &+ 2)
                    continue
                }
                i = skipEscape(b, i)
                if isLiteralEscape(e) { scan.literal() } else { scan.atom(height: 1) }
                continue
            case UInt8(ascii: "["):
                i = skipClass(b, i)
                scan.atom(height: 1)
                continue
            case UInt8(ascii: "("):
                var capturing = true
                var flagsOnly = false
                var j = i &+ 1
                if j < b.count, b[j] == UInt8(ascii: "?") {
                    // (?P<name>…) and (?<name>…) capture; (?flags) and (?flags:…) do not.
                    if j &+ 1 < b.count, b[j &+ 1] == UInt8(ascii: "P") || b[j &+ 1] == UInt8(ascii: "<") {
                        while j < b.count, b[j] != UInt8(ascii: ">") { j &+= 1 }
                    } else {
                        capturing = false
                        while j < b.count, b[j] != UInt8(ascii: ":"), b[j] != UInt8(ascii: ")") { j &+= 1 }
                        flagsOnly = j < b.count && b[j] == UInt8(ascii: ")")
                    }
                    j &+= 1
                }
                i = j
                if !flagsOnly { scan.open(capturing: capturing) }
                continue
            case UInt8(ascii: ")"):
                scan.close()
            case UInt8(ascii: "|"):
                scan.bar()
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                scan.repeatLast()
                // Non-greedy marker.
                if i &+ 1 < b.count, b[i &+ 1] == UInt8(ascii: "?") { i &+= 1 }
            case UInt8(ascii: "{"):
                var j = i &+ 1
                while j < b.count, (b[j] >= 0x30 && b[j] <= 0x39) || b[j] == UInt8(ascii: ",") { j &+= 1 }
                if j < b.count, b[j] == UInt8(ascii: "}"), j > i &+ 1 {
                    scan.repeatLast()
                    i = j
                    if i &+ 1 < b.count, b[i &+ 1] == UInt8(ascii: "?") { i &+= 1 }
                } else {
                    scan.literal()
                }
            case UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "$"):
                scan.atom(height: 1)
            default:
                scan.literal()
            }
            i &+= 1
        }
        if scan.finish() > maxHeight { throw RegexpError(code: .nestingDepth, fragment: pattern) }
    }

    /// Escapes that stand for one literal character (and so join a literal run), as opposed to classes
    /// (`\d`, `\pL`) and assertions (`\b`, `\A`).
    private static func isLiteralEscape(_ e: UInt8) -> Bool {
        !"dDsSwWpPbBAz".utf8.contains(e)
    }

    /// Index past the escape starting at `i` (`\x{…}`, `\p{…}` and octal runs included).
    private static func skipEscape(_ b: [UInt8], _ i: Int) -> Int {
        var j = i &+ 2
        guard j <= b.count else { return b.count }
        let e = b[i &+ 1]
        if (e == UInt8(ascii: "x") || e == UInt8(ascii: "p") || e == UInt8(ascii: "P")), j < b.count, b[j] == UInt8(ascii: "{") {
            while j < b.count, b[j] != UInt8(ascii: "}") { j &+= 1 }
            return min(b.count, j &+ 1)
        }
        if e == UInt8(ascii: "x") { return min(b.count, j &+ 2) }
        if e == UInt8(ascii: "p") || e == UInt8(ascii: "P") { return min(b.count, j &+ 1) }
        while j < b.count, e >= 0x30, e <= 0x37, b[j] >= 0x30, b[j] <= 0x37, j < i &+ 4 { j &+= 1 }
        return j
    }

    /// Index past the character class starting at `i`.
    private static func skipClass(_ b: [UInt8], _ i: Int) -> Int {
        var j = i &+ 1
        if j < b.count, b[j] == UInt8(ascii: "^") { j &+= 1 }
        if j < b.count, b[j] == UInt8(ascii: "]") { j &+= 1 }  // a leading ] is literal
        while j < b.count, b[j] != UInt8(ascii: "]") {
            if b[j] == UInt8(ascii: "\\") {
                j = skipEscape(b, j)
                continue
            }
            if b[j] == UInt8(ascii: "["), j &+ 1 < b.count, b[j &+ 1] == UInt8(ascii: ":") {
                var k = j &+ 2
                while k &+ 1 < b.count, !(b[k] == UInt8(ascii: ":") && b[k &+ 1] == UInt8(ascii: "]")) { k &+= 1 }
                j = k &+ 2
                continue
            }
            j &+= 1
        }
        return min(b.count, j &+ 1)
    }

    /// The open groups and the concatenation being built in each, with heights so far.
    private struct Scan {
        struct Group {
            var capturing: Bool
            /// Heights of finished alternation branches.
            var branchMax = 0
            var branches = 0
            /// The current branch: number of items, their highest height, the last item's height and kind.
            var items = 0
            var itemMax = 0
            var lastHeight = 0
            var lastIsLiteral = false
        }
        var stack: [Group] = [Group(capturing: false)]

        private mutating func push(height h: Int, literal: Bool) {
            guard var g = stack.popLast() else { return }
            g.items &+= 1
            g.itemMax = max(g.itemMax, h)
            g.lastHeight = h
            g.lastIsLiteral = literal
            stack.append(g)
        }

        mutating func literal() {
            if let g = stack.last, g.lastIsLiteral, g.items > 0 { return }  // joins the literal run
            push(height: 1, literal: true)
        }

        mutating func atom(height h: Int) { push(height: h, literal: false) }

        mutating func repeatLast() {
            guard var g = stack.popLast() else { return }
            if g.items == 0 {
                stack.append(g)
                return
            }
            // A repetition applies to the last rune of a literal run, which splits off as its own item.
            if g.lastIsLiteral, g.lastHeight == 1 { g.items &+= 1 }
            g.lastHeight &+= 1
            g.itemMax = max(g.itemMax, g.lastHeight)
            g.lastIsLiteral = false
            stack.append(g)
        }

        mutating func open(capturing: Bool) { stack.append(Group(capturing: capturing)) }

        mutating func bar() {
            guard var g = stack.popLast() else { return }
            g.branchMax = max(g.branchMax, Self.concatHeight(g))
            g.branches &+= 1
            g.items = 0
            g.itemMax = 0
            g.lastHeight = 0
            g.lastIsLiteral = false
            stack.append(g)
        }

        static func concatHeight(_ g: Group) -> Int {
            g.items <= 1 ? max(1, g.itemMax) : g.itemMax &+ 1
        }

        /// Height of the group's content and whether it is a plain concatenation (flattened into a parent's).
        static func contentHeight(_ g: Group) -> (height: Int, isConcat: Bool) {
            let last = concatHeight(g)
            if g.branches == 0 { return (last, g.items > 1) }
            return (max(g.branchMax, last) &+ 1, false)
        }

        mutating func close() {
            guard stack.count > 1, let g = stack.popLast() else { return }
            let content = Self.contentHeight(g)
            if g.capturing {
                push(height: content.height &+ 1, literal: false)
            } else if content.isConcat {
                // Go's collapse() splices a concatenation into the enclosing one.
                push(height: content.height &- 1, literal: false)
            } else {
                push(height: content.height, literal: false)
            }
        }

        mutating func finish() -> Int {
            while stack.count > 1 { close() }
            guard let g = stack.last else { return 0 }
            return Self.contentHeight(g).height
        }
    }
}
