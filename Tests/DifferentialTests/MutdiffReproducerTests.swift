import Foundation
import Testing
import TestSupport

/// The mutation campaign's reproducers (`../shared/findings/mutdiff/diffs/*`): every folder classified "our
/// bug" must now print what Prometheus 3.14 prints. Each README gives, per command, the real promtool 2.42
/// output and says in "What 3.14 does" where 3.14 prints otherwise; those places are the `expected3_14`
/// rewrites below. Deliberate differences (our PromQL nesting limit, multi-document rule files) are rows of
/// `drop-in-differences.tsv` instead and are not run here.
@Suite(.needsFindings) struct MutdiffReproducerTests {
    static let diffs = SharedFiles.findings + "/mutdiff/diffs"

    /// One `check config|rules FILE` section of a reproducer's README.
    struct Reproducer: Sendable, CustomStringConvertible {
        var folder: String
        var arguments: [String]
        var exit: Int32
        var stdout: String
        var stderr: String
        var description: String { "\(folder): \(arguments.joined(separator: " "))" }
    }

    /// Where 3.14 prints otherwise than 2.42 in a reproducer, as the READMEs state it: (folder and file,
    /// exit code, stdout, stderr) replacing the 2.42 output.
    static let expected3_14: [String: (exit: Int32, stdout: String, stderr: String)] = [
        // prometheus/common v0.70.1 model/time.go ParseDuration: `unknown unit %q in duration %q`.
        "20_duration_unit_text_3x/config.yml": (1, "Checking config.yml\n",
                                                "  FAILED: parsing YAML file config.yml: unknown unit \"M\" in duration \"5M\"\n"),
        "20_duration_unit_text_3x/rules.yml": (1, "Checking rules.yml\n",
                                               "  FAILED:\nrules.yml: unknown unit \".\" in duration \"1.5m\"\n" +
                                               "rules.yml: unknown unit \".\" in duration \"1.5m\"\n"),
        // rulefmt.go v3.14.0 Parse: `for` is a model.Duration in Rule and RuleNode, so both decodes fail.
        "09_empty_duration_message/rules.yml": (1, "Checking rules.yml\n",
                                                "  FAILED:\nrules.yml: empty duration string\nrules.yml: empty duration string\n"),
        // Labels are map[string]string in Rule and RuleNode: both decodes resolve the !!null tag and fail.
        "11_yaml_tags_ignored/rules.yml": (1, "Checking rules.yml\n",
                                           "  FAILED:\nrules.yml: yaml: cannot decode !!str `critical` as a !!null\n" +
                                           "rules.yml: yaml: cannot decode !!str `critical` as a !!null\n"),
        // rulefmt.go v3.14.0: the strict decode into Rule resolves the tag and fails; the node decode does not.
        "22_tag_error_printed_twice/rules.yml": (1, "Checking rules.yml\n",
                                                 "  FAILED:\nrules.yml: yaml: cannot decode !!str `up` as a !!int\n"),
    ]

    static func reproducers() -> [Reproducer] {
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: diffs) else { return [] }
        var out: [Reproducer] = []
        for folder in folders.sorted() {
            guard let readme = try? String(contentsOfFile: "\(diffs)/\(folder)/README.md", encoding: .utf8),
                  let classLine = readme.split(separator: "\n").first(where: { $0.hasPrefix("**Classification:") }),
                  classLine.contains("our bug"), !classLine.contains("deliberate"), !classLine.contains("on purpose")
            else { continue }
            out += sections(of: readme, folder: folder)
        }
        return out
    }

    /// The README's "## `check KIND FILE`" sections with the real tool's fenced output under each.
    static func sections(of readme: String, folder: String) -> [Reproducer] {
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Reproducer] = []
        var i = 0
        while i < lines.count {
            let line = lines[i]
            i += 1
            guard line.hasPrefix("## `check "), let end = line.dropFirst(4).firstIndex(of: "`") else { continue }
            let command = line[line.index(line.startIndex, offsetBy: 4)..<end]
            let arguments = command.split(separator: " ").map(String.init)
            while i < lines.count, !lines[i].hasPrefix("real promtool") { i += 1 }
            guard i < lines.count, let exit = Int32(lines[i].split(separator: " ").last ?? "") else { continue }
            i += 1
            while i < lines.count, lines[i] != "```" { i += 1 }
            i += 1
            var block: [String] = []
            while i < lines.count, lines[i] != "```" { block.append(lines[i]); i += 1 }
            var expected = Reproducer(folder: folder, arguments: arguments, exit: exit, stdout: "", stderr: "")
            if let split = block.firstIndex(of: "--- stderr ---") {
                expected.stdout = block[..<split].joined(separator: "\n") + "\n"
                expected.stderr = block[(split + 1)...].joined(separator: "\n") + "\n"
            } else {
                expected.stdout = block.joined(separator: "\n") + "\n"
            }
            if let file = arguments.last, let override = expected3_14["\(folder)/\(file)"] {
                (expected.exit, expected.stdout, expected.stderr) = override
            }
            expected.stderr = rewritten3_14(expected.stderr)
            out.append(expected)
        }
        return out
    }

    /// 2.42's output in 3.14's words where the TSV's 2.x-3.x rows say they differ for every input:
    /// - `mutdiff-regex-anchor-text`: relabel regexes are anchored as `^(?s:…)$` (model/relabel/relabel.go
    ///   v3.14.0:202), 2.42's `^(?:…)$`;
    /// - `mutation:rules:*#bad-expression#*`: a PromQL matcher's bad regex is printed as written (3.14's
    ///   FastRegexMatcher parses the raw pattern), 2.42 printed its anchored form;
    /// - `mutdiff-rule-files-decoded-twice`: a rule file's decoding errors come once per decode (rulefmt.Parse
    ///   v3.14.0 decodes into Rule and into RuleNode) — written out in `expected3_14` where a README shows it.
    static func rewritten3_14(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            guard l.contains("error parsing regexp") else { return l }
            if l.contains("could not parse expression") {
                l = l.replacingOccurrences(of: "`^(?:", with: "`")
                if l.hasSuffix(")$`") { l = String(l.dropLast(3)) + "`" }
            } else {
                l = l.replacingOccurrences(of: "`^(?:", with: "`^(?s:")
            }
            return l
        }.joined(separator: "\n")
    }

    /// Blank lines dropped (3.14 prints none after a rule file that failed to load; the README's fences add
    /// some) and 2.42's `rulefmt.RuleNode` read as 3.14's `rulefmt.Rule`.
    static func normalised(_ text: String) -> String {
        text.replacingOccurrences(of: "rulefmt.RuleNode", with: "rulefmt.Rule")
            .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
    }

    /// Line for line equal, except that a README line cut short (`… …(2102 chars)`) only has to begin the line.
    static func matches(_ got: String, _ expected: String) -> Bool {
        let g = got.split(separator: "\n"), e = expected.split(separator: "\n")
        guard g.count == e.count else { return false }
        return zip(g, e).allSatisfy { got, want in
            if let cut = want.range(of: " …("), want.hasSuffix(" chars)") { return got.hasPrefix(want[..<cut.lowerBound]) }
            return got == want
        }
    }

    @Test func everyOurBugFolderHasACommand() {
        let all = Self.reproducers()
        #expect(all.count >= 20, "found \(all.count) reproducer commands in \(Self.diffs)")
        #expect(Set(all.map(\.folder)).contains("21_yaml_syntax_message"))
    }

    @Test(arguments: reproducers())
    func printsWhat3_14Prints(_ expected: Reproducer) throws {
        let binary = try #require(PromtoolPair.builtBinary(), "promtool-swift is not built")
        let got = PromtoolPair.execute(binary, Invocation(arguments: expected.arguments,
                                                          directory: "\(Self.diffs)/\(expected.folder)", stdin: nil))
        #expect(got.exit == expected.exit)
        let (out, err) = (Self.normalised(got.stdout), Self.normalised(got.stderr))
        let (wantOut, wantErr) = (Self.normalised(expected.stdout), Self.normalised(expected.stderr))
        #expect(Self.matches(out, wantOut), "stdout:\n\(out)\nwanted:\n\(wantOut)")
        #expect(Self.matches(err, wantErr), "stderr:\n\(err)\nwanted:\n\(wantErr)")
    }
}
