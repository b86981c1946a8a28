import Testing
@testable import Engine

/// `labels.Labels.String()` (model/labels/labels_common.go at v3.14.0): names outside the legacy
/// `[a-zA-Z_][a-zA-Z0-9_]*` set are Go-quoted like values; legacy names stay bare.
@Suite struct LabelsTests {
    @Test(arguments: [
        ([("job", "y"), ("foo.bar", "x")], #"{"foo.bar"="x", job="y"}"#),
        ([("__name__", "up.total"), ("_a1", "1")], #"{__name__="up.total", _a1="1"}"#),
        ([("1a", "v"), ("é", "ü"), ("a-b", "\n")], #"{"1a"="v", "a-b"="\n", "é"="ü"}"#),
        ([("a\"b", "c")], #"{"a\"b"="c"}"#),
        ([], "{}"),
    ])
    func stringQuotesNonLegacyNames(_ pairs: [(String, String)], _ text: String) {
        let ls = Labels(sorted: pairs.map { Labels.Label($0.0, $0.1) }.sorted { $0.name < $1.name })
        #expect(ls.description == text)
    }
}
