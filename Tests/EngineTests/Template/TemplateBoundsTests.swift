import Testing
@testable import Engine
import Locking

/// Hostile inputs: recursion, deep nesting, large data and large templates never crash.
@Suite struct TemplateBoundsTests {
    @Test func recursiveTemplateStopsWithGoLikeError() throws {
        let t = try GoTemplate(name: "t", text: "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}")
        let error = try #require(#expect(throws: TemplateError.self) { try t.execute(.invalid) })
        #expect(error.phase == .execution)
        #expect(error.message.hasSuffix("exceeded maximum template depth (\(TemplateExecutor.maxExecDepth))"))
        #expect(error.message.hasPrefix("template: t:1:"))
    }

    /// Stops at `TemplateExecutor.maxNesting` (30 000): three instrumented frames per `if` (`walk`, `walkIfOrWith`,
    /// `walkList`) make ~90 000 frames, past the 64 Ki entries of TSan's shadow call stack, which TSan does not
    /// bounds-check (it crashed the whole `EngineTests` run); the normal run checks it.
    @Test(.disabled(if: threadSanitizerIsLinked, "recurses ~90 000 frames deep, past the 64 Ki frames of TSan's shadow call stack, which corrupts TSan's runtime"))
    func deepRecursionWithNestingInsideEachLevel() throws {
        let body = String(repeating: "{{ if 1 }}", count: 300) + "{{ template \"r\" . }}" + String(repeating: "{{ end }}", count: 300)
        let t = try GoTemplate(name: "t", text: "{{ define \"r\" }}" + body + "{{ end }}{{ template \"r\" . }}")
        #expect(throws: TemplateError.self) { try t.execute(.invalid) }
    }

    @Test func finiteRecursionWorks() throws {
        let text = "{{ define \"c\" }}{{ if gt . 0 }}{{ . }} {{ template \"c\" (len (slice \"xxxxxxxxxx\" 1 .)) }}{{ end }}{{ end }}{{ template \"c\" 5 }}"
        let t = try GoTemplate(name: "t", text: text)
        #expect(try t.execute(.invalid) == "5 4 3 2 1 ")
    }

    @Test func rangeOverLargeData() throws {
        let data = TemplateValue.floats((0..<100_000).map(Double.init))
        let t = try GoTemplate(name: "t", text: "{{ range $i, $v := . }}{{ if eq $i 99999 }}{{ $v }}{{ end }}{{ end }}")
        #expect(try t.execute(data) == "99999")
    }

    @Test func hugeIntegerRangeHitsStepLimit() throws {
        let t = try GoTemplate(name: "t", text: "{{ range 9223372036854775807 }}x{{ end }}")
        var ctx = TemplateContext()
        ctx.maxSteps = 10_000
        #expect(throws: TemplateError.self) { try t.execute(.invalid, context: ctx) }
    }

    @Test func outputSizeIsBounded() throws {
        let t = try GoTemplate(name: "t", text: "{{ range 100000 }}0123456789{{ end }}")
        var ctx = TemplateContext()
        ctx.maxOutputBytes = 1000
        #expect(throws: TemplateError.self) { try t.execute(.invalid, context: ctx) }
    }

    @Test(.disabled(if: threadSanitizerIsLinked, "recurses deeper than the 64 Ki frames of TSan's shadow call stack, which corrupts TSan's runtime")) func deeplyNestedParenthesesExecute() throws {
        let n = TemplateParser.maxParenDepth
        let text = "{{ " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + " }}"
        let t = try GoTemplate(name: "t", text: text)
        #expect(try t.execute(.invalid) == "1")
    }

    @Test func hugeTemplateExecutes() throws {
        let text = String(repeating: "{{ $labels.instance }}:{{ $value | humanize }};", count: 10_000)
        let e = AlertTemplateExpander(alertName: "A", labels: ["instance": "x"], value: 1500, timestampMillis: 0)
        let out = try e.expand(text)
        #expect(out.count == 10_000 * "x:1.5k;".count)
    }

    /// What Go's text/template does with each awkward input: print it, or fail when parsing or executing.
    enum Outcome: Equatable, CustomStringConvertible {
        case output(String), parseError, executionError
        var description: String {
            switch self {
            case .output(let s): "output \(s.debugDescription)"
            case .parseError: "parse error"
            case .executionError: "execution error"
            }
        }
    }

    static let awkwardTexts: [(String, Outcome)] = [
        ("{{ '\\x00' }}", .output("0")),
        ("\u{0}{{ 1 }}", .output("\u{0}1")),
        ("{{ \"\\U0010ffff\" }}", .output("\u{10FFFF}")),
        ("{{ '\\777' }}", .parseError),
        ("{{ printf \"%c\" -1 }}", .output("\u{FFFD}")),
        ("{{ printf \"%*d\" 1000000000 1 }}", .output("%!(BADWIDTH)1")),
        ("{{ slice \"abc\" 1 2 3 }}", .executionError),
        ("{{ index \"\" 0 }}", .executionError),
        ("{{ 0x8000000000000000 }}", .executionError),
        ("{{ -9223372036854775808 }}", .output("-9223372036854775808")),
    ]

    @Test(arguments: awkwardTexts)
    func invalidUTF8AndControlCharactersBehaveLikeGo(_ text: String, _ want: Outcome) {
        let got: Outcome
        do {
            let t = try GoTemplate(name: "t", text: text)
            do { got = .output(try t.execute(.invalid)) } catch { got = .executionError }
        } catch {
            got = .parseError
        }
        #expect(got == want, "\(text.debugDescription)")
    }

    /// An invalid UTF-8 escape in a string constant executes to one replacement character, never a crash.
    @Test func invalidUTF8StringConstant() throws {
        let t = try GoTemplate(name: "t", text: "{{ \"\\xff\" }}")
        #expect(try t.execute(.invalid).unicodeScalars.count == 1)
    }
}

extension TemplateBoundsTests {
    /// Range bodies nested inside recursive template calls hit the global nesting bound, not the stack.
    /// Disabled under TSan: reaching `TemplateExecutor.maxNesting` (30 000) takes seven instrumented frames per
    /// `range`+`with` pair, ~105 000 frames, past TSan's 64 Ki-frame shadow call stack (gdb showed the overflow as
    /// a SEGV in TSan's `FuncEntry` on the `LargeStack` worker running this test); the normal run checks it.
    @Test(.disabled(if: threadSanitizerIsLinked, "recurses ~105 000 frames deep, past the 64 Ki frames of TSan's shadow call stack, which corrupts TSan's runtime"))
    func nestedRangesInsideRecursion() throws {
        let body = String(repeating: "{{ range $i, $v := $ }}{{ with $v }}", count: 150) + "{{ template \"r\" $ }}"
            + String(repeating: "{{ end }}{{ end }}", count: 150)
        let t = try GoTemplate(name: "t", text: "{{ define \"r\" }}" + body + "{{ end }}{{ template \"r\" . }}")
        #expect(throws: TemplateError.self) { try t.execute(.floats([1])) }
    }
}

extension TemplateBoundsTests {
    /// Values nested by repeated `args` are printed up to the bound and rejected beyond it.
    @Test func deeplyNestedValues() throws {
        let ok = try GoTemplate(name: "t", text: "{{ $x := 1 }}{{ range 9998 }}{{ $x = args $x }}{{ end }}{{ len (printf \"%v\" $x) }}")
        #expect(try ok.execute(.invalid) == String(9998 * "map[arg0:".count + 1 + 9998))
        let deep = try GoTemplate(name: "t", text: "{{ $x := 1 }}{{ range 200000 }}{{ $x = args $x }}{{ end }}{{ $x }}")
        #expect(throws: TemplateError.self) { try deep.execute(.invalid) }
    }
}

extension TemplateBoundsTests {
    @Test func doublingStringsAreBounded() throws {
        let t = try GoTemplate(name: "t", text: "{{ $s := \"x\" }}{{ range 64 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}{{ len $s }}")
        var ctx = TemplateContext()
        ctx.maxOutputBytes = 1 << 20
        #expect(throws: TemplateError.self) { try t.execute(.invalid, context: ctx) }
    }
}
